// End-to-end: examples/waitgroup (article "Applications of Goroutines &
// Channels in Go"): two workers each sleep one second and send a response
// into a channel buffered for both; main waits on the WaitGroup, closes the
// channel and prints the two responses, in whichever order they came.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

void check_waitgroup(std::vector<std::string> env) {
  auto t0 = std::chrono::steady_clock::now();
  ProcessResult r = run_process({example_path("waitgroup")}, "", 30s, env);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  ASSERT_EQ(r.out.back(), '\n') << r.out;
  std::vector<std::string> got = lines(r.out);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"response from worker 1", "response from worker 2"}))
      << r.out;
  // Both one-second workers ran at the same time: about one second in all,
  // well short of the two a sequential program would take.
  EXPECT_GE(elapsed, 1s);
  EXPECT_LT(elapsed, 1900ms);
}

TEST(WaitGroupExample, PrintsBothResponsesAfterOneSecond) { check_waitgroup({}); }

TEST(WaitGroupExample, WorkersSleepConcurrentlyWithOneProcessor) {
  check_waitgroup({"GORO_MAXPROCS=1"});
}

}  // namespace
