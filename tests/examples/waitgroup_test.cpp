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

// How long `name` takes to run, from start to exit.
std::chrono::steady_clock::duration time_run(const std::string& name, ProcessResult& r,
                                             const std::vector<std::string>& env) {
  auto t0 = std::chrono::steady_clock::now();
  r = run_process({example_path(name)}, "", 30s, env);
  return std::chrono::steady_clock::now() - t0;
}

void check_waitgroup(std::vector<std::string> env) {
  ProcessResult r;
  auto elapsed = time_run("waitgroup", r, env);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  ASSERT_EQ(r.out.back(), '\n') << r.out;
  std::vector<std::string> got = lines(r.out);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"response from worker 1", "response from worker 2"}))
      << r.out;
  // Both one-second workers ran at the same time: the program takes about
  // as long as asyncwait, whose one goroutine sleeps one second (that
  // includes the start-up cost, large under TSan) — not a second more, as a
  // sequential program would.
  EXPECT_GE(elapsed, 1s);
  ProcessResult one;
  auto one_worker = time_run("asyncwait", one, env);
  ASSERT_TRUE(one.ok());
  EXPECT_LT(elapsed, one_worker + 700ms)
      << "waitgroup " << std::chrono::duration<double>(elapsed).count() << " s, asyncwait "
      << std::chrono::duration<double>(one_worker).count() << " s";
}

TEST(WaitGroupExample, PrintsBothResponsesAfterOneSecond) { check_waitgroup({}); }

TEST(WaitGroupExample, WorkersSleepConcurrentlyWithOneProcessor) {
  check_waitgroup({"GORO_MAXPROCS=1"});
}

}  // namespace
