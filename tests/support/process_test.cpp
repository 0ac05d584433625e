// Tests for the end-to-end test helpers in tests/support/process.hpp.
#include "support/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <system_error>

using namespace std::chrono_literals;

namespace {

TEST(RunProcess, EchoPrintsItsArguments) {
  const ProcessResult r = run_process({"/bin/echo", "hello", "goro"});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out, "hello goro\n");
  EXPECT_EQ(r.err, "");
}

TEST(RunProcess, CatEchoesStdin) {
  const ProcessResult r = run_process({"/bin/cat"}, "line one\nline two\n");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.out, "line one\nline two\n");
}

TEST(RunProcess, CatWithLargeStdinDoesNotDeadlock) {
  // Far more than a pipe buffer in both directions at once.
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "0123456789\n";
  const ProcessResult r = run_process({"/bin/cat"}, big, 20s);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.out.size(), big.size());
  EXPECT_TRUE(r.out == big);
}

TEST(RunProcess, ReportsExitCodesAndStderr) {
  const ProcessResult r = run_process({"/bin/sh", "-c", "echo oops >&2; exit 3"});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.err, "oops\n");
  EXPECT_EQ(run_process({"/bin/false"}).exit_code, 1);
  EXPECT_EQ(run_process({"true"}).exit_code, 0);  // found through PATH
}

TEST(RunProcess, ReportsTheSignalThatKilledIt) {
  const ProcessResult r = run_process({"/bin/sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_FALSE(r.timed_out);
}

TEST(RunProcess, KillsTheChildAtTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  const ProcessResult r = run_process({"/bin/sleep", "5"}, "", 200ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_FALSE(r.ok());
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 3s);
}

TEST(RunProcess, PassesExtraEnvironment) {
  const ProcessResult r = run_process({"/bin/sh", "-c", "echo \"$GORO_PROCESS_TEST\""}, "", 10s,
                                      {"GORO_PROCESS_TEST=from the test"});
  EXPECT_EQ(r.out, "from the test\n");
}

TEST(RunProcess, ThrowsWhenTheProgramDoesNotExist) {
  EXPECT_THROW(run_process({"/nonexistent/goro-no-such-program"}), std::system_error);
}

TEST(ChildProcess, TalksToALongRunningProcess) {
  // A tiny "server": announces itself, then answers each line it reads.
  ChildProcess child({"/bin/sh", "-c",
                      "echo starting; echo listening on 127.0.0.1:1234; "
                      "while read -r line; do echo \"got $line\"; done; echo bye"});
  ASSERT_TRUE(child.started());
  const auto ready = child.read_line_until("listening", 5s);
  ASSERT_TRUE(ready.has_value());
  EXPECT_EQ(*ready, "listening on 127.0.0.1:1234");

  ASSERT_TRUE(child.write_stdin("ping\n"));
  EXPECT_EQ(child.read_line(5s), std::optional<std::string>("got ping"));
  ASSERT_TRUE(child.write_stdin("pong\n"));
  EXPECT_EQ(child.read_line_until("pong", 5s), std::optional<std::string>("got pong"));

  child.close_stdin();
  EXPECT_EQ(child.read_line(5s), std::optional<std::string>("bye"));
  EXPECT_EQ(child.read_line(5s), std::nullopt);  // EOF

  const ProcessResult r = child.wait(5s);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.out, "starting\nlistening on 127.0.0.1:1234\ngot ping\ngot pong\nbye\n");
}

TEST(ChildProcess, TerminateStopsIt) {
  ChildProcess child({"/bin/sleep", "30"});
  EXPECT_TRUE(child.running());
  EXPECT_EQ(child.read_line(100ms), std::nullopt);  // nothing printed: times out
  child.terminate();
  const ProcessResult r = child.wait(5s);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_FALSE(child.running());
}

TEST(ChildProcess, WaitKillsAtTheTimeout) {
  ChildProcess child({"/bin/sh", "-c", "trap '' TERM; echo up; exec sleep 30"});
  EXPECT_EQ(child.read_line(5s), std::optional<std::string>("up"));
  const ProcessResult r = child.wait(200ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.out, "up\n");
}

TEST(ChildProcess, DestructorReapsARunningChild) {
  pid_t pid = -1;
  {
    ChildProcess child({"/bin/sleep", "30"});
    pid = child.pid();
    ASSERT_GT(pid, 0);
  }
  // The child was killed and reaped: no such process any more.
  EXPECT_NE(::kill(pid, 0), 0);
}

TEST(Paths, PointIntoTheBuildTree) {
  EXPECT_EQ(example_path("tour"), std::string(GORO_EXAMPLES_DIR) + "/tour");
  EXPECT_EQ(bench_path("bench_x"), std::string(GORO_BENCH_DIR) + "/bench_x");
}

}  // namespace
