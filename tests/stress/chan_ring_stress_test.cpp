// Stress of the buffered channel's lock-free ring and its wait protocol
// (src/chan/ring.hpp, chan.cpp): tiny capacities so that senders and
// receivers keep finding the ring full or empty and block, mixed with
// try_send / try_recv, selects, plain threads and close. Checks that no
// value is lost, duplicated, invented or reordered (values of one producer
// reach any one consumer in the order they were sent), that no blocked
// party misses its wake-up (a miss hangs the test), and that len() stays
// within [0, cap].
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <goro/goro.hpp>

#include "support/delivery_tally.hpp"

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kPerProducer = 3000;
#else
constexpr int kPerProducer = 30000;
#endif
constexpr int kProducers = 6;
constexpr int kConsumers = 6;
constexpr int kValues = kProducers * kPerProducer;

struct Tally : DeliveryTally {
  Tally() : DeliveryTally(kValues, kPerProducer) {}
};

// How a party sends or receives: the plain blocking operation, a retry loop
// of try_ operations (yielding between tries), or a one-case select.
enum class Style { plain, trying, select };
Style style_of(int k) { return Style(k % 3); }

// Returns false when the send panicked (the channel was closed).
bool send_value(const goro::Chan<int>& ch, int v, Style style) {
  try {
    switch (style) {
      case Style::plain:
        ch.send(v);
        return true;
      case Style::trying:
        while (!ch.try_send(v)) {
          if (ch.len() == ch.cap()) goro::yield();
        }
        return true;
      case Style::select:
        goro::select(goro::send(ch, v));
        return true;
    }
  } catch (const goro::Panic&) {
    return false;
  }
  return false;
}

// nullopt once the channel is closed and drained.
std::optional<int> recv_value(const goro::Chan<int>& ch, Style style) {
  switch (style) {
    case Style::plain:
      return ch.recv();
    case Style::trying:
      for (;;) {
        if (auto v = ch.try_recv()) return v;
        // try_recv cannot tell "empty" from "closed and drained": ask recv
        // when a closed channel is possible and the ring looks empty.
        if (ch.len() == 0) return ch.recv();
      }
    case Style::select: {
      std::optional<int> v;
      goro::select(goro::recv(ch, &v));
      return v;
    }
  }
  return std::nullopt;
}

// Producers and consumers of every style, goroutines and (every fourth)
// plain threads. close_at > 0: the consumer that receives the close_at-th
// value closes the channel while sends are in flight; else the last
// producer closes it.
void run(int cap, int close_at) {
  auto ch = goro::make_chan<int>(cap);
  auto done = goro::make_chan<goro::Event>(kProducers + kConsumers);
  auto tally = std::make_shared<Tally>();
  auto producers_left = std::make_shared<std::atomic<int>>(kProducers);
  auto len_out_of_range = std::make_shared<std::atomic<int>>(0);
  std::vector<std::thread> threads;
  auto producer = [=](int p) {
    for (int i = 0; i < kPerProducer; ++i) {
      const int v = p * kPerProducer + i;
      if (!send_value(ch, v, style_of(p + i / 1000))) break;
      tally->sent[std::size_t(v)].fetch_add(1, std::memory_order_relaxed);
      if (ch.len() > std::size_t(cap)) len_out_of_range->fetch_add(1);
    }
    if (close_at == 0 && producers_left->fetch_sub(1) == 1) ch.close();
    done.send({});
  };
  auto consumer = [=](int c) {
    std::vector<int> last(kProducers, -1);
    for (int k = 0;; ++k) {
      std::optional<int> v = recv_value(ch, style_of(c + k / 1000));
      if (!v) break;
      if (tally->got(*v, last) == close_at && close_at > 0) ch.close();
    }
    done.send({});
  };
  for (int p = 0; p < kProducers; ++p) {
    if (p % 4 == 3)
      threads.emplace_back(producer, p);
    else
      goro::go(producer, p);
  }
  for (int c = 0; c < kConsumers; ++c) {
    if (c % 4 == 3)
      threads.emplace_back(consumer, c);
    else
      goro::go(consumer, c);
  }
  for (int k = 0; k < kProducers + kConsumers; ++k) done.recv();
  for (auto& t : threads) t.join();
  EXPECT_EQ(len_out_of_range->load(), 0);
  EXPECT_EQ(ch.len(), 0u);
  tally->check(close_at == 0);
}

TEST(ChanRingStress, CapacityOneEveryStyleExactlyOnceInOrder) { run(1, 0); }
TEST(ChanRingStress, CapacityThreeEveryStyleExactlyOnceInOrder) { run(3, 0); }
TEST(ChanRingStress, CapacityOneCloseRacesInFlightSends) { run(1, kValues / 3); }
TEST(ChanRingStress, CapacityFiveCloseRacesInFlightSends) { run(5, kValues / 2); }

// Rounds of: many receivers block on an empty channel, then values arrive
// one at a time (some through try_send, some through select); every
// receiver must be woken. Then the reverse: senders block on a full
// channel and are let through by receivers one at a time. A lost wake-up
// leaves a party blocked and the round never finishes.
TEST(ChanRingStress, BlockedPartiesAreAllWokenRoundAfterRound) {
  constexpr int kParties = 16;
  constexpr int kRounds = 300;
  auto ch = goro::make_chan<int>(2);
  auto out = goro::make_chan<int>(kParties);
  for (int round = 0; round < kRounds; ++round) {
    for (int k = 0; k < kParties; ++k)
      goro::go([=] {
        std::optional<int> v;
        if (k % 2)
          v = ch.recv();
        else
          goro::select(goro::recv(ch, &v), goro::recv(goro::Chan<int>(), &v));
        out.send(*v);
      });
    long sum = 0;
    for (int k = 0; k < kParties; ++k) {
      if (k % 3 == 0) {
        while (!ch.try_send(k)) goro::yield();
      } else if (k % 3 == 1) {
        goro::select(goro::send(ch, k));
      } else {
        ch.send(k);
      }
    }
    for (int k = 0; k < kParties; ++k) sum += *out.recv();
    ASSERT_EQ(sum, long(kParties) * (kParties - 1) / 2) << "round " << round;

    for (int k = 0; k < kParties; ++k)
      goro::go([=] {
        if (k % 2)
          ch.send(k);
        else
          goro::select(goro::send(ch, k), goro::send(goro::Chan<int>(), k));
        out.send(0);
      });
    sum = 0;
    for (int k = 0; k < kParties; ++k) {
      std::optional<int> v;
      if (k % 2)
        v = ch.recv();
      else
        goro::select(goro::recv(ch, &v));
      sum += *v;
    }
    for (int k = 0; k < kParties; ++k) out.recv();
    ASSERT_EQ(sum, long(kParties) * (kParties - 1) / 2) << "round " << round;
    ASSERT_EQ(ch.len(), 0u);
  }
}

// Two parties start a send and a receive at the same moment, again and
// again: the receiver finds the ring empty and starts to wait just as the
// sender fills it (and, in the second half, the sender finds it full just
// as the receiver empties it). Plain threads, so that both really run at
// once. A missed wake-up blocks one side forever.
void race_rounds(int rounds, bool ring_starts_full) {
  auto ch = goro::make_chan<int>(1);
  if (ring_starts_full) ch.send(-1);
  std::atomic<int> arrived{0};
  // Both parties wait here before round i: arrived counts to 2 * (i + 1).
  auto barrier = [&](int i) {
    arrived.fetch_add(1);
    for (int spins = 0; arrived.load() < 2 * (i + 1); ++spins)
      if (spins > 10000) std::this_thread::yield();
  };
  std::thread sender([&] {
    for (int i = 0; i < rounds; ++i) {
      barrier(i);
      if (i % 2)
        ch.send(i);
      else
        goro::select(goro::send(ch, i));
    }
  });
  int bad = 0;
  for (int i = 0; i < rounds; ++i) {
    barrier(i);
    std::optional<int> v;
    if (i % 3)
      v = ch.recv();
    else
      goro::select(goro::recv(ch, &v));
    if (v != (ring_starts_full ? i - 1 : i)) ++bad;
  }
  sender.join();
  EXPECT_EQ(bad, 0);
}

TEST(ChanRingStress, ReceiveStartingOnAnEmptyRingRacingASend) { race_rounds(20000, false); }
TEST(ChanRingStress, SendStartingOnAFullRingRacingAReceive) { race_rounds(20000, true); }

// Selects that block on two buffered channels at once while plain
// operations on the same channels race them: every value is received once.
TEST(ChanRingStress, SelectsOnTwoRingsMixedWithPlainOperations) {
  auto a = goro::make_chan<int>(1);
  auto b = goro::make_chan<int>(2);
  auto done = goro::make_chan<goro::Event>(8);
  auto tally = std::make_shared<Tally>();
  auto producers_left = std::make_shared<std::atomic<int>>(kProducers);
  for (int p = 0; p < kProducers; ++p)
    goro::go([=] {
      for (int i = 0; i < kPerProducer; ++i) {
        const int v = p * kPerProducer + i;
        if (p % 3 == 0)
          goro::select(goro::send(a, v), goro::send(b, v));
        else
          (p % 3 == 1 ? a : b).send(v);
        tally->sent[std::size_t(v)].fetch_add(1, std::memory_order_relaxed);
      }
      if (producers_left->fetch_sub(1) == 1) {
        a.close();
        b.close();
      }
      done.send({});
    });
  for (int c = 0; c < 4; ++c)
    goro::go([=] {
      // Order per channel: a producer's values may be split over a and b.
      std::vector<int> last_a(kProducers, -1), last_b(kProducers, -1);
      goro::Chan<int> ra = a, rb = b;
      while (ra || rb) {
        std::optional<int> v;
        int i;
        if (c == 0 && ra) {
          i = 0;
          v = ra.recv();
        } else {
          i = goro::select(goro::recv(ra, &v), goro::recv(rb, &v));
        }
        if (!v) {
          (i == 0 ? ra : rb) = nullptr;
          continue;
        }
        tally->got(*v, i == 0 ? last_a : last_b);
      }
      done.send({});
    });
  for (int k = 0; k < kProducers + 4; ++k) done.recv();
  tally->check(true);
}

}  // namespace
