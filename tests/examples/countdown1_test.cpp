// End-to-end: gopl.io/ch8/countdown1 prints "Commencing countdown.", then
// 10..1 one per tick, then "Lift off!".
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

TEST(Countdown1, CountsDownOnePerTickThenLaunches) {
  // 10 ticks of 100ms: about a second in all.
  ChildProcess child({example_path("countdown1"), "-tick", "100ms"});
  std::vector<std::string> lines;
  std::vector<Clock::time_point> times;
  while (auto line = child.read_line(20s)) {
    lines.push_back(*line);
    times.push_back(Clock::now());
  }
  ProcessResult r = child.wait(10s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.err, "");

  std::vector<std::string> want = {"Commencing countdown."};
  for (int i = 10; i > 0; --i) want.push_back(std::to_string(i));
  want.push_back("Lift off!");
  ASSERT_EQ(lines, want);

  // "10" is printed before the first tick, "Lift off!" after the tenth: at
  // least ~10 ticks apart (timers never fire early; allow for where each
  // line was read), and not absurdly long.
  double total = seconds_between(times[1], times.back());
  EXPECT_GE(total, 0.9) << "the countdown did not wait for the ticks";
  EXPECT_LT(total, 15.0);
  // Each count waits for a tick. (A count may follow the one before it
  // closely when the program was held up and a tick was already pending, so
  // only most of the gaps must be near the interval.)
  int spaced = 0;
  for (std::size_t i = 2; i < times.size(); ++i) {
    if (seconds_between(times[i - 1], times[i]) >= 0.05) ++spaced;
  }
  EXPECT_GE(spaced, 5) << "the counts came together, not one per tick";
}

TEST(Countdown1, DefaultTickIsOneSecond) {
  // Without -tick the book's 1s interval applies: after 2.5s the countdown
  // has printed 10, 9, 8 (and is waiting for the third tick).
  auto t0 = Clock::now();
  ChildProcess child({example_path("countdown1")});
  ASSERT_EQ(child.read_line(10s), "Commencing countdown.");
  ASSERT_EQ(child.read_line(10s), "10");
  ASSERT_EQ(child.read_line(10s), "9");
  EXPECT_GE(seconds_between(t0, Clock::now()), 0.9);
  ASSERT_EQ(child.read_line(10s), "8");
  EXPECT_GE(seconds_between(t0, Clock::now()), 1.9);
  // "7" is not due before 3s.
  auto early = child.read_line(std::chrono::milliseconds(
      std::max<long>(0, long(2500 - 1000 * seconds_between(t0, Clock::now())))));
  EXPECT_FALSE(early.has_value()) << "got " << *early << " before 2.5s";
  EXPECT_TRUE(child.running());
  child.kill();
}

}  // namespace
