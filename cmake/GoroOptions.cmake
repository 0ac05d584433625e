# Build options, default build type, sanitizer and warning flags for goro.
include_guard(GLOBAL)
include(GNUInstallDirs)

if(NOT CMAKE_CONFIGURATION_TYPES AND NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING
      "Build type (Debug, Release, RelWithDebInfo, MinSizeRel)" FORCE)
endif()

set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

option(GORO_BUILD_TESTS "Build goro's tests" ${PROJECT_IS_TOP_LEVEL})
option(GORO_BUILD_EXAMPLES "Build the programs under examples/" ${PROJECT_IS_TOP_LEVEL})
option(GORO_BUILD_BENCH "Build the benchmarks under bench/" ${PROJECT_IS_TOP_LEVEL})
option(GORO_INSTALL "Generate goro's install rules" ON)

if(DEFINED ENV{CI} AND NOT "$ENV{CI}" STREQUAL "")
  set(_goro_werror_default ON)
else()
  set(_goro_werror_default OFF)
endif()
option(GORO_WERROR "Treat compiler warnings as errors" ${_goro_werror_default})

set(GORO_SANITIZE "" CACHE STRING
    "Sanitizers: empty (none), 'address' (ASan + UBSan) or 'thread' (TSan)")
set_property(CACHE GORO_SANITIZE PROPERTY STRINGS "" address thread)

# Where examples and benchmarks land; tests get these as GORO_EXAMPLES_DIR and
# GORO_BENCH_DIR.
set(GORO_EXAMPLES_OUTPUT_DIR "${CMAKE_BINARY_DIR}/examples")
set(GORO_BENCH_OUTPUT_DIR "${CMAKE_BINARY_DIR}/bench")

# Sanitizers apply to everything this project builds: the library, tests,
# examples and benchmarks (a sanitized library needs sanitized callers).
if(GORO_SANITIZE STREQUAL "address")
  set(GORO_SANITIZE_COMPILE_FLAGS
      -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  set(GORO_SANITIZE_LINK_FLAGS -fsanitize=address,undefined)
elseif(GORO_SANITIZE STREQUAL "thread")
  set(GORO_SANITIZE_COMPILE_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
  set(GORO_SANITIZE_LINK_FLAGS -fsanitize=thread)
elseif(GORO_SANITIZE STREQUAL "")
  set(GORO_SANITIZE_COMPILE_FLAGS "")
  set(GORO_SANITIZE_LINK_FLAGS "")
else()
  message(FATAL_ERROR
    "GORO_SANITIZE='${GORO_SANITIZE}': expected empty, 'address' or 'thread'")
endif()
if(GORO_SANITIZE_COMPILE_FLAGS)
  add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:${GORO_SANITIZE_COMPILE_FLAGS}>")
  add_link_options(${GORO_SANITIZE_LINK_FLAGS})
endif()

# goro_apply_defaults(<target>): warning flags for one of goro's own targets.
function(goro_apply_defaults target)
  target_compile_options(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:C,CXX>:-Wall;-Wextra>"
    "$<$<COMPILE_LANGUAGE:CXX>:-Wpedantic>"
    # Assembly sources are preprocessed (.S); they get no -Wpedantic, and
    # their objects must not ask for an executable stack.
    "$<$<COMPILE_LANGUAGE:ASM>:-Wa,--noexecstack>")
  if(GORO_WERROR)
    target_compile_options(${target} PRIVATE "$<$<COMPILE_LANGUAGE:C,CXX>:-Werror>")
    # g++ 12 reports -Wmaybe-uninitialized falsely for std::optional<std::string>
    # moved into an inlined select handler (and in <regex>); keep it a warning.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE
        "$<$<COMPILE_LANGUAGE:CXX>:-Wno-error=maybe-uninitialized>")
    endif()
  endif()
endfunction()
