// goro::Cond: signal wakes one waiter, broadcast wakes all, a signal with
// no waiters is not remembered, goroutines and threads wait together.
#include <atomic>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "sync_test_support.hpp"

namespace {

using namespace sync_test;

struct Shared {
  goro::Mutex mu;
  goro::Cond cond{mu};
  goro::WaitGroup wg;
  int waiting = 0;   // under mu: parties that are about to wait or waiting
  int tokens = 0;    // under mu
  int wakeups = 0;   // under mu: returns from wait()
  int finished = 0;  // under mu
};

int locked_read(Shared& s, const int& field) {
  std::lock_guard<goro::Mutex> guard(s.mu);
  return field;
}

// Waits until it gets a token; counts every return from wait().
void consume_one(Shared& s) {
  s.mu.lock();
  ++s.waiting;
  while (s.tokens == 0) {
    s.cond.wait();
    ++s.wakeups;
  }
  --s.tokens;
  --s.waiting;
  ++s.finished;
  s.mu.unlock();
}

TEST(Cond, SignalWakesExactlyOneWaiter) {
  auto s = std::make_shared<Shared>();
  constexpr int kWaiters = 6;
  s->wg.add(kWaiters);
  for (int i = 0; i < kWaiters; ++i) {
    goro::go([s] {
      consume_one(*s);
      s->wg.done();
    });
  }
  // Once `waiting` is full and we hold the mutex, every waiter is in wait().
  ASSERT_TRUE(eventually([&] { return locked_read(*s, s->waiting) == kWaiters; }));
  for (int round = 1; round <= kWaiters; ++round) {
    {
      std::lock_guard<goro::Mutex> guard(s->mu);
      ++s->tokens;
      s->cond.signal();
    }
    ASSERT_TRUE(eventually([&] { return locked_read(*s, s->finished) == round; }));
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(locked_read(*s, s->wakeups), round) << "signal woke more than one waiter";
  }
  s->wg.wait();
}

TEST(Cond, BroadcastWakesEveryWaiter) {
  auto s = std::make_shared<Shared>();
  constexpr int kGoroutines = 8;
  constexpr int kThreads = 3;
  s->wg.add(kGoroutines + kThreads);
  for (int i = 0; i < kGoroutines; ++i) {
    goro::go([s] {
      consume_one(*s);
      s->wg.done();
    });
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([s] {
      consume_one(*s);
      s->wg.done();
    });
  }
  ASSERT_TRUE(eventually([&] { return locked_read(*s, s->waiting) == kGoroutines + kThreads; }));
  {
    std::lock_guard<goro::Mutex> guard(s->mu);
    s->tokens = kGoroutines + kThreads;
    s->cond.broadcast();
  }
  s->wg.wait();
  for (auto& t : threads) t.join();
  EXPECT_EQ(s->finished, kGoroutines + kThreads);
  EXPECT_EQ(s->wakeups, kGoroutines + kThreads);
}

TEST(Cond, SignalWithoutWaitersIsNotRemembered) {
  auto s = std::make_shared<Shared>();
  s->cond.signal();
  s->cond.broadcast();
  s->wg.add(1);
  goro::go([s] {
    s->mu.lock();
    ++s->waiting;
    s->cond.wait();  // must block: the earlier signals are gone
    ++s->wakeups;
    s->mu.unlock();
    s->wg.done();
  });
  ASSERT_TRUE(eventually([&] { return locked_read(*s, s->waiting) == 1; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(locked_read(*s, s->wakeups), 0);
  s->cond.signal();  // without holding the mutex: allowed
  s->wg.wait();
  EXPECT_EQ(s->wakeups, 1);
}

TEST(Cond, ProducerConsumerQueue) {
  struct Queue {
    goro::Mutex mu;
    goro::Cond not_empty{mu};
    std::deque<int> items;
    bool closed = false;
    long sum = 0;
    goro::WaitGroup consumers;
  };
  auto q = std::make_shared<Queue>();
  constexpr int kConsumers = 4;
  const int items = 20'000 / kScale;
  q->consumers.add(kConsumers);
  for (int i = 0; i < kConsumers; ++i) {
    goro::go([q] {
      std::unique_lock<goro::Mutex> lock(q->mu);
      for (;;) {
        while (q->items.empty() && !q->closed) q->not_empty.wait();
        if (q->items.empty()) break;
        q->sum += q->items.front();
        q->items.pop_front();
      }
      lock.unlock();
      q->consumers.done();
    });
  }
  long expected = 0;
  for (int i = 1; i <= items; ++i) {
    expected += i;
    std::lock_guard<goro::Mutex> guard(q->mu);
    q->items.push_back(i);
    q->not_empty.signal();
  }
  {
    std::lock_guard<goro::Mutex> guard(q->mu);
    q->closed = true;
    q->not_empty.broadcast();
  }
  q->consumers.wait();
  EXPECT_EQ(q->sum, expected);
}

TEST(Cond, WaitWithoutTheMutexPanicsAndLeavesNoWaiter) {
  auto s = std::make_shared<Shared>();
  EXPECT_EQ(panic_message([&] { s->cond.wait(); }), "sync: unlock of unlocked mutex");
  s->cond.signal();  // must not touch the failed wait's (gone) record
  EXPECT_TRUE(s->mu.try_lock());
  s->mu.unlock();
}

}  // namespace
