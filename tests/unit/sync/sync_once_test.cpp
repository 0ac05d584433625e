// goro::Once: exactly once, concurrent callers wait for f, a throwing f
// counts as done.
#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sync_test_support.hpp"

namespace {

using namespace sync_test;

TEST(Once, RunsExactlyOnceAndCallersReturnAfterItFinished) {
  struct Shared {
    goro::Once once;
    goro::WaitGroup wg;
    std::atomic<int> calls{0};
    std::atomic<bool> finished{false};
    std::atomic<int> early_returns{0};
  };
  auto s = std::make_shared<Shared>();
  constexpr int kGoroutines = 90;
  constexpr int kThreads = 10;
  auto caller = [s] {
    s->once.call([&] {
      s->calls.fetch_add(1);
      goro::sleep(50ms);
      s->finished = true;
    });
    if (!s->finished.load()) s->early_returns.fetch_add(1);
    s->wg.done();
  };
  s->wg.add(kGoroutines + kThreads);
  for (int i = 0; i < kGoroutines; ++i) goro::go(caller);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(caller);
  s->wg.wait();
  for (auto& t : threads) t.join();
  EXPECT_EQ(s->calls.load(), 1);
  EXPECT_EQ(s->early_returns.load(), 0);
  EXPECT_TRUE(s->once.done());
  s->once.call([&] { s->calls.fetch_add(1); });
  EXPECT_EQ(s->calls.load(), 1);
}

TEST(Once, ThrowingFunctionCountsAsDone) {
  goro::Once once;
  EXPECT_FALSE(once.done());
  int calls = 0;
  EXPECT_THROW(once.call([&] {
    ++calls;
    goro::panic("boom");
  }),
               goro::Panic);
  EXPECT_TRUE(once.done());
  once.call([&] { ++calls; });
  EXPECT_EQ(calls, 1);
}

TEST(Once, WaitersOfAThrowingCallReturnNormally) {
  struct Shared {
    goro::Once once;
    goro::WaitGroup wg;
    std::atomic<int> threw{0};
    std::atomic<int> calls{0};
  };
  auto s = std::make_shared<Shared>();
  constexpr int kCallers = 20;
  s->wg.add(kCallers);
  for (int i = 0; i < kCallers; ++i) {
    goro::go([s] {
      try {
        s->once.call([&] {
          s->calls.fetch_add(1);
          goro::sleep(20ms);
          throw std::runtime_error("f failed");
        });
      } catch (const std::runtime_error&) {
        s->threw.fetch_add(1);
      }
      s->wg.done();
    });
  }
  s->wg.wait();
  EXPECT_EQ(s->calls.load(), 1);
  EXPECT_EQ(s->threw.load(), 1);  // only the caller that ran f sees the exception
}

TEST(Once, AcceptsMoveOnlyCallables) {
  goro::Once once;
  auto p = std::make_unique<int>(7);
  int got = 0;
  once.call([p = std::move(p), &got] { got = *p; });
  EXPECT_EQ(got, 7);
}

}  // namespace
