// select semantics (Go's): readiness, default, nil cases, closed channels,
// blocking until a case is ready, uniform random choice, duplicate
// channels, handlers and results, the dynamic form, plain threads.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <goro/goro.hpp>

#include "support/checks.hpp"

using namespace std::chrono_literals;

namespace {

TEST(Select, ChoosesTheReadyReceiveAndRunsItsHandler) {
  auto a = goro::make_chan<int>(1);
  auto b = goro::make_chan<int>(1);
  b.send(7);
  std::optional<int> got;
  bool a_ran = false;
  int i = goro::select(goro::recv(a, [&](std::optional<int>) { a_ran = true; }),
                       goro::recv(b, [&](std::optional<int> v) { got = v; }));
  EXPECT_EQ(i, 1);
  EXPECT_FALSE(a_ran);
  EXPECT_EQ(got, 7);
}

TEST(Select, ChoosesTheReadySendAndRunsItsHandler) {
  auto full = goro::make_chan<int>(1);
  full.send(0);
  auto room = goro::make_chan<int>(1);
  bool ran = false;
  int i = goro::select(goro::send(full, 1), goro::send(room, 2, [&] { ran = true; }));
  EXPECT_EQ(i, 1);
  EXPECT_TRUE(ran);
  EXPECT_EQ(room.recv(), 2);
  EXPECT_EQ(full.len(), 1u);
}

TEST(Select, DefaultRunsWhenNothingIsReady) {
  auto a = goro::make_chan<int>();
  bool ran = false;
  int i = goro::select(goro::recv(a), goro::send(a, 1), goro::default_([&] { ran = true; }));
  EXPECT_EQ(i, 2);
  EXPECT_TRUE(ran);
  EXPECT_EQ(goro::select(goro::default_(), goro::recv(a)), 0);
}

TEST(Select, DefaultNotChosenWhenACaseIsReady) {
  auto a = goro::make_chan<int>(1);
  a.send(3);
  std::optional<int> out;
  EXPECT_EQ(goro::select(goro::default_(), goro::recv(a, &out)), 1);
  EXPECT_EQ(out, 3);
}

// One case and a default (Go's non-blocking send/receive): the default
// only when the case cannot proceed; a partner, room, data or a close
// makes the case win.
TEST(Select, OneCaseWithDefault) {
  auto full = goro::make_chan<int>(1);
  full.send(1);
  EXPECT_EQ(goro::select(goro::send(full, 2), goro::default_()), 1);
  EXPECT_EQ(goro::select(goro::recv(full), goro::default_()), 0);
  EXPECT_EQ(goro::select(goro::send(full, 3), goro::default_()), 0);
  EXPECT_EQ(full.recv(), 3);

  auto unbuffered = goro::make_chan<int>();
  goro::go([unbuffered] { unbuffered.send(4); });
  std::optional<int> got;
  ASSERT_TRUE(eventually(
      [&] { return goro::select(goro::recv(unbuffered, &got), goro::default_()) == 0; }));
  EXPECT_EQ(got, 4);
  EXPECT_EQ(goro::select(goro::recv(unbuffered, &got), goro::default_()), 1);
  unbuffered.close();
  got = 5;
  EXPECT_EQ(goro::select(goro::recv(unbuffered, &got), goro::default_()), 0);
  EXPECT_EQ(got, std::nullopt);
}

TEST(Select, ReceiveWithoutHandlerAndIntoOptional) {
  auto a = goro::make_chan<std::string>(2);
  a.send("x");
  a.send("y");
  EXPECT_EQ(goro::select(goro::recv(a)), 0);  // value dropped
  std::optional<std::string> out = "old";
  EXPECT_EQ(goro::select(goro::recv(a, &out)), 0);
  EXPECT_EQ(out, "y");
  a.close();
  EXPECT_EQ(goro::select(goro::recv(a, &out)), 0);
  EXPECT_EQ(out, std::nullopt);
}

TEST(Select, ClosedChannelReceiveIsAlwaysReadyWithNullopt) {
  auto closed = goro::make_chan<int>();
  closed.close();
  auto never = goro::make_chan<int>();
  for (int k = 0; k < 10; ++k) {
    std::optional<int> got = 1;
    int i =
        goro::select(goro::recv(never), goro::recv(closed, [&](std::optional<int> v) { got = v; }));
    EXPECT_EQ(i, 1);
    EXPECT_EQ(got, std::nullopt);
  }
}

TEST(Select, SendCaseOnClosedChannelPanicsWhenChosen) {
  auto closed = goro::make_chan<int>(1);
  closed.close();
  EXPECT_EQ(panic_message([&] { goro::select(goro::send(closed, 1)); }), "send on closed channel");
  EXPECT_EQ(panic_message([&] { goro::select(goro::send(closed, 1), goro::default_()); }),
            "send on closed channel");
}

TEST(Select, BlockedSendCasePanicsWhenChannelIsClosed) {
  auto ch = goro::make_chan<int>();
  auto other = goro::make_chan<int>();
  auto result = goro::make_chan<std::string>(1);
  goro::go([ch, other, result] {
    result.send(panic_message([&] { goro::select(goro::send(ch, 1), goro::recv(other)); }));
  });
  std::this_thread::sleep_for(30ms);
  ch.close();
  EXPECT_EQ(result.recv(), "send on closed channel");
}

TEST(Select, NilChannelCasesAreNeverChosen) {
  goro::Chan<int> nil;
  auto ready = goro::make_chan<int>(100);
  for (int k = 0; k < 100; ++k) ready.send(k);
  for (int k = 0; k < 100; ++k) {
    int i = goro::select(goro::recv(nil), goro::send(nil, 1), goro::recv(ready));
    ASSERT_EQ(i, 2);
  }
  EXPECT_EQ(goro::select(goro::recv(nil), goro::default_()), 1);
}

TEST(Select, OnlyNilCasesWithoutDefaultBlocksForever) {
  // Static, not on the heap: the goroutine never ends (and is not a leak).
  static std::atomic<bool> finished{false};
  goro::go([] {
    goro::Chan<int> nil;
    goro::select(goro::recv(nil), goro::send(nil, 1));
    finished.store(true);
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(finished.load());  // leaked, blocked forever
}

TEST(Select, EmptySelectBlocksForever) {
  // Static, not on the heap: the goroutine never ends (and is not a leak).
  static std::atomic<bool> finished{false};
  goro::go([] {
    goro::select();
    finished.store(true);
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(finished.load());
}

TEST(Select, BlocksUntilACaseBecomesReady) {
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  auto result = goro::make_chan<std::pair<int, int>>(1);
  goro::go([a, b, result] {
    int got = -1;
    int i = goro::select(goro::recv(a, [&](std::optional<int> v) { got = *v; }),
                         goro::recv(b, [&](std::optional<int> v) { got = *v; }));
    result.send({i, got});
  });
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(result.len(), 0u);
  b.send(9);  // returns only once the select took it
  EXPECT_EQ(result.recv(), std::make_pair(1, 9));
  // The select's waiter on `a` was removed: a later sender finds nobody.
  EXPECT_FALSE(a.try_send(1));
}

TEST(Select, BlockedSendCaseDeliversToLaterReceiver) {
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  auto result = goro::make_chan<int>(1);
  goro::go([a, b, result] { result.send(goro::select(goro::send(a, 1), goro::send(b, 2))); });
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(a.recv(), 1);
  EXPECT_EQ(result.recv(), 0);
  EXPECT_FALSE(b.try_recv().has_value());
}

TEST(Select, BlockedSelectWokenByCloseGetsNullopt) {
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  auto result = goro::make_chan<std::pair<int, bool>>(1);
  goro::go([a, b, result] {
    bool ok = true;
    int i = goro::select(goro::recv(a),
                         goro::recv(b, [&](std::optional<int> v) { ok = v.has_value(); }));
    result.send({i, ok});
  });
  std::this_thread::sleep_for(30ms);
  b.close();
  EXPECT_EQ(result.recv(), std::make_pair(1, false));
}

TEST(Select, SameChannelInSeveralCases) {
  auto ch = goro::make_chan<int>(10);
  for (int k = 0; k < 10; ++k) ch.send(k);
  int counts[3] = {0, 0, 0};
  for (int k = 0; k < 10; ++k) {
    int i = goro::select(goro::recv(ch), goro::recv(ch), goro::send(goro::make_chan<int>(), 0));
    ASSERT_LT(i, 2);
    counts[i]++;
  }
  EXPECT_EQ(counts[0] + counts[1], 10);
  // Blocked on the same channel twice; one send wakes exactly one case.
  auto un = goro::make_chan<int>();
  auto result = goro::make_chan<int>(1);
  goro::go([un, result] {
    int got = 0;
    goro::select(goro::recv(un, [&](std::optional<int> v) { got = *v; }),
                 goro::recv(un, [&](std::optional<int> v) { got = *v + 100; }));
    result.send(got);
  });
  std::this_thread::sleep_for(30ms);
  un.send(5);
  int got = *result.recv();
  EXPECT_TRUE(got == 5 || got == 105) << got;
  EXPECT_FALSE(un.try_send(6));  // no stale waiter left
}

TEST(Select, SendAndReceiveOfTheSameChannelInOneSelect) {
  // An unbuffered channel: the select cannot pair with itself, a partner
  // completes one of the two cases.
  auto ch = goro::make_chan<int>();
  auto result = goro::make_chan<int>(1);
  goro::go([ch, result] { result.send(goro::select(goro::send(ch, 1), goro::recv(ch))); });
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(ch.recv(), 1);
  EXPECT_EQ(result.recv(), 0);
}

TEST(Select, FairAmongAlwaysReadyChannels) {
  const int rounds = sanitized ? 2000 : 10000;
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  a.close();
  b.close();
  int counts[2] = {0, 0};
  for (int k = 0; k < rounds; ++k) counts[goro::select(goro::recv(a), goro::recv(b))]++;
  EXPECT_GE(counts[0], rounds * 40 / 100);
  EXPECT_LE(counts[0], rounds * 60 / 100);
}

TEST(Select, FairAmongBufferedReadyChannels) {
  const int rounds = sanitized ? 2000 : 10000;
  auto a = goro::make_chan<int>(1);
  auto b = goro::make_chan<int>(1);
  int counts[2] = {0, 0};
  for (int k = 0; k < rounds; ++k) {
    if (a.len() == 0) a.send(1);
    if (b.len() == 0) b.send(2);
    counts[goro::select(goro::recv(a), goro::recv(b))]++;
  }
  EXPECT_GE(counts[0], rounds * 40 / 100);
  EXPECT_LE(counts[0], rounds * 60 / 100);
}

TEST(Select, FairAmongManyReadyCases) {
  const int rounds = sanitized ? 4000 : 20000;
  std::vector<goro::Chan<int>> chans;
  for (int k = 0; k < 4; ++k) {
    chans.push_back(goro::make_chan<int>());
    chans.back().close();
  }
  int counts[4] = {};
  for (int k = 0; k < rounds; ++k)
    counts[goro::select(goro::recv(chans[0]), goro::recv(chans[1]), goro::recv(chans[2]),
                        goro::recv(chans[3]))]++;
  for (int c : counts) {
    EXPECT_GE(c, rounds * 20 / 100);
    EXPECT_LE(c, rounds * 30 / 100);
  }
}

TEST(Select, MoveOnlyValuesThroughSendAndReceiveCases) {
  auto ch = goro::make_chan<MoveOnly>(1);
  EXPECT_EQ(goro::select(goro::send(ch, MoveOnly(4))), 0);
  int got = 0;
  EXPECT_EQ(goro::select(goro::recv(ch, [&](std::optional<MoveOnly> m) { got = *m->p; })), 0);
  EXPECT_EQ(got, 4);
  // A send case not chosen drops its value.
  auto full = goro::make_chan<MoveOnly>(1);
  full.send(MoveOnly(1));
  EXPECT_EQ(goro::select(goro::send(full, MoveOnly(2)), goro::default_()), 1);
}

TEST(Select, HandlerWithoutArgumentsForReceive) {
  auto ch = goro::make_chan<goro::Event>();
  ch.close();
  bool ran = false;
  EXPECT_EQ(goro::select(goro::recv(ch, [&] { ran = true; })), 0);
  EXPECT_TRUE(ran);
}

TEST(Select, DirectionalChannelsInCases) {
  auto ch = goro::make_chan<int>(1);
  goro::SendChan<int> out = ch;
  goro::RecvChan<int> in = ch;
  EXPECT_EQ(goro::select(goro::send(out, 3)), 0);
  std::optional<int> got;
  EXPECT_EQ(goro::select(goro::recv(in, &got)), 0);
  EXPECT_EQ(got, 3);
}

TEST(Select, LoopBreaksOnQuitChannel) {
  auto data = goro::make_chan<int>();
  auto quit = goro::make_chan<goro::Event>();
  goro::go([data, quit] {
    for (int k = 0; k < 10; ++k) data.send(k);
    quit.close();
  });
  int sum = 0;
  for (;;) {
    std::optional<int> v;
    if (goro::select(goro::recv(data, &v), goro::recv(quit)) == 1) break;
    sum += *v;
  }
  EXPECT_EQ(sum, 45);
}

TEST(Select, FromPlainThreadBlocksAndIsWoken) {
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  goro::go([b] {
    goro::sleep(20ms);
    b.send(11);
  });
  std::optional<int> got;
  EXPECT_EQ(goro::select(goro::recv(a), goro::recv(b, &got)), 1);  // on the test's plain thread
  EXPECT_EQ(got, 11);
  std::thread t([a] { EXPECT_EQ(goro::select(goro::send(a, 5)), 0); });
  EXPECT_EQ(a.recv(), 5);
  t.join();
}

TEST(SelectDynamic, ChoosesAmongRuntimeBuiltCases) {
  constexpr int kChans = 20;
  std::vector<goro::Chan<int>> chans;
  for (int k = 0; k < kChans; ++k) chans.push_back(goro::make_chan<int>());
  std::optional<int> got;
  std::vector<goro::Case> cases;
  for (auto& ch : chans) cases.emplace_back(goro::recv(ch, &got));
  goro::go([ch = chans[13]] { ch.send(1313); });
  int i = goro::select_dynamic(cases);
  EXPECT_EQ(i, 13);
  EXPECT_EQ(got, 1313);
  // Receive cases can be reused.
  goro::go([ch = chans[4]] { ch.close(); });
  EXPECT_EQ(goro::select_dynamic(cases), 4);
  EXPECT_EQ(got, std::nullopt);
}

// A Case keeps its channel alive after every handle to it is gone (the
// cases select() takes directly only borrow the caller's handle).
TEST(SelectDynamic, CaseOwnsAReferenceToItsChannel) {
  std::optional<int> got;
  std::vector<goro::Case> cases;
  {
    auto ch = goro::make_chan<int>(1);
    ch.send(7);
    cases.emplace_back(goro::recv(ch, &got));
  }
  cases.emplace_back(goro::recv(goro::make_chan<int>(), &got));  // never ready
  EXPECT_EQ(goro::select_dynamic(cases), 0);
  EXPECT_EQ(got, 7);
}

TEST(SelectDynamic, DefaultAndSendCases) {
  auto ch = goro::make_chan<std::string>(1);
  bool sent = false;
  bool defaulted = false;
  std::vector<goro::Case> cases;
  cases.emplace_back(goro::default_([&] { defaulted = true; }));
  cases.emplace_back(goro::send(ch, std::string("hi"), [&] { sent = true; }));
  EXPECT_EQ(goro::select_dynamic(cases), 1);
  EXPECT_TRUE(sent);
  EXPECT_EQ(ch.recv(), "hi");
  std::vector<goro::Case> nothing_ready;
  nothing_ready.emplace_back(goro::recv(ch));
  nothing_ready.emplace_back(goro::default_([&] { defaulted = true; }));
  EXPECT_EQ(goro::select_dynamic(nothing_ready), 1);
  EXPECT_TRUE(defaulted);
}

TEST(SelectDynamic, MultipleDefaultsPanic) {
  std::vector<goro::Case> cases;
  cases.emplace_back(goro::default_());
  cases.emplace_back(goro::default_());
  EXPECT_EQ(panic_message([&] { goro::select_dynamic(cases); }), "select: multiple default cases");
}

TEST(SelectDynamic, FairAmongReadyCases) {
  const int rounds = sanitized ? 2000 : 10000;
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  a.close();
  b.close();
  std::vector<goro::Case> cases;
  cases.emplace_back(goro::recv(a));
  cases.emplace_back(goro::recv(b));
  int counts[2] = {0, 0};
  for (int k = 0; k < rounds; ++k) counts[goro::select_dynamic(cases)]++;
  EXPECT_GE(counts[0], rounds * 40 / 100);
  EXPECT_LE(counts[0], rounds * 60 / 100);
}

}  // namespace
