// time::sleep: many sleepers at once, resolution, plain threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <goro/goro.hpp>
#include <random>
#include <vector>

#include "checks.hpp"

namespace {

using namespace goro;
using namespace std::chrono_literals;

TEST(Sleep, HundredThousandConcurrentSleepersAllWakeAfterTheirDuration) {
  const int n = sanitized ? 20'000 : 100'000;
  std::atomic<int> woke{0};
  std::atomic<int> early{0};
  WaitGroup wg;
  wg.add(n);
  std::mt19937 rng(42);
  for (int i = 0; i < n; ++i) {
    time::Duration d = time::Duration(rng() % 50) * time::Millisecond;
    go([&, d] {
      time::Time start = time::now();
      time::sleep(d);
      if (time::since(start) < d) early.fetch_add(1);
      woke.fetch_add(1);
      wg.done();
    });
  }
  wg.wait();
  EXPECT_EQ(woke.load(), n);
  EXPECT_EQ(early.load(), 0);
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

// Median oversleep of 21 one-millisecond sleeps in a goroutine.
time::Duration median_oversleep_of_1ms_sleeps() {
  auto done = make_chan<time::Duration>();
  go([done] {
    std::vector<int64_t> over;
    for (int i = 0; i < 21; ++i) {
      time::Time start = time::now();
      time::sleep(time::Millisecond);
      over.push_back((time::since(start) - time::Millisecond).nanoseconds());
    }
    std::sort(over.begin(), over.end());
    done.send(time::Duration(over[over.size() / 2]));
  });
  return done.recv().value();
}

TEST(Sleep, ResolutionIsFinerThanAMillisecondOnAnIdleRuntime) {
  // Generous: the median oversleep of 1 ms sleeps stays well under a few
  // ms (a 1 ms-granularity wait would show ~1 ms at best, often much more).
  time::Duration median = median_oversleep_of_1ms_sleeps();
  EXPECT_GE(median, time::Duration());
  EXPECT_LT(median, 5 * time::Millisecond) << median.string();
}

// Every P always has a next goroutine (pairs ping-ponging through runnext),
// so no M ever runs out of work and visits the scheduler loop on its own,
// and the idle timer sleeper finds no idle P to run the timers on. The
// switches themselves must notice the due timer: otherwise the sleep lasts
// until sysmon hands a P off (10 ms and more).
TEST(Sleep, EndsOnTimeWhileEveryProcessorIsBusySwitching) {
  std::atomic<bool> stop{false};
  WaitGroup pairs;
  const int n_pairs = 2 * gomaxprocs();
  pairs.add(2 * n_pairs);
  for (int i = 0; i < n_pairs; ++i) {
    auto ping = make_chan<int>();
    auto pong = make_chan<int>();
    go([&, ping, pong] {
      while (!stop.load()) {
        ping.send(1);
        pong.recv();
      }
      ping.close();
      pairs.done();
    });
    go([&, ping, pong] {
      while (ping.recv()) pong.send(1);
      pairs.done();
    });
  }
  time::Duration median = median_oversleep_of_1ms_sleeps();
  stop.store(true);
  pairs.wait();
  EXPECT_LT(median, 5 * time::Millisecond) << median.string();
}

TEST(Sleep, ZeroAndNegativeReturnAtOnceAndPlainThreadsSleep) {
  time::sleep(0ms);
  time::sleep(-time::Second);
  time::Time start = time::now();
  goro::sleep(5ms);  // the plain thread sleeps
  EXPECT_GE(time::since(start), 5 * time::Millisecond);
}

}  // namespace
