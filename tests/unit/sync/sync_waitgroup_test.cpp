// goro::WaitGroup: release at zero, negative counter panic, reuse, waiters
// on goroutines and plain threads.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "sync_test_support.hpp"

namespace {

using namespace sync_test;

TEST(WaitGroup, WaitReturnsAtOnceWhenCounterIsZero) {
  goro::WaitGroup wg;
  wg.wait();
  wg.add(2);
  wg.done();
  wg.done();
  wg.wait();
}

TEST(WaitGroup, WaitReleasesWhenCounterReachesZero) {
  struct Shared {
    goro::WaitGroup wg;
    std::atomic<int> finished{0};
  };
  auto s = std::make_shared<Shared>();
  constexpr int kWorkers = 16;
  s->wg.add(kWorkers);
  for (int i = 0; i < kWorkers; ++i) {
    goro::go([s, i] {
      goro::sleep(std::chrono::milliseconds(1 + i % 5));
      s->finished.fetch_add(1);
      s->wg.done();
    });
  }
  s->wg.wait();
  EXPECT_EQ(s->finished.load(), kWorkers);
}

TEST(WaitGroup, WaitBlocksUntilTheLastDone) {
  struct Shared {
    goro::WaitGroup wg;
    std::atomic<int> released{0};
  };
  auto s = std::make_shared<Shared>();
  s->wg.add(2);
  constexpr int kGoroutineWaiters = 4;
  constexpr int kThreadWaiters = 2;
  for (int i = 0; i < kGoroutineWaiters; ++i) {
    goro::go([s] {
      s->wg.wait();
      s->released.fetch_add(1);
    });
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreadWaiters; ++i) {
    threads.emplace_back([s] {
      s->wg.wait();
      s->released.fetch_add(1);
    });
  }
  s->wg.done();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(s->released.load(), 0) << "waiters released before the counter reached zero";
  s->wg.done();
  EXPECT_TRUE(eventually([&] { return s->released.load() == kGoroutineWaiters + kThreadWaiters; }));
  for (auto& t : threads) t.join();
}

TEST(WaitGroup, NegativeCounterPanics) {
  goro::WaitGroup wg;
  EXPECT_THROW(
      {
        try {
          wg.done();
        } catch (const goro::Panic& p) {
          EXPECT_STREQ(p.what(), "sync: negative WaitGroup counter");
          throw;
        }
      },
      goro::Panic);
  wg.add(1);
  EXPECT_EQ(panic_message([&] { wg.add(-2); }), "sync: negative WaitGroup counter");
  // The failed calls changed nothing: the counter is still 1.
  wg.done();
  wg.wait();
}

TEST(WaitGroup, NegativeCounterPanicsInAGoroutine) {
  struct Shared {
    goro::WaitGroup wg;
    std::atomic<int> result{0};  // 1 caught the right panic, 2 something else
  };
  auto s = std::make_shared<Shared>();
  goro::go([s] {
    goro::WaitGroup local;
    s->result = panic_message([&] { local.add(-1); }) == "sync: negative WaitGroup counter" ? 1 : 2;
  });
  EXPECT_TRUE(eventually([&] { return s->result.load() != 0; }));
  EXPECT_EQ(s->result.load(), 1);
}

TEST(WaitGroup, IsReusableAfterWaitReturns) {
  struct Shared {
    goro::WaitGroup wg;
    std::atomic<int> total{0};
  };
  auto s = std::make_shared<Shared>();
  const int rounds = 200 / kScale;
  constexpr int kWorkers = 4;
  for (int round = 0; round < rounds; ++round) {
    s->wg.add(kWorkers);
    for (int i = 0; i < kWorkers; ++i) {
      goro::go([s] {
        s->total.fetch_add(1);
        s->wg.done();
      });
    }
    s->wg.wait();
    ASSERT_EQ(s->total.load(), (round + 1) * kWorkers);
  }
}

TEST(WaitGroup, GoroutineWaitsForThreads) {
  struct Shared {
    goro::WaitGroup work;
    goro::WaitGroup finished;
    std::atomic<int> sum{0};
    std::atomic<int> seen{-1};
  };
  auto s = std::make_shared<Shared>();
  constexpr int kThreads = 4;
  s->work.add(kThreads);
  s->finished.add(1);
  goro::go([s] {
    s->work.wait();
    s->seen = s->sum.load();
    s->finished.done();
  });
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([s, i] {
      std::this_thread::sleep_for(std::chrono::milliseconds(i * 2));
      s->sum.fetch_add(i + 1);
      s->work.done();
    });
  }
  s->finished.wait();
  EXPECT_EQ(s->seen.load(), 1 + 2 + 3 + 4);
  for (auto& t : threads) t.join();
}

}  // namespace
