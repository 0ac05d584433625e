// goro::Context: cancellation trees, deadlines, values, causes, after_func.
#include <gtest/gtest.h>

#include <atomic>
#include <goro/goro.hpp>
#include <thread>
#include <vector>

#include "checks.hpp"
#include "time/timer_heap.hpp"

namespace {

using namespace goro;
using namespace std::chrono_literals;

// Whether a done channel is closed right now (select with a default case).
bool is_done(const RecvChan<Event>& done) { return select(recv(done), default_()) == 0; }

TEST(Context, BackgroundAndTodoAreNeverDone) {
  for (Context ctx : {context::background(), context::todo(), Context()}) {
    EXPECT_EQ(ctx.done(), nullptr);
    EXPECT_FALSE(ctx.err());
    EXPECT_FALSE(ctx.deadline());
    EXPECT_FALSE(context::cause(ctx));
  }
}

TEST(Context, CancelClosesDoneAndSetsErrOnce) {
  auto [ctx, cancel] = context::with_cancel(context::background());
  auto done = ctx.done();
  EXPECT_FALSE(is_done(done));
  EXPECT_FALSE(ctx.err());
  cancel();
  EXPECT_TRUE(is_done(done));
  EXPECT_TRUE(is_done(ctx.done()));
  EXPECT_EQ(ctx.err(), context::canceled);
  EXPECT_EQ(ctx.err().message(), "context canceled");
  EXPECT_EQ(context::cause(ctx), context::canceled);
  cancel();  // idempotent
  EXPECT_EQ(ctx.err(), context::canceled);
}

TEST(Context, DoneAskedForAfterCancelIsClosed) {
  auto [ctx, cancel] = context::with_cancel(context::background());
  cancel();
  EXPECT_TRUE(is_done(ctx.done()));
}

TEST(Context, CancellingAParentCancelsEveryDescendantAtOnce) {
  static const context::Key<int> key{"k"};
  auto [root, cancel_root] = context::with_cancel(context::background());
  auto [a, cancel_a] = context::with_cancel(root);
  auto valued = context::with_value(a, key, 7);
  auto [b, cancel_b] = context::with_cancel(valued);
  auto [c, cancel_c] = context::with_timeout(b, time::Hour);
  auto [sibling, cancel_sibling] = context::with_cancel(root);
  std::vector<RecvChan<Event>> dones{a.done(), valued.done(), b.done(), c.done(), sibling.done()};
  for (auto& d : dones) EXPECT_FALSE(is_done(d));

  cancel_b();  // a child's cancel leaves its ancestors alone
  EXPECT_TRUE(is_done(b.done()));
  EXPECT_TRUE(is_done(c.done()));
  EXPECT_FALSE(is_done(a.done()));
  EXPECT_FALSE(is_done(root.done()));

  cancel_root();  // when it returns, the whole tree is done
  for (auto& d : dones) EXPECT_TRUE(is_done(d));
  EXPECT_EQ(a.err(), context::canceled);
  EXPECT_EQ(valued.err(), context::canceled);
  EXPECT_EQ(sibling.err(), context::canceled);
  EXPECT_EQ(*valued.value(key), 7);
  cancel_a();
  cancel_c();
  cancel_sibling();
}

TEST(Context, ChildOfACancelledParentIsBornCancelled) {
  auto [parent, cancel] = context::with_cancel_cause(context::background());
  auto why = errors::make("shutting down");
  cancel(why);
  auto [child, cancel_child] = context::with_timeout(parent, time::Hour);
  EXPECT_TRUE(is_done(child.done()));
  EXPECT_EQ(child.err(), context::canceled);
  EXPECT_EQ(context::cause(child), why);
  cancel_child();
}

TEST(Context, DeadlinePropagatesThroughAThreeLevelTree) {
  auto [root, cancel_root] = context::with_timeout(context::background(), 50ms);
  auto [mid, cancel_mid] = context::with_timeout(root, time::Hour);  // later: parent's wins
  auto [leaf, cancel_leaf] = context::with_cancel(mid);
  ASSERT_TRUE(root.deadline());
  ASSERT_TRUE(mid.deadline());
  ASSERT_TRUE(leaf.deadline());
  EXPECT_TRUE(mid.deadline()->equal(*root.deadline()));
  EXPECT_TRUE(leaf.deadline()->equal(*root.deadline()));

  time::Time start = time::now();
  EXPECT_FALSE(leaf.done().recv());  // closed, not a value
  EXPECT_GE(time::since(start), 40 * time::Millisecond);
  EXPECT_EQ(leaf.err(), context::deadline_exceeded);
  EXPECT_EQ(mid.err(), context::deadline_exceeded);
  EXPECT_EQ(root.err(), context::deadline_exceeded);
  EXPECT_TRUE(leaf.err().timeout());
  EXPECT_EQ(leaf.err().message(), "context deadline exceeded");
  cancel_leaf();
  cancel_mid();
  cancel_root();
}

TEST(Context, AnEarlierChildDeadlineFiresFirst) {
  auto [parent, cancel_parent] = context::with_timeout(context::background(), time::Hour);
  auto [child, cancel_child] = context::with_timeout(parent, 10ms);
  EXPECT_TRUE(child.deadline()->before(*parent.deadline()));
  child.done().recv();
  EXPECT_EQ(child.err(), context::deadline_exceeded);
  EXPECT_FALSE(parent.err());
  cancel_child();
  cancel_parent();
}

TEST(Context, DeadlineInThePastIsDoneAtOnce) {
  auto [ctx, cancel] = context::with_deadline(context::background(), time::now() + -time::Second);
  EXPECT_TRUE(is_done(ctx.done()));
  EXPECT_EQ(ctx.err(), context::deadline_exceeded);
  cancel();
  EXPECT_EQ(ctx.err(), context::deadline_exceeded);  // the first reason stays
}

TEST(Context, TimeoutCauseIsReported) {
  auto slow = errors::make("backend too slow");
  auto [ctx, cancel] = context::with_timeout_cause(context::background(), 5ms, slow);
  ctx.done().recv();
  EXPECT_EQ(ctx.err(), context::deadline_exceeded);
  EXPECT_EQ(context::cause(ctx), slow);
  cancel();
}

TEST(Context, ValuesAreFoundThroughTheTreeAndShadowed) {
  static const context::Key<std::string> user{"user"};
  static const context::Key<std::string> other_user{"user"};  // same name, other key
  static const context::Key<int> id{"id"};
  auto ctx = context::with_value(context::background(), user, "alice");
  auto [cancellable, cancel] = context::with_cancel(ctx);
  auto inner = context::with_value(cancellable, id, 42);
  ASSERT_NE(inner.value(user), nullptr);
  EXPECT_EQ(*inner.value(user), "alice");
  EXPECT_EQ(*inner.value(id), 42);
  EXPECT_EQ(inner.value(other_user), nullptr);
  EXPECT_EQ(ctx.value(id), nullptr);
  auto shadowed = context::with_value(inner, user, "bob");
  EXPECT_EQ(*shadowed.value(user), "bob");
  EXPECT_EQ(*inner.value(user), "alice");
  cancel();
}

TEST(Context, WithoutCancelKeepsValuesButIsNeverCancelled) {
  static const context::Key<int> key{"k"};
  auto [parent, cancel] = context::with_timeout(context::with_value({}, key, 1), time::Hour);
  auto detached = context::without_cancel(parent);
  auto [child, cancel_child] = context::with_cancel(detached);
  cancel();
  EXPECT_TRUE(is_done(parent.done()));
  EXPECT_EQ(detached.done(), nullptr);
  EXPECT_FALSE(detached.err());
  EXPECT_FALSE(detached.deadline());
  EXPECT_FALSE(is_done(child.done()));
  EXPECT_EQ(*detached.value(key), 1);
  cancel_child();
}

TEST(Context, CauseOfChildrenIsTheParentsCause) {
  auto [parent, cancel] = context::with_cancel_cause(context::background());
  auto [child, cancel_child] = context::with_cancel(parent);
  auto boom = errors::make("boom");
  cancel(boom);
  EXPECT_EQ(child.err(), context::canceled);
  EXPECT_EQ(context::cause(child), boom);
  EXPECT_EQ(context::cause(parent), boom);
  cancel_child();
  auto [plain, cancel_plain] = context::with_cancel_cause(context::background());
  cancel_plain(Error());
  EXPECT_EQ(context::cause(plain), context::canceled);
}

TEST(Context, AfterFuncRunsOnCancelUnlessStopped) {
  auto [ctx, cancel] = context::with_cancel(context::background());
  auto ran = make_chan<int>(2);
  auto stop_first = context::after_func(ctx, [ran] { ran.send(1); });
  auto stop_second = context::after_func(ctx, [ran] { ran.send(2); });
  EXPECT_TRUE(stop_second());
  EXPECT_FALSE(stop_second());
  cancel();
  EXPECT_EQ(ran.recv(), 1);
  EXPECT_FALSE(stop_first());  // already started
  auto stop_late = context::after_func(ctx, [ran] { ran.send(3); });
  EXPECT_EQ(ran.recv(), 3);  // registered after cancel: runs at once
  EXPECT_FALSE(stop_late());
  EXPECT_TRUE(context::after_func(context::background(), [] {})());
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

TEST(Context, CancellationRacingCompletion) {
  // Workers either finish or see cancellation, never both nor neither, and
  // children created while the parent is being cancelled end up cancelled.
  const int rounds = sanitized ? 200 : 2000;
  for (int round = 0; round < rounds; ++round) {
    auto [ctx, cancel] = context::with_cancel(context::background());
    auto results = make_chan<int>();
    auto outcomes = make_chan<bool>(2);
    go([ctx, results, outcomes] {
      int r = select(recv(ctx.done()), send(results, 1));
      outcomes.send(r == 1);
    });
    std::atomic<bool> child_ok{true};
    go([ctx, outcomes, &child_ok] {
      auto [child, cancel_child] = context::with_cancel(ctx);
      child.done().recv();  // must be woken by the parent's cancel
      child_ok = child.err() == context::canceled;
      cancel_child();
      outcomes.send(true);
    });
    std::optional<int> got;
    if (round % 2) got = results.try_recv();
    cancel();
    bool delivered = *outcomes.recv();
    outcomes.recv();
    if (!delivered) {
      EXPECT_FALSE(got);
    }
    EXPECT_TRUE(child_ok);
  }
  EXPECT_TRUE(eventually([] { return num_goroutine() == 1; }));
}

TEST(Context, NoGoroutineIsSpentPerContextAndDroppedOnesFreeTheirTimers) {
  ASSERT_EQ(rt::timers_earliest(), rt::no_timer);
  {
    std::vector<std::pair<Context, context::CancelFunc>> contexts;
    for (int i = 0; i < 10000; ++i)
      contexts.push_back(context::with_timeout(context::background(), time::Hour));
    EXPECT_EQ(num_goroutine(), 1);
    EXPECT_NE(rt::timers_earliest(), rt::no_timer);
    for (int i = 0; i < 5000; ++i) contexts[i].second();  // half cancelled, half just dropped
  }
  EXPECT_EQ(rt::timers_earliest(), rt::no_timer);
  EXPECT_EQ(num_goroutine(), 1);
}

TEST(Context, ConcurrentCancelsFromManyThreads) {
  for (int round = 0; round < 100; ++round) {
    auto [ctx, cancel] = context::with_cancel(context::background());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back([&cancel] { cancel(); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ctx.err(), context::canceled);
  }
}

}  // namespace
