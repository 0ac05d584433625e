// A channel may be destroyed as soon as its owner has seen an operation on
// it complete, even while the party that performed that operation is still
// on its way out of it. In Go the collector keeps a channel alive as long as
// anybody uses it; in goro an operation that touches the channel after its
// effect became visible holds a reference for that stretch.
//
// In each test a goroutine reaches the channel through a borrowed pointer
// (as a goroutine that captured `this` does) and the owner frees it right
// after it has seen the goroutine's operation take effect. A late access is
// a use-after-free: TSan reports it whenever it happens (the free is not
// ordered after it), ASan when the timing lets it hit freed memory.
#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include <goro/goro.hpp>

#include "chan/chan_impl.hpp"

namespace {

constexpr int rounds = 2000;

struct Owned {
  explicit Owned(int cap) : ch(goro::make_chan<int>(cap)), other(goro::make_chan<int>()) {}
  goro::Chan<int> ch;
  goro::Chan<int> other;
};

// Spins until q has a waiter (the goroutine is blocked in the operation).
void until_queued(const goro::detail::WaitQueue& q) {
  while (q.empty_hint()) std::this_thread::yield();
}

class ChanLifetime : public testing::TestWithParam<int> {};

TEST_P(ChanLifetime, ReceiverFreesTheChannelWhileTheSenderReturns) {
  goro::WaitGroup wg;
  for (int i = 0; i < rounds; ++i) {
    auto* o = new Owned(GetParam());
    wg.add(1);
    goro::go([o, &wg, i] {
      o->ch.send(i);
      wg.done();
    });
    ASSERT_EQ(o->ch.recv(), std::optional<int>(i));
    delete o;
  }
  wg.wait();
}

TEST_P(ChanLifetime, SenderFreesTheChannelWhileTheReceiverReturns) {
  goro::WaitGroup wg;
  for (int i = 0; i < rounds; ++i) {
    auto* o = new Owned(GetParam());
    wg.add(1);
    goro::go([o, &wg, i] {
      EXPECT_EQ(o->ch.recv(), std::optional<int>(i));
      wg.done();
    });
    o->ch.send(i);
    // Buffered: this send finds room only once the receive above took i.
    // Unbuffered: the first send returned only after the receive took i.
    if (GetParam() > 0)
      for (int k = 0; k < GetParam(); ++k) o->ch.send(-1);
    delete o;
  }
  wg.wait();
}

TEST_P(ChanLifetime, ReceiverFreesTheChannelWhileTheCloserReturns) {
  goro::WaitGroup wg;
  for (int i = 0; i < rounds; ++i) {
    auto* o = new Owned(GetParam());
    wg.add(1);
    goro::go([o, &wg] {
      o->ch.close();
      wg.done();
    });
    ASSERT_EQ(o->ch.recv(), std::nullopt);
    delete o;
  }
  wg.wait();
}

TEST_P(ChanLifetime, CloserFreesTheChannelWhileABlockedReceiverWakes) {
  auto outcome = goro::make_chan<bool>(rounds);
  for (int i = 0; i < rounds; ++i) {
    auto* o = new Owned(GetParam());
    goro::go([o, outcome] { outcome.send(o->ch.recv().has_value()); });
    until_queued(o->ch.core()->recvq);
    o->ch.close();
    delete o;
  }
  for (int i = 0; i < rounds; ++i) ASSERT_EQ(outcome.recv(), std::optional<bool>(false));
}

TEST_P(ChanLifetime, ReceiverFreesTheChannelsWhileASelectSenderReturns) {
  goro::WaitGroup wg;
  for (int i = 0; i < rounds; ++i) {
    auto* o = new Owned(GetParam());
    wg.add(1);
    goro::go([o, &wg, i] {
      EXPECT_EQ(goro::select(goro::send(o->ch, i), goro::recv(o->other)), 0);
      wg.done();
    });
    ASSERT_EQ(o->ch.recv(), std::optional<int>(i));
    delete o;
  }
  wg.wait();
}

TEST_P(ChanLifetime, ReceiverFreesTheChannelsWhileABlockedSelectSenderWakes) {
  goro::WaitGroup wg;
  for (int i = 0; i < rounds; ++i) {
    auto* o = new Owned(GetParam());
    for (int k = 0; k < GetParam(); ++k) o->ch.send(-1);
    wg.add(1);
    goro::go([o, &wg, i] {
      EXPECT_EQ(goro::select(goro::send(o->ch, i), goro::recv(o->other)), 0);
      wg.done();
    });
    until_queued(o->ch.core()->sendq);
    for (int k = 0; k < GetParam(); ++k) ASSERT_EQ(o->ch.recv(), std::optional<int>(-1));
    // Buffered: the receive that made room moved the select's value into
    // the buffer. Unbuffered: this receive takes it from the select.
    ASSERT_EQ(o->ch.recv(), std::optional<int>(i));
    delete o;
  }
  wg.wait();
}

TEST_P(ChanLifetime, CloserFreesTheChannelsWhileABlockedSelectReceiverWakes) {
  goro::WaitGroup wg;
  for (int i = 0; i < rounds; ++i) {
    auto* o = new Owned(GetParam());
    wg.add(1);
    goro::go([o, &wg] {
      std::optional<int> got{0};
      EXPECT_EQ(goro::select(goro::recv(o->ch), goro::recv(o->other, &got)), 1);
      EXPECT_EQ(got, std::nullopt);
      wg.done();
    });
    until_queued(o->other.core()->recvq);
    o->other.close();
    delete o;
  }
  wg.wait();
}

INSTANTIATE_TEST_SUITE_P(Capacities, ChanLifetime, testing::Values(0, 1, 3),
                         [](const testing::TestParamInfo<int>& info) {
                           return "cap" + std::to_string(info.param);
                         });

}  // namespace
