# Helpers that turn files in examples/, bench/ and tests/ into targets.
include_guard(GLOBAL)

function(_goro_check_name name what)
  set(reserved all clean help install test package package_source edit_cache
      rebuild_cache list_install_components install_local install_strip)
  if(TARGET ${name} OR name IN_LIST reserved)
    message(FATAL_ERROR
      "goro: ${what} '${name}' clashes with an existing target of that name; rename it")
  endif()
endfunction()

# goro_add_example(<name> <dir>): every .cpp under <dir> -> <build>/examples/<name>.
function(goro_add_example name dir)
  _goro_check_name(${name} "example")
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${dir}/*.cpp")
  list(SORT sources)
  add_executable(${name} ${sources})
  target_include_directories(${name} PRIVATE "${dir}")
  target_link_libraries(${name} PRIVATE goro::goro)
  set_target_properties(${name} PROPERTIES
    # The $<0:> keeps multi-config generators from adding a per-config subdir.
    RUNTIME_OUTPUT_DIRECTORY "${GORO_EXAMPLES_OUTPUT_DIR}$<0:>")
  goro_apply_defaults(${name})
endfunction()

# goro_add_bench(<target> <source>): one benchmark -> <build>/bench/<target>.
# Google Benchmark (benchmark::benchmark) is linked too when it is installed;
# a benchmark may use it (with BENCHMARK_MAIN()) or have its own main().
function(goro_add_bench target source)
  _goro_check_name(${target} "benchmark")
  add_executable(${target} "${source}")
  target_link_libraries(${target} PRIVATE goro::goro)
  # Micro-benchmarks may measure internals ("arch/fiber.hpp").
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/src")
  if(TARGET benchmark::benchmark)
    target_link_libraries(${target} PRIVATE benchmark::benchmark)
    target_compile_definitions(${target} PRIVATE GORO_HAVE_GOOGLE_BENCHMARK=1)
  endif()
  set_target_properties(${target} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY "${GORO_BENCH_OUTPUT_DIR}$<0:>")
  goro_apply_defaults(${target})
endfunction()

# goro_add_test(<name> <source>): one GoogleTest executable, its tests
# registered with ctest one by one.
function(goro_add_test name source)
  _goro_check_name(${name} "test")
  add_executable(${name} "${source}")
  target_link_libraries(${name} PRIVATE
    GTest::gtest_main GTest::gmock goro::goro goro_test_support)
  # Unit tests may reach into the library's internals ("sched/xyz.hpp").
  target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/src")
  target_compile_definitions(${name} PRIVATE
    GORO_EXAMPLES_DIR="${GORO_EXAMPLES_OUTPUT_DIR}"
    GORO_BENCH_DIR="${GORO_BENCH_OUTPUT_DIR}")
  goro_apply_defaults(${name})
  # End-to-end tests run the example and benchmark binaries: make sure a
  # full build always produces them before ctest runs.
  foreach(dep IN LISTS GORO_EXAMPLE_TARGETS GORO_BENCH_TARGETS)
    add_dependencies(${name} ${dep})
  endforeach()
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT 300)
endfunction()
