// Channel semantics (Go's): unbuffered and buffered send/receive, close,
// nil channels, panics, FIFO order, move-only elements, range-for,
// directional channel types, identity, and use from plain threads.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <goro/goro.hpp>

#include "support/checks.hpp"

using namespace std::chrono_literals;

namespace {

// Compile-time restrictions of the directional channel types: the other
// direction's operations do not exist.
template <class C>
concept CanSend = requires(C c) {
  c.send(1);
};
template <class C>
concept CanTrySend = requires(C c) {
  c.try_send(1);
};
template <class C>
concept CanRecv = requires(C c) {
  c.recv();
};
template <class C>
concept CanTryRecv = requires(C c) {
  c.try_recv();
};
template <class C>
concept CanClose = requires(C c) {
  c.close();
};
template <class C>
concept CanRange = requires(C c) {
  c.begin();
};

static_assert(CanSend<goro::Chan<int>> && CanRecv<goro::Chan<int>> && CanClose<goro::Chan<int>>);
static_assert(CanSend<goro::SendChan<int>> && CanTrySend<goro::SendChan<int>> &&
              CanClose<goro::SendChan<int>>);
static_assert(!CanRecv<goro::SendChan<int>> && !CanTryRecv<goro::SendChan<int>> &&
              !CanRange<goro::SendChan<int>>);
static_assert(CanRecv<goro::RecvChan<int>> && CanTryRecv<goro::RecvChan<int>> &&
              CanRange<goro::RecvChan<int>>);
static_assert(!CanSend<goro::RecvChan<int>> && !CanTrySend<goro::RecvChan<int>> &&
              !CanClose<goro::RecvChan<int>>);
static_assert(std::is_convertible_v<goro::Chan<int>, goro::SendChan<int>>);
static_assert(std::is_convertible_v<goro::Chan<int>, goro::RecvChan<int>>);
static_assert(!std::is_convertible_v<goro::SendChan<int>, goro::Chan<int>>);
static_assert(!std::is_convertible_v<goro::RecvChan<int>, goro::Chan<int>>);
static_assert(!std::is_constructible_v<goro::Chan<int>, goro::SendChan<int>>);
static_assert(!std::is_convertible_v<goro::SendChan<int>, goro::RecvChan<int>>);
static_assert(sizeof(goro::Chan<int>) == sizeof(void*));
// Channels are input ranges: range-for, and the <ranges> algorithms.
static_assert(std::ranges::input_range<goro::Chan<int>>);
static_assert(std::ranges::input_range<goro::RecvChan<std::unique_ptr<int>>>);

TEST(Chan, UnbufferedSendReceiveBetweenGoroutines) {
  auto ch = goro::make_chan<int>();
  goro::go([ch] {
    for (int i = 0; i < 100; ++i) ch.send(i);
  });
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ch.recv(), i);
  EXPECT_EQ(ch.cap(), 0u);
  EXPECT_EQ(ch.len(), 0u);
}

TEST(Chan, UnbufferedSenderReturnsOnlyAfterReceiverHasTheValue) {
  struct Shared {
    int written_before_recv = 0;  // plain, not atomic: ordered by the channel
    std::atomic<bool> sender_returned{false};
  };
  auto shared = std::make_shared<Shared>();
  auto ch = goro::make_chan<int>();
  auto result = goro::make_chan<int>(1);
  goro::go([ch, shared, result] {
    ch.send(42);
    shared->sender_returned.store(true);
    // Go's memory model: a receive from an unbuffered channel is
    // synchronized before the completion of the matching send.
    result.send(shared->written_before_recv);
  });
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(shared->sender_returned.load()) << "sender returned before anyone received";
  shared->written_before_recv = 7;
  EXPECT_EQ(ch.recv(), 42);
  EXPECT_EQ(result.recv(), 7);
}

TEST(Chan, UnbufferedSendBlocksUntilReceive) {
  auto ch = goro::make_chan<int>();
  auto done = std::make_shared<std::atomic<bool>>(false);
  goro::go([ch, done] {
    ch.send(1);
    done->store(true);
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(done->load());
  EXPECT_EQ(ch.recv(), 1);
  EXPECT_TRUE(eventually([&] { return done->load(); }));
}

TEST(Chan, BufferedFillsWithoutBlockingThenBlocks) {
  auto ch = goro::make_chan<std::string>(3);
  ch.send("A");
  ch.send("B");
  ch.send("C");
  EXPECT_EQ(ch.len(), 3u);
  EXPECT_EQ(ch.cap(), 3u);
  EXPECT_FALSE(ch.try_send("D"));
  EXPECT_EQ(ch.recv(), "A");
  EXPECT_EQ(ch.len(), 2u);
  EXPECT_EQ(ch.recv(), "B");
  EXPECT_EQ(ch.recv(), "C");
  EXPECT_EQ(ch.try_recv(), std::nullopt);
}

TEST(Chan, BufferedKeepsFifoOrderAcrossWrapAroundAndBlockedSenders) {
  auto ch = goro::make_chan<int>(4);
  auto done = goro::make_chan<goro::Event>();
  goro::go([ch, done] {
    for (int i = 0; i < 1000; ++i) ch.send(i);
    done.send({});
  });
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(ch.recv(), i);
  done.recv();
}

// Trivially copyable elements are copied as bytes by the core: sizes other
// than a word, across wrap-around and blocked senders.
TEST(Chan, TriviallyCopyableElementsOfOddSizesArriveIntact) {
  struct Triple {
    int a, b, c;
  };
  static_assert(std::is_trivially_copyable_v<Triple> && sizeof(Triple) == 12);
  auto triples = goro::make_chan<Triple>(3);
  auto bytes = goro::make_chan<unsigned char>(5);
  auto done = goro::make_chan<goro::Event>();
  goro::go([=] {
    for (int i = 0; i < 500; ++i) {
      triples.send({i, -i, i * 3});
      bytes.send(static_cast<unsigned char>(i));
    }
    done.send({});
  });
  for (int i = 0; i < 500; ++i) {
    Triple t = *triples.recv();
    ASSERT_EQ(t.a, i);
    ASSERT_EQ(t.b, -i);
    ASSERT_EQ(t.c, i * 3);
    ASSERT_EQ(bytes.recv(), static_cast<unsigned char>(i));
  }
  done.recv();
}

TEST(Chan, BlockedSendersAreServedInFifoOrder) {
  auto ch = goro::make_chan<int>();
  for (int i = 0; i < 5; ++i) {
    goro::go([ch, i] { ch.send(i); });
    // Let sender i block before starting i+1.
    std::this_thread::sleep_for(20ms);
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ch.recv(), i);
}

TEST(Chan, BlockedReceiversAreServedInFifoOrder) {
  auto ch = goro::make_chan<int>();
  auto out = goro::make_chan<std::pair<int, int>>(5);
  for (int i = 0; i < 5; ++i) {
    goro::go([ch, out, i] { out.send({i, *ch.recv()}); });
    std::this_thread::sleep_for(20ms);
  }
  for (int i = 0; i < 5; ++i) ch.send(i * 10);
  for (int i = 0; i < 5; ++i) {
    auto [who, got] = *out.recv();
    EXPECT_EQ(got, who * 10);
  }
}

TEST(Chan, ReceiveOnClosedChannelDrainsBufferThenYieldsNullopt) {
  auto ch = goro::make_chan<int>(3);
  ch.send(1);
  ch.send(2);
  ch.close();
  EXPECT_EQ(ch.recv(), 1);
  EXPECT_EQ(ch.recv(), 2);
  EXPECT_EQ(ch.recv(), std::nullopt);
  EXPECT_EQ(ch.recv(), std::nullopt);
  EXPECT_EQ(ch.try_recv(), std::nullopt);
}

TEST(Chan, CloseWakesAllBlockedReceiversWithNullopt) {
  auto ch = goro::make_chan<int>();
  auto results = goro::make_chan<bool>(10);
  for (int i = 0; i < 10; ++i) goro::go([ch, results] { results.send(ch.recv().has_value()); });
  std::this_thread::sleep_for(30ms);
  ch.close();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(results.recv(), false);
}

TEST(Chan, CloseMakesBlockedSendersPanic) {
  auto ch = goro::make_chan<int>();
  auto results = goro::make_chan<std::string>(4);
  for (int i = 0; i < 4; ++i)
    goro::go([ch, results] { results.send(panic_message([&] { ch.send(1); })); });
  std::this_thread::sleep_for(30ms);
  ch.close();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(results.recv(), "send on closed channel");
}

TEST(Chan, SendOnClosedChannelPanics) {
  auto ch = goro::make_chan<int>(1);
  ch.close();
  EXPECT_EQ(panic_message([&] { ch.send(1); }), "send on closed channel");
  EXPECT_EQ(panic_message([&] { ch.try_send(1); }), "send on closed channel");
}

TEST(Chan, CloseOfClosedChannelPanics) {
  auto ch = goro::make_chan<int>();
  ch.close();
  EXPECT_EQ(panic_message([&] { ch.close(); }), "close of closed channel");
}

TEST(Chan, CloseOfNilChannelPanics) {
  goro::Chan<int> nil;
  EXPECT_EQ(panic_message([&] { nil.close(); }), "close of nil channel");
}

TEST(Chan, NegativeCapacityPanics) {
  EXPECT_EQ(panic_message([] { goro::make_chan<int>(-1); }), "makechan: size out of range");
}

TEST(Chan, NilChannelSendBlocksForever) {
  // Static, not on the heap: the goroutine never ends (and is not a leak).
  static std::atomic<bool> finished{false};
  goro::go([] {
    goro::Chan<int> nil;
    nil.send(1);
    finished.store(true);
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(finished.load());  // the goroutine stays blocked; it is leaked
}

TEST(Chan, NilChannelReceiveBlocksForever) {
  // Static, not on the heap: the goroutine never ends (and is not a leak).
  static std::atomic<bool> finished{false};
  goro::go([] {
    goro::Chan<int> nil;
    nil.recv();
    finished.store(true);
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(finished.load());
}

TEST(Chan, NilChannelNonBlockingOperationsFail) {
  goro::Chan<int> nil;
  EXPECT_FALSE(nil.try_send(1));
  EXPECT_EQ(nil.try_recv(), std::nullopt);
  EXPECT_EQ(nil.len(), 0u);
  EXPECT_EQ(nil.cap(), 0u);
  EXPECT_TRUE(nil == nullptr);
  EXPECT_FALSE(bool(nil));
}

TEST(Chan, TrySendAndTryReceiveOnUnbufferedNeedAPartner) {
  auto ch = goro::make_chan<int>();
  EXPECT_FALSE(ch.try_send(1));
  EXPECT_EQ(ch.try_recv(), std::nullopt);
  // A blocked receiver makes try_send succeed.
  auto got = goro::make_chan<int>(1);
  goro::go([ch, got] { got.send(*ch.recv()); });
  ASSERT_TRUE(eventually([&] { return ch.try_send(7); }));
  EXPECT_EQ(got.recv(), 7);
  // A blocked sender makes try_recv succeed.
  goro::go([ch] { ch.send(8); });
  std::optional<int> v;
  ASSERT_TRUE(eventually([&] { return (v = ch.try_recv()).has_value(); }));
  EXPECT_EQ(v, 8);
}

// The non-blocking operations' lock-free early exits must not hide a close:
// a closed, drained channel reports closed (try_recv gives nullopt, a
// blocking recv returns at once) and try_send panics.
TEST(Chan, TryOperationsOnClosedChannels) {
  for (long long cap : {0LL, 2LL}) {
    auto ch = goro::make_chan<int>(cap);
    if (cap > 0) {
      ASSERT_TRUE(ch.try_send(1));
    }
    ch.close();
    if (cap > 0) {
      EXPECT_EQ(ch.try_recv(), 1);
    }
    EXPECT_EQ(ch.try_recv(), std::nullopt);
    EXPECT_EQ(ch.recv(), std::nullopt);
    EXPECT_EQ(panic_message([&] { ch.try_send(2); }), "send on closed channel");
  }
}

TEST(Chan, MoveOnlyNonDefaultConstructibleElements) {
  static_assert(!std::is_default_constructible_v<MoveOnly>);
  static_assert(!std::is_copy_constructible_v<MoveOnly>);
  for (int cap : {0, 2}) {
    auto ch = goro::make_chan<MoveOnly>(cap);
    goro::go([ch] {
      for (int i = 0; i < 10; ++i) ch.send(MoveOnly(i));
      ch.close();
    });
    int expect = 0;
    for (MoveOnly m : ch) EXPECT_EQ(*m.p, expect++);
    EXPECT_EQ(expect, 10);
  }
}

TEST(Chan, BufferedElementsLeftInAChannelAreDestroyed) {
  auto counter = std::make_shared<int>(0);
  {
    auto ch = goro::make_chan<std::shared_ptr<int>>(4);
    ch.send(counter);
    ch.send(counter);
    EXPECT_EQ(counter.use_count(), 3);
  }
  EXPECT_EQ(counter.use_count(), 1);
}

struct Request {
  int x;
  goro::Chan<int> reply;  // Go: chan chan int, a request carrying its reply channel
};

struct Node {
  int value;
  goro::Chan<Node> next;  // a channel of the type being defined
};

TEST(Chan, ChannelsOfChannelsForRequestReply) {
  auto requests = goro::make_chan<Request>();
  goro::go([requests] {
    for (Request r : requests) r.reply.send(r.x * r.x);
  });
  for (int i = 0; i < 10; ++i) {
    auto reply = goro::make_chan<int>();
    requests.send({i, reply});
    EXPECT_EQ(reply.recv(), i * i);
  }
  requests.close();
}

TEST(Chan, ElementTypeMayContainAChannelOfItself) {
  auto ch = goro::make_chan<Node>(1);
  ch.send(Node{1, ch});
  auto n = ch.recv();
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->value, 1);
  EXPECT_TRUE(n->next == ch);
}

TEST(Chan, RangeForStopsWhenClosedAndDrained) {
  auto ch = goro::make_chan<int>(5);
  goro::go([ch] {
    for (int i = 1; i <= 50; ++i) ch.send(i);
    ch.close();
  });
  int sum = 0;
  for (int v : ch) sum += v;
  EXPECT_EQ(sum, 50 * 51 / 2);
}

TEST(Chan, EventChannelAsDoneSignal) {
  auto done = goro::make_chan<goro::Event>();
  auto flag = std::make_shared<std::atomic<int>>(0);
  goro::go([done, flag] {
    flag->store(1);
    done.close();  // broadcast
  });
  EXPECT_FALSE(done.recv().has_value());
  EXPECT_EQ(flag->load(), 1);
}

TEST(Chan, HandlesCompareAndHashByIdentity) {
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  goro::Chan<int> a2 = a;
  EXPECT_TRUE(a == a2);
  EXPECT_FALSE(a == b);
  goro::SendChan<int> sa = a;
  goro::RecvChan<int> ra = a;
  EXPECT_TRUE(sa == goro::SendChan<int>(a2));
  EXPECT_TRUE(ra == goro::RecvChan<int>(a2));
  std::unordered_set<goro::Chan<int>> set{a, a2, b};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(std::hash<goro::Chan<int>>{}(a), std::hash<goro::SendChan<int>>{}(sa));
  goro::Chan<int> moved = std::move(a2);
  EXPECT_TRUE(moved == a);
  EXPECT_TRUE(a2 == nullptr);  // NOLINT(bugprone-use-after-move): moved-from is nil
}

TEST(Chan, DirectionalViewsShareTheChannel) {
  auto ch = goro::make_chan<int>(1);
  goro::SendChan<int> out = ch;
  goro::RecvChan<int> in = ch;
  out.send(5);
  EXPECT_EQ(in.len(), 1u);
  EXPECT_EQ(in.recv(), 5);
  out.close();
  EXPECT_EQ(in.recv(), std::nullopt);
}

TEST(Chan, PlainThreadSendsToGoroutineAndBack) {
  auto to = goro::make_chan<int>();
  auto from = goro::make_chan<int>();
  goro::go([to, from] {
    for (int v : to) from.send(v * 2);
    from.close();
  });
  for (int i = 0; i < 100; ++i) {
    to.send(i);
    EXPECT_EQ(from.recv(), i * 2);
  }
  to.close();
  EXPECT_EQ(from.recv(), std::nullopt);
}

TEST(Chan, PlainThreadsTalkToEachOther) {
  auto ch = goro::make_chan<int>();
  std::thread t([ch] {
    for (int i = 0; i < 100; ++i) ch.send(i);
    ch.close();
  });
  int n = 0;
  for (int v : ch) EXPECT_EQ(v, n++);
  EXPECT_EQ(n, 100);
  t.join();
}

TEST(Chan, PlainThreadBlockedOnCloseIsWoken) {
  auto ch = goro::make_chan<int>();
  std::thread t([ch] { EXPECT_EQ(ch.recv(), std::nullopt); });
  std::this_thread::sleep_for(20ms);
  goro::go([ch] { ch.close(); });
  t.join();
}

TEST(Chan, PingPongManyGoroutines) {
  constexpr int kPairs = 50;
  auto done = goro::make_chan<int>(kPairs);
  for (int p = 0; p < kPairs; ++p) {
    auto ping = goro::make_chan<int>();
    auto pong = goro::make_chan<int>();
    goro::go([ping, pong] {
      for (int v : ping) pong.send(v + 1);
      pong.close();
    });
    goro::go([ping, pong, done] {
      int v = 0;
      for (int i = 0; i < 100; ++i) {
        ping.send(v);
        v = *pong.recv();
      }
      ping.close();
      done.send(v);
    });
  }
  for (int p = 0; p < kPairs; ++p) EXPECT_EQ(done.recv(), 100);
}

}  // namespace
