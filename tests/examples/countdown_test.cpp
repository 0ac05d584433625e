// End-to-end: gopl.io/ch8 countdown2 and countdown3 launch after the
// countdown unless a byte arrives on stdin (the user pressing return),
// which aborts the launch.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

const std::string commencing = "Commencing countdown.  Press return to abort.";

TEST(Countdown, Countdown2LaunchesAfterTheDelay) {
  auto t0 = Clock::now();
  // stdin stays open (and empty): nobody presses return.
  ChildProcess p({example_path("countdown2"), "-delay", "500ms"});
  EXPECT_EQ(p.read_line(20s), commencing);
  EXPECT_EQ(p.read_line(20s), "Lift off!");
  EXPECT_GE(seconds_since(t0), 0.5);
  ProcessResult r = p.wait(10s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out, commencing + "\nLift off!\n");
}

TEST(Countdown, Countdown2AbortsOnReturn) {
  ChildProcess p({example_path("countdown2")});  // the book's 10 s
  EXPECT_EQ(p.read_line(20s), commencing);
  auto t0 = Clock::now();
  ASSERT_TRUE(p.write_stdin("\n"));
  EXPECT_EQ(p.read_line(5s), "Launch aborted!");
  EXPECT_LT(seconds_since(t0), 5.0);
  ProcessResult r = p.wait(5s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out, commencing + "\nLaunch aborted!\n");
}

TEST(Countdown, Countdown3CountsDownAndLaunches) {
  auto t0 = Clock::now();
  ChildProcess p({example_path("countdown3"), "-tick", "50ms"});
  EXPECT_EQ(p.read_line(20s), commencing);
  for (int i = 10; i > 0; i--) EXPECT_EQ(p.read_line(10s), std::to_string(i));
  EXPECT_EQ(p.read_line(10s), "Lift off!");
  EXPECT_GE(seconds_since(t0), 0.5) << "ten ticks of 50 ms";
  ProcessResult r = p.wait(10s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
}

TEST(Countdown, Countdown3TicksOnceASecondByDefault) {
  ChildProcess p({example_path("countdown3")});
  EXPECT_EQ(p.read_line(20s), commencing);
  EXPECT_EQ(p.read_line(10s), "10");
  auto t0 = Clock::now();
  EXPECT_EQ(p.read_line(10s), "9");
  EXPECT_EQ(p.read_line(10s), "8");
  double s = seconds_since(t0);
  EXPECT_GT(s, 1.5);
  EXPECT_LT(s, 6.0);
}

TEST(Countdown, Countdown3AbortsOnReturnMidCountdown) {
  ChildProcess p({example_path("countdown3"), "-tick", "200ms"});
  EXPECT_EQ(p.read_line(20s), commencing);
  EXPECT_EQ(p.read_line(10s), "10");
  EXPECT_EQ(p.read_line(10s), "9");
  ASSERT_TRUE(p.write_stdin("\n"));
  ProcessResult r = p.wait(10s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_NE(r.out.find("Launch aborted!\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Lift off!"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\n1\n"), std::string::npos) << "aborted too late: " << r.out;
}

}  // namespace
