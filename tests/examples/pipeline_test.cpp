// End-to-end: the gopl.io ch8 pipeline examples print the squares in order.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

std::string squares_up_to(int n) {
  std::string s;
  for (long x = 0; x < n; ++x) s += std::to_string(x * x) + "\n";
  return s;
}

TEST(Pipeline, Pipeline2PrintsFirstHundredSquaresAndExits) {
  ProcessResult r = run_process({example_path("pipeline2")}, "", 30s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out, squares_up_to(100));
  EXPECT_EQ(r.err, "");
}

TEST(Pipeline, Pipeline3WithUnidirectionalChannelsPrintsFirstHundredSquares) {
  ProcessResult r = run_process({example_path("pipeline3")}, "", 30s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out, squares_up_to(100));
  EXPECT_EQ(r.err, "");
}

TEST(Pipeline, Pipeline1PrintsSquaresForeverUntilKilled) {
  ChildProcess child({example_path("pipeline1")});
  for (long x = 0; x < 1000; ++x) {
    auto line = child.read_line(10s);
    ASSERT_TRUE(line.has_value()) << "output ended at x=" << x;
    ASSERT_EQ(*line, std::to_string(x * x));
  }
  EXPECT_TRUE(child.running()) << "pipeline1 must run forever";
  child.terminate();
  ProcessResult r = child.wait(10s);
  EXPECT_NE(r.signal, 0);
}

}  // namespace
