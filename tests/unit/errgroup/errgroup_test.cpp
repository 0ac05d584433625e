// goro::ErrGroup: first error, derived context, limits.
#include <gtest/gtest.h>

#include <atomic>
#include <goro/goro.hpp>

#include "checks.hpp"

namespace {

using namespace goro;
using namespace std::chrono_literals;

TEST(ErrGroup, WaitReturnsNilWhenEveryFunctionSucceeds) {
  ErrGroup g;
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i)
    g.go([&]() -> Error {
      ran.fetch_add(1);
      return {};
    });
  EXPECT_FALSE(g.wait());
  EXPECT_EQ(ran.load(), 100);
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

TEST(ErrGroup, WaitReturnsTheFirstErrorAndTheContextIsCancelledWithIt) {
  auto [g, ctx] = errgroup::with_context(context::background());
  auto first = errors::make("first");
  auto release_second = make_chan<Event>();
  g.go([first]() -> Error { return first; });
  g.go([ctx, release_second]() -> Error {
    ctx.done().recv();  // cancelled by the first error
    release_second.recv();
    return errors::make("second");
  });
  std::atomic<int> saw_cancel{0};
  for (int i = 0; i < 10; ++i)
    g.go([ctx, &saw_cancel]() -> Error {
      ctx.done().recv();
      saw_cancel.fetch_add(1);
      return ctx.err();
    });
  ASSERT_TRUE(eventually([&] { return saw_cancel.load() == 10; }));
  release_second.close();
  Error err = g.wait();
  EXPECT_EQ(err, first);
  EXPECT_EQ(ctx.err(), context::canceled);
  EXPECT_EQ(context::cause(ctx), first);
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

TEST(ErrGroup, WaitCancelsTheContextEvenWithoutErrors) {
  auto [g, ctx] = errgroup::with_context(context::background());
  g.go([]() -> Error { return {}; });
  EXPECT_FALSE(g.wait());
  EXPECT_EQ(ctx.err(), context::canceled);
}

TEST(ErrGroup, SetLimitBoundsActiveGoroutines) {
  ErrGroup g;
  g.set_limit(2);
  std::atomic<int> active{0}, peak{0};
  for (int i = 0; i < 20; ++i)
    g.go([&]() -> Error {
      int now = active.fetch_add(1) + 1;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      time::sleep(2ms);
      active.fetch_sub(1);
      return {};
    });
  EXPECT_FALSE(g.wait());
  EXPECT_EQ(peak.load(), 2);
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

TEST(ErrGroup, TryGoRefusesBeyondTheLimit) {
  ErrGroup g;
  g.set_limit(1);
  auto release = make_chan<Event>();
  EXPECT_TRUE(g.try_go([release]() -> Error {
    release.recv();
    return {};
  }));
  EXPECT_FALSE(g.try_go([]() -> Error { return {}; }));
  EXPECT_EQ(panic_message([&] { g.set_limit(3); }),
            "errgroup: modify limit while 1 goroutines in the group are still active");
  release.close();
  EXPECT_FALSE(g.wait());
  g.set_limit(-1);  // no goroutine active: allowed
  EXPECT_TRUE(g.try_go([]() -> Error { return {}; }));
  EXPECT_FALSE(g.wait());
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

}  // namespace
