# Install rules: the library, the public headers, a CMake package
# (find_package(goro) -> goro::goro) and a pkg-config file (goro.pc).
include_guard(GLOBAL)
include(CMakePackageConfigHelpers)

set(GORO_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/goro"
    CACHE STRING "Where goroConfig.cmake is installed, relative to the prefix")
set(GORO_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where goro.pc is installed, relative to the prefix")

install(TARGETS goro
  EXPORT goroTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/goro"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h" PATTERN "*.inl" PATTERN "*.ipp")

install(EXPORT goroTargets
  NAMESPACE goro::
  FILE goroTargets.cmake
  DESTINATION "${GORO_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/goroConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/goroConfig.cmake"
  INSTALL_DESTINATION "${GORO_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/goroConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/goroConfig.cmake"
  "${PROJECT_BINARY_DIR}/goroConfigVersion.cmake"
  DESTINATION "${GORO_INSTALL_CMAKEDIR}")

# goro.pc names the prefix the files actually land in, so it is written at
# install time: `cmake --install build --prefix /somewhere` yields a goro.pc
# that points into /somewhere. Configure time fills in everything else and
# leaves @GORO_PC_PREFIX@ for the install step.
foreach(dir IN ITEMS LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(GORO_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(GORO_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
set(GORO_PC_PREFIX "@GORO_PC_PREFIX@")
configure_file("${PROJECT_SOURCE_DIR}/cmake/goro.pc.in"
               "${PROJECT_BINARY_DIR}/goro.pc.stage" @ONLY)
install(CODE "
  set(GORO_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_BINARY_DIR}/goro.pc.stage\"
                 \"${PROJECT_BINARY_DIR}/goro.pc\" @ONLY)
")
install(FILES "${PROJECT_BINARY_DIR}/goro.pc"
  DESTINATION "${GORO_INSTALL_PKGCONFIGDIR}")
