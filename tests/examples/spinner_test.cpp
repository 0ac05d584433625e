// End-to-end: gopl.io/ch8/spinner animates while main computes, with one
// processor as well as with the default, and prints the Fibonacci number.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

int spinner_frames(const std::string& out) {
  int frames = 0;
  for (size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '\r' && std::string("-\\|/").find(out[i + 1]) != std::string::npos) ++frames;
  return frames;
}

void check_spinner(std::vector<std::string> env) {
  // fib(42) takes about half a second at -O2 (several seconds under sanitizers).
  auto t0 = std::chrono::steady_clock::now();
  ProcessResult r = run_process({example_path("spinner"), "-n", "42"}, "", 120s, env);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_NE(r.out.find("\rFibonacci(42) = 267914296\n"), std::string::npos) << r.out;
  // One frame every 100 ms while computing; allow generous slack.
  int expected = int(seconds * 10);
  EXPECT_GE(spinner_frames(r.out), std::max(1, expected / 2))
      << "ran " << seconds << " s; output: " << r.out;
}

TEST(Spinner, AnimatesWhileComputingWithDefaultProcessors) { check_spinner({}); }

TEST(Spinner, AnimatesWhileComputingWithOneProcessor) { check_spinner({"GORO_MAXPROCS=1"}); }

}  // namespace
