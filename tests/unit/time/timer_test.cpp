// time::Timer, Ticker, after, tick and after_func: Go 1.23 semantics (no
// stale values after stop/reset), dropped ticks, reclamation of
// unreferenced timers, and firing while the creating processor is busy.
#include <gtest/gtest.h>

#include <atomic>
#include <goro/goro.hpp>

#include "checks.hpp"
#include "time/timer_heap.hpp"

namespace {

using namespace goro;
using namespace std::chrono_literals;

TEST(After, ReceivesOnceAfterTheDuration) {
  time::Time start = time::now();
  auto c = time::after(20ms);
  std::optional<time::Time> fired = c.recv();
  ASSERT_TRUE(fired);
  EXPECT_GE(time::since(start), 20 * time::Millisecond);
  EXPECT_GE(fired->sub(start), 20 * time::Millisecond);
  time::sleep(30ms);
  EXPECT_FALSE(c.try_recv());  // one value only
}

TEST(Timer, StopBeforeFiringReturnsTrueAndNothingArrives) {
  auto t = time::new_timer(20ms);
  EXPECT_TRUE(t.stop());
  time::sleep(50ms);
  EXPECT_FALSE(t.C.try_recv());
  EXPECT_FALSE(t.stop());  // already stopped
}

TEST(Timer, StopAfterFiringButBeforeReceiveDrainsTheValue) {
  // Go 1.23: the channel is synchronous, so an unreceived value was not
  // delivered yet: stop reports it stopped the timer and C stays empty.
  auto t = time::new_timer(1ms);
  time::sleep(20ms);
  EXPECT_TRUE(t.stop());
  EXPECT_FALSE(t.C.try_recv());
}

TEST(Timer, StopAfterReceiveReturnsFalse) {
  auto t = time::new_timer(1ms);
  ASSERT_TRUE(t.C.recv());
  EXPECT_FALSE(t.stop());
}

TEST(Timer, ResetNeverDeliversTheOldValue) {
  auto t = time::new_timer(1ms);
  time::sleep(20ms);  // fired; its value is waiting
  time::Time reset_at = time::now();
  EXPECT_TRUE(t.reset(50ms));
  EXPECT_FALSE(t.C.try_recv());
  auto v = t.C.recv();
  ASSERT_TRUE(v);
  EXPECT_GE(v->sub(reset_at), 50 * time::Millisecond);
  EXPECT_FALSE(t.reset(1ms));  // fired and received: reset reports false
  EXPECT_TRUE(t.C.recv());
}

TEST(Timer, StopAndResetRacingFiringNeverLeaveStaleValues) {
  // Durations around the time the calls take, so the firing races them.
  auto t = time::new_timer(time::Hour);
  int stale = 0;
  for (int i = 0; i < 20000; ++i) {
    t.reset(time::Duration(i % 7 * 1000));  // 0..6 µs
    for (int spin = 0; spin < i % 50; ++spin) asm volatile("");
    if (i % 2)
      t.stop();
    else
      t.reset(time::Hour);
    // A firing of the earlier arming may still be in flight: it must not
    // deliver anything now.
    for (int look = 0; look < 20; ++look)
      if (t.C.try_recv()) ++stale;
  }
  EXPECT_EQ(stale, 0);
}

TEST(Timer, ConcurrentStopAndResetFromManyGoroutines) {
  auto t = time::new_timer(time::Millisecond);
  WaitGroup wg;
  std::atomic<int> received{0};
  for (int g = 0; g < 4; ++g) {
    wg.add(1);
    go([&, g] {
      for (int i = 0; i < 2000; ++i) {
        if ((i + g) % 2)
          t.reset(time::Duration((i % 5) * 1000));
        else
          t.stop();
        if (t.C.try_recv()) received.fetch_add(1);
      }
      wg.done();
    });
  }
  wg.wait();
  t.stop();
  EXPECT_FALSE(t.C.try_recv());
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

TEST(Timer, FiresWhileItsProcessorIsBusyComputing) {
  // The timer is queued on the computing goroutine's processor, which never
  // gets back to its scheduler; the timer must still fire on time (sysmon
  // hands the processor to another thread).
  auto fired = make_chan<time::Duration>(1);
  std::atomic<bool> stop_spinning{false};
  go([&] {
    time::Time start = time::now();
    auto t = time::after_func(20ms, [fired, start] { fired.send(time::since(start)); });
    while (!stop_spinning.load(std::memory_order_relaxed)) {
    }
  });
  auto took = fired.recv();
  stop_spinning = true;
  ASSERT_TRUE(took);
  EXPECT_GE(*took, 20 * time::Millisecond);
  EXPECT_LT(*took, 2 * time::Second);
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

TEST(Ticker, TicksAtThePeriod) {
  // The clock is read before the ticker starts: read after, a thread
  // descheduled in between (a loaded machine) saw the fifth tick early.
  time::Time start = time::now();
  auto ticker = time::new_ticker(10ms);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(ticker.C.recv());
  time::Duration elapsed = time::since(start);
  ticker.stop();
  EXPECT_GE(elapsed, 45 * time::Millisecond);
  EXPECT_LT(elapsed, 5 * time::Second);
}

TEST(Ticker, DropsTicksForASlowReceiver) {
  auto ticker = time::new_ticker(1ms);
  time::sleep(50ms);  // ~50 ticks pass unreceived
  // One tick is pending, not a backlog of ~50. Drain: a tick may also arrive
  // while draining (a slow or preempted run), but at most one per elapsed
  // period, while a backlog would come out all at once.
  time::Time start = time::now();
  int received = 0;
  while (ticker.C.try_recv()) ++received;
  auto periods = int(time::since(start) / time::Millisecond);
  EXPECT_GE(received, 1);
  EXPECT_LE(received, 2 + periods);
  ticker.stop();
}

TEST(Ticker, NoTickAfterStopAndResetChangesThePeriod) {
  auto ticker = time::new_ticker(2ms);
  ASSERT_TRUE(ticker.C.recv());
  ticker.stop();
  EXPECT_FALSE(ticker.C.try_recv());
  time::sleep(20ms);
  EXPECT_FALSE(ticker.C.try_recv());
  time::Time reset_at = time::now();
  ticker.reset(30ms);
  auto tick = ticker.C.recv();
  ASSERT_TRUE(tick);
  EXPECT_GE(tick->sub(reset_at), 30 * time::Millisecond);
  ticker.stop();
}

TEST(Ticker, NonPositiveIntervalsPanicLikeGo) {
  EXPECT_EQ(panic_message([] { time::new_ticker(0ms); }), "non-positive interval for NewTicker");
  auto ticker = time::new_ticker(time::Hour);
  EXPECT_EQ(panic_message([&] { ticker.reset(-time::Second); }),
            "non-positive interval for Ticker.Reset");
  EXPECT_EQ(time::tick(0ms), nullptr);  // Go's time.Tick returns nil
}

TEST(Tick, UnreferencedTickersAreReclaimed) {
  // The seed's time.Tick leak: a ticker nobody can receive from again must
  // leave the runtime's timer heaps.
  ASSERT_EQ(rt::timers_earliest(), rt::no_timer);
  for (int i = 0; i < 1000; ++i) {
    auto c = time::tick(time::Millisecond);
    if (i % 100 == 0) c.recv();
  }
  {
    auto ticker = time::new_ticker(time::Millisecond);
    auto timer = time::new_timer(time::Hour);
    auto only_c = time::new_timer(time::Hour).C;
  }
  EXPECT_EQ(rt::timers_earliest(), rt::no_timer);
}

TEST(AfterFunc, RunsInItsOwnGoroutineEvenIfUnreferenced) {
  auto ran = make_chan<bool>(1);
  time::after_func(5ms, [ran] { ran.send(true); });  // the Timer is dropped at once
  EXPECT_TRUE(ran.recv());
}

TEST(AfterFunc, StopPreventsItAndResetRearms) {
  std::atomic<int> runs{0};
  auto t = time::after_func(20ms, [&] { runs.fetch_add(1); });
  EXPECT_TRUE(t.stop());
  time::sleep(40ms);
  EXPECT_EQ(runs.load(), 0);
  EXPECT_FALSE(t.reset(5ms));
  ASSERT_TRUE(eventually([&] { return runs.load() == 1; }));
  EXPECT_FALSE(t.stop());  // f already started
  EXPECT_FALSE(t.reset(5ms));
  ASSERT_TRUE(eventually([&] { return runs.load() == 2; }));
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

// A select blocked on time::after(d) may take the value on its own re-check
// while the firing still serves the channel's queue; the select then drops
// the only handle at once, so the firing's own part must not be what frees
// the channel (its on_free takes the lock the firing holds: a deadlock, a
// TSan CI run hung in Server::shutdown's polling select this way).
TEST(After, ChannelDroppedAsSoonAsASelectReceivesFromIt) {
  constexpr int goroutines = 4, rounds = 5000;
  std::atomic<int> finished{0};
  auto never = make_chan<int>();
  for (int g = 0; g < goroutines; ++g) {
    go([&finished, never, g] {
      for (int i = 0; i < rounds; ++i) {
        auto d = std::chrono::microseconds((i * 7 + g) % 40);
        EXPECT_EQ(select(recv(never), recv(time::after(d))), 1);
      }
      finished.fetch_add(1);
    });
  }
  if (!eventually([&] { return finished.load() == goroutines; }, std::chrono::seconds(120))) {
    ADD_FAILURE() << "the selects on time::after never all finished (a firing is stuck)";
    std::_Exit(1);  // goroutines stay blocked: do not wait for them at exit
  }
}

TEST(Timer, WorksFromPlainThreads) {
  std::thread other([] {
    auto t = time::new_timer(5ms);
    EXPECT_TRUE(t.C.recv());
  });
  other.join();
  EXPECT_TRUE(time::after(1ms).recv());
}

}  // namespace
