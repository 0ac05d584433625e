// End-to-end: examples/asyncwait (article "Applications of Goroutines &
// Channels in Go"): main blocks on `res := <-ch` until the goroutine, after
// sleeping one second, sends its value; then it prints it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

void check_asyncwait(std::vector<std::string> env) {
  auto t0 = std::chrono::steady_clock::now();
  ProcessResult r = run_process({example_path("asyncwait")}, "", 30s, env);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out, "hello from the goroutine\n");
  EXPECT_EQ(r.err, "");
  // main must have waited for the goroutine's one-second sleep ...
  EXPECT_GE(elapsed, 1s);
  // ... and no more than that (generously: sanitizers, loaded machines).
  EXPECT_LT(elapsed, 6s);
}

TEST(AsyncWait, MainBlocksOneSecondForTheGoroutinesValueAndPrintsIt) { check_asyncwait({}); }

TEST(AsyncWait, WorksWithOneProcessor) { check_asyncwait({"GORO_MAXPROCS=1"}); }

}  // namespace
