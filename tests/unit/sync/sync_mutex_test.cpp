// goro::Mutex: mutual exclusion across goroutines and threads, try_lock,
// misuse panic, starvation mode bound, Lockable.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sync_test_support.hpp"

namespace {

using namespace sync_test;

struct Counter {
  goro::Mutex mu;
  long value = 0;  // guarded by mu; deliberately not atomic
  goro::WaitGroup wg;
};

TEST(Mutex, ExcludesGoroutines) {
  auto c = std::make_shared<Counter>();
  constexpr int kGoroutines = 8;
  const int increments = 10'000 / kScale;
  c->wg.add(kGoroutines);
  for (int i = 0; i < kGoroutines; ++i) {
    goro::go([c, increments] {
      for (int k = 0; k < increments; ++k) {
        c->mu.lock();
        long v = c->value;
        if (k % 64 == 0) goro::yield();  // invite others in while holding it
        c->value = v + 1;
        c->mu.unlock();
      }
      c->wg.done();
    });
  }
  c->wg.wait();
  EXPECT_EQ(c->value, long(kGoroutines) * increments);
}

TEST(Mutex, ExcludesGoroutinesAndThreadsTogether) {
  auto c = std::make_shared<Counter>();
  constexpr int kGoroutines = 4;
  constexpr int kThreads = 4;
  const int increments = 10'000 / kScale;
  c->wg.add(kGoroutines + kThreads);
  for (int i = 0; i < kGoroutines; ++i) {
    goro::go([c, increments] {
      for (int k = 0; k < increments; ++k) {
        std::lock_guard<goro::Mutex> guard(c->mu);
        ++c->value;
      }
      c->wg.done();
    });
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([c, increments] {
      for (int k = 0; k < increments; ++k) {
        std::unique_lock<goro::Mutex> guard(c->mu);
        ++c->value;
      }
      c->wg.done();
    });
  }
  c->wg.wait();
  for (auto& t : threads) t.join();
  EXPECT_EQ(c->value, long(kGoroutines + kThreads) * increments);
}

TEST(Mutex, TryLock) {
  auto c = std::make_shared<Counter>();
  EXPECT_TRUE(c->mu.try_lock());
  EXPECT_FALSE(c->mu.try_lock());
  std::atomic<int> other{0};  // 1 failed as expected, 2 wrongly succeeded
  c->wg.add(1);
  goro::go([c, &other] {
    other = c->mu.try_lock() ? 2 : 1;
    c->wg.done();
  });
  c->wg.wait();
  EXPECT_EQ(other.load(), 1);
  c->mu.unlock();
  EXPECT_TRUE(c->mu.try_lock());
  c->mu.unlock();
}

TEST(Mutex, UnlockOfUnlockedMutexPanics) {
  goro::Mutex mu;
  EXPECT_THROW(
      {
        try {
          mu.unlock();
        } catch (const goro::Panic& p) {
          EXPECT_STREQ(p.what(), "sync: unlock of unlocked mutex");
          throw;
        }
      },
      goro::Panic);
  // Still usable, and still unlocked.
  EXPECT_TRUE(mu.try_lock());
  mu.unlock();
  EXPECT_EQ(panic_message([&] { mu.unlock(); }), "sync: unlock of unlocked mutex");
}

TEST(Mutex, BlockedThreadGetsLockHeldByGoroutine) {
  auto c = std::make_shared<Counter>();
  std::atomic<bool> locked{false};
  c->wg.add(1);
  goro::go([c, &locked] {
    c->mu.lock();
    locked = true;
    goro::sleep(30ms);
    c->value = 42;
    c->mu.unlock();
    c->wg.done();
  });
  ASSERT_TRUE(eventually([&] { return locked.load(); }));
  c->mu.lock();  // blocks this plain thread until the goroutine unlocks
  EXPECT_EQ(c->value, 42);
  c->mu.unlock();
  c->wg.wait();
}

TEST(Mutex, MayBeUnlockedByAnotherParty) {
  auto c = std::make_shared<Counter>();
  c->mu.lock();
  c->wg.add(1);
  goro::go([c] {
    c->mu.unlock();
    c->wg.done();
  });
  c->wg.wait();
  EXPECT_TRUE(c->mu.try_lock());
  c->mu.unlock();
}

// While several goroutines hammer lock/unlock, holding the lock for a while
// each time, late arrivals (goroutines and a thread) still get it quickly:
// after 1 ms of waiting the mutex switches to starvation mode and hands off.
TEST(Mutex, WaiterIsNotStarvedByHammeringGoroutines) {
  struct Shared {
    goro::Mutex mu;
    std::atomic<bool> stop{false};
    goro::WaitGroup hammers;
    goro::WaitGroup victims;
    std::atomic<int64_t> worst_ns{0};
  };
  auto s = std::make_shared<Shared>();
  auto note_wait = [](Shared& sh, int64_t ns) {
    int64_t cur = sh.worst_ns.load();
    while (ns > cur && !sh.worst_ns.compare_exchange_weak(cur, ns)) {
    }
  };
  constexpr int kHammers = 4;
  s->hammers.add(kHammers);
  for (int i = 0; i < kHammers; ++i) {
    goro::go([s] {
      while (!s->stop.load(std::memory_order_relaxed)) {
        s->mu.lock();
        const auto until = std::chrono::steady_clock::now() + 20us;
        while (std::chrono::steady_clock::now() < until) {
        }
        s->mu.unlock();
      }
      s->hammers.done();
    });
  }
  std::this_thread::sleep_for(20ms);  // let them get going
  constexpr int kVictims = 5;
  s->victims.add(kVictims + 1);
  for (int i = 0; i < kVictims; ++i) {
    goro::go([s, note_wait] {
      for (int k = 0; k < 5; ++k) {
        const auto start = std::chrono::steady_clock::now();
        s->mu.lock();
        note_wait(*s, (std::chrono::steady_clock::now() - start).count());
        s->mu.unlock();
        goro::sleep(1ms);
      }
      s->victims.done();
    });
  }
  std::thread thread_victim([s, note_wait] {
    for (int k = 0; k < 5; ++k) {
      const auto start = std::chrono::steady_clock::now();
      s->mu.lock();
      note_wait(*s, (std::chrono::steady_clock::now() - start).count());
      s->mu.unlock();
      std::this_thread::sleep_for(1ms);
    }
    s->victims.done();
  });
  s->victims.wait();
  s->stop = true;
  s->hammers.wait();
  thread_victim.join();
  EXPECT_LT(s->worst_ns.load(), std::chrono::nanoseconds(2s).count());
}

}  // namespace

// Reads the private state word (tests only).
struct goro::detail::MutexProbe {
  static int32_t state(const Mutex& m) { return m.state_.load(); }
  static bool starving(const Mutex& m) { return (state(m) & Mutex::kStarving) != 0; }
};

namespace {

using goro::detail::MutexProbe;

// Starvation mode, white-box: a waiter that has waited over 1 ms and then
// loses the race to a barging locker switches the mutex to starvation mode;
// the next unlock hands the lock straight to it (so the mutex is not free
// for try_lock in between); once the last waiter has it, normal mode returns.
TEST(Mutex, StarvingWaiterSwitchesToHandOff) {
  struct Shared {
    goro::Mutex mu;
    std::atomic<bool> waiter_in{false};
    std::atomic<bool> hold{false};
    std::atomic<int> barged{0};  // 1: the barger got the lock first, 2: the waiter did
    std::atomic<bool> waiter_may_leave{false};
    goro::WaitGroup wg;
  };
  bool checked = false;
  for (int attempt = 0; attempt < 20 && !checked; ++attempt) {
    auto s = std::make_shared<Shared>();
    s->mu.lock();
    s->wg.add(1);
    goro::go([s] {
      s->mu.lock();
      s->waiter_in = true;
      // Hold on only in the case under test (we got the lock by hand-off):
      // if we won the first race instead, the test thread is blocked in lock().
      if (s->hold.load())
        while (!s->waiter_may_leave.load()) goro::sleep(1ms);
      s->mu.unlock();
      s->wg.done();
    });
    std::this_thread::sleep_for(10ms);  // the waiter queues and waits > 1 ms
    ASSERT_FALSE(MutexProbe::starving(s->mu));
    // A goroutine unlocks (waking the waiter) and at once locks again. The
    // woken waiter is queued on that goroutine's processor, which does not
    // switch until the goroutine blocks, so the barger nearly always wins.
    goro::go([s] {
      s->mu.unlock();
      s->mu.lock();
      s->barged = s->waiter_in.load() ? 2 : 1;
    });
    ASSERT_TRUE(eventually([&] { return s->barged.load() != 0; }));
    if (s->barged.load() == 2) {  // the waiter won the race instead: try again
      s->mu.unlock();
      s->wg.wait();
      continue;
    }
    s->hold = true;  // we hold the lock, so the waiter cannot be inside yet
    // The woken waiter finds the mutex locked and, having waited too long,
    // switches it to starvation mode before queueing again.
    ASSERT_TRUE(eventually([&] { return MutexProbe::starving(s->mu); }));
    s->mu.unlock();  // hands off: the waiter owns the lock now
    EXPECT_FALSE(s->mu.try_lock()) << "the lock was not handed to the waiter";
    ASSERT_TRUE(eventually([&] { return s->waiter_in.load(); }));
    // The waiter was the last one: back to normal mode.
    EXPECT_FALSE(MutexProbe::starving(s->mu));
    s->waiter_may_leave = true;
    s->wg.wait();
    EXPECT_EQ(MutexProbe::state(s->mu), 0);
    checked = true;
  }
  EXPECT_TRUE(checked) << "the waiter always won the race; starvation mode never exercised";
}

// While a plain thread hammers lock/unlock with no gap at all, waiting
// goroutines and threads still get the lock within a bounded time.
TEST(Mutex, WaitersGetInWhileAThreadHammersInATightLoop) {
  struct Shared {
    goro::Mutex mu;
    std::atomic<bool> stop{false};
    goro::WaitGroup victims;
    std::atomic<int64_t> worst_ns{0};
  };
  auto s = std::make_shared<Shared>();
  std::thread hammer([s] {
    while (!s->stop.load(std::memory_order_relaxed)) {
      s->mu.lock();
      s->mu.unlock();
    }
  });
  auto victim = [s] {
    for (int k = 0; k < 20; ++k) {
      const auto start = std::chrono::steady_clock::now();
      s->mu.lock();
      const int64_t ns = (std::chrono::steady_clock::now() - start).count();
      s->mu.unlock();
      int64_t cur = s->worst_ns.load();
      while (ns > cur && !s->worst_ns.compare_exchange_weak(cur, ns)) {
      }
    }
    s->victims.done();
  };
  s->victims.add(3);
  goro::go(victim);
  goro::go(victim);
  std::thread thread_victim(victim);
  s->victims.wait();
  s->stop = true;
  hammer.join();
  thread_victim.join();
  EXPECT_LT(s->worst_ns.load(), std::chrono::nanoseconds(2s).count());
}

TEST(Mutex, WorksWithStdLockForTwoMutexes) {
  goro::Mutex a, b;
  std::lock(a, b);
  EXPECT_FALSE(a.try_lock());
  EXPECT_FALSE(b.try_lock());
  a.unlock();
  b.unlock();
  std::scoped_lock both(a, b);
}

}  // namespace
