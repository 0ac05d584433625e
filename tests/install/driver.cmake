# ctest driver for the `install_consumer` test, run with `cmake -P`:
#  1. installs the freshly built goro into WORK_DIR/prefix,
#  2. configures, builds and runs tests/install/ against it with find_package,
#  3. builds tests/install/main.cpp again with plain
#     `g++ $(pkg-config --cflags --libs goro)` and runs that.
#
# Inputs (-D): GORO_BUILD_DIR, GORO_CONFIG, GORO_LIBDIR, CONSUMER_SOURCE_DIR,
#              WORK_DIR, CMAKE_GENERATOR, CXX_COMPILER.
cmake_minimum_required(VERSION 3.25)

foreach(var IN ITEMS GORO_BUILD_DIR GORO_LIBDIR CONSUMER_SOURCE_DIR WORK_DIR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install test driver: -D${var}=... is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/consumer-build")
set(expected "goro consumer ok")

# step(<description> COMMAND ...): run a command, fail the test if it fails;
# its stdout lands in `step_output`.
function(step description)
  message(STATUS "install_consumer: ${description}")
  execute_process(${ARGN}
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR
      "install_consumer: ${description} failed (${rc})\n"
      "--- stdout ---\n${out}\n--- stderr ---\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_ok what output)
  string(FIND "${output}" "${expected}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR
      "install_consumer: ${what} did not print '${expected}', it printed:\n${output}")
  endif()
  message(STATUS "install_consumer: ${what}: ${output}")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# 1. Install.
set(config_args "")
if(DEFINED GORO_CONFIG AND NOT GORO_CONFIG STREQUAL "")
  set(config_args --config "${GORO_CONFIG}")
endif()
step("install goro into ${prefix}"
  COMMAND "${CMAKE_COMMAND}" --install "${GORO_BUILD_DIR}" --prefix "${prefix}" ${config_args})

foreach(file IN ITEMS
    "include/goro/goro.hpp"
    "${GORO_LIBDIR}/cmake/goro/goroConfig.cmake"
    "${GORO_LIBDIR}/cmake/goro/goroConfigVersion.cmake"
    "${GORO_LIBDIR}/cmake/goro/goroTargets.cmake"
    "${GORO_LIBDIR}/pkgconfig/goro.pc")
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "install_consumer: ${prefix}/${file} was not installed")
  endif()
endforeach()

# 2. find_package(goro) consumer.
set(generator_args "")
if(DEFINED CMAKE_GENERATOR AND NOT CMAKE_GENERATOR STREQUAL "")
  set(generator_args -G "${CMAKE_GENERATOR}")
endif()
set(build_type Release)
if(DEFINED GORO_CONFIG AND NOT GORO_CONFIG STREQUAL "")
  set(build_type "${GORO_CONFIG}")
endif()
step("configure the consumer"
  COMMAND "${CMAKE_COMMAND}" ${generator_args}
    -S "${CONSUMER_SOURCE_DIR}" -B "${consumer_build}"
    "-DCMAKE_BUILD_TYPE=${build_type}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_PREFIX_PATH=${prefix}"
    # Only the freshly installed goro may satisfy find_package(goro).
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
file(STRINGS "${consumer_build}/CMakeCache.txt" goro_dir_line REGEX "^goro_DIR:")
string(FIND "${goro_dir_line}" "goro_DIR:PATH=${prefix}/" pos)
if(NOT pos EQUAL 0)
  message(FATAL_ERROR
    "install_consumer: find_package(goro) found '${goro_dir_line}', not the one in ${prefix}")
endif()
step("build the consumer"
  COMMAND "${CMAKE_COMMAND}" --build "${consumer_build}" --config "${build_type}")
set(consumer_exe "${consumer_build}/consumer")
if(NOT EXISTS "${consumer_exe}" AND EXISTS "${consumer_build}/${build_type}/consumer")
  set(consumer_exe "${consumer_build}/${build_type}/consumer")
endif()
step("run the find_package consumer"
  COMMAND "${consumer_exe}"
  TIMEOUT 60)
expect_ok("find_package consumer" "${step_output}")

# 3. pkg-config consumer, built the way a Makefile user would.
find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf REQUIRED)
find_program(SH_EXECUTABLE NAMES sh REQUIRED)
set(ENV{PKG_CONFIG_PATH} "${prefix}/${GORO_LIBDIR}/pkgconfig")
step("pkg-config --cflags --libs goro"
  COMMAND "${PKG_CONFIG_EXECUTABLE}" --cflags --libs goro)
string(STRIP "${step_output}" pc_flags)
message(STATUS "install_consumer: pkg-config says: ${pc_flags}")
string(FIND "${pc_flags}" "-I${prefix}/include" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "install_consumer: goro.pc does not point into ${prefix}: ${pc_flags}")
endif()
set(pc_exe "${WORK_DIR}/consumer-pkg-config")
step("build the consumer with g++ and pkg-config"
  COMMAND "${SH_EXECUTABLE}" -c
    "\"$0\" -std=c++23 -O1 \"$1\" -o \"$2\" $(\"$3\" --cflags --libs goro)"
    "${CXX_COMPILER}" "${CONSUMER_SOURCE_DIR}/main.cpp" "${pc_exe}" "${PKG_CONFIG_EXECUTABLE}")
# A shared libgoro has no rpath in a plain g++ link.
set(ENV{LD_LIBRARY_PATH} "${prefix}/${GORO_LIBDIR}:$ENV{LD_LIBRARY_PATH}")
step("run the pkg-config consumer"
  COMMAND "${pc_exe}"
  TIMEOUT 60)
expect_ok("pkg-config consumer" "${step_output}")

message(STATUS "install_consumer: passed")
