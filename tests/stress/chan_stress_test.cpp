// Channel and select stress: many producers and consumers, close racing the
// last sends. Every value whose send completed is received exactly once;
// no value is invented or duplicated; a send that panicked delivered nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <goro/goro.hpp>

#include "support/delivery_tally.hpp"

using namespace std::chrono_literals;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kPerProducer = 2000;
#else
constexpr int kPerProducer = 20000;
#endif
constexpr int kProducers = 4;
constexpr int kConsumers = 4;
constexpr int kValues = kProducers * kPerProducer;

struct Tally : DeliveryTally {
  Tally() : DeliveryTally(kValues, kPerProducer) {}
};

// Producers send their values; the last one to finish closes the channel,
// racing the consumers still draining the last values.
void run_exactly_once(int cap) {
  auto ch = goro::make_chan<int>(cap);
  auto done = goro::make_chan<goro::Event>(kProducers + kConsumers);
  auto tally = std::make_shared<Tally>();
  auto producers_left = std::make_shared<std::atomic<int>>(kProducers);
  for (int p = 0; p < kProducers; ++p) {
    goro::go([=] {
      for (int i = 0; i < kPerProducer; ++i) {
        const int v = p * kPerProducer + i;
        ch.send(v);
        tally->sent[std::size_t(v)].fetch_add(1, std::memory_order_relaxed);
      }
      if (producers_left->fetch_sub(1) == 1) ch.close();
      done.send({});
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    goro::go([=] {
      for (int v : ch) tally->got(v);
      done.send({});
    });
  }
  for (int k = 0; k < kProducers + kConsumers; ++k) done.recv();
  tally->check(true);
}

TEST(ChanStress, UnbufferedFourProducersFourConsumersExactlyOnce) { run_exactly_once(0); }
TEST(ChanStress, BufferedFourProducersFourConsumersExactlyOnce) { run_exactly_once(16); }

// Producers send until close makes a send panic; a closer closes while sends
// are still in flight. Values whose send panicked must never be received.
void run_close_races_sends(int cap) {
  auto ch = goro::make_chan<int>(cap);
  auto done = goro::make_chan<goro::Event>(kProducers + kConsumers);
  auto tally = std::make_shared<Tally>();
  auto panics = std::make_shared<std::atomic<int>>(0);
  for (int p = 0; p < kProducers; ++p) {
    goro::go([=] {
      for (int i = 0; i < kPerProducer; ++i) {
        const int v = p * kPerProducer + i;
        try {
          ch.send(v);
        } catch (const goro::Panic&) {
          panics->fetch_add(1);
          break;
        }
        tally->sent[std::size_t(v)].fetch_add(1, std::memory_order_relaxed);
      }
      done.send({});
    });
  }
  // The consumer that receives the kValues/2-th value closes the channel
  // at once, while every producer still has values to send.
  for (int c = 0; c < kConsumers; ++c) {
    goro::go([=] {
      for (int v : ch) {
        if (tally->got(v) == kValues / 2) ch.close();
      }
      done.send({});
    });
  }
  for (int k = 0; k < kProducers + kConsumers; ++k) done.recv();
  EXPECT_GT(panics->load(), 0) << "close never raced a send";
  tally->check(false);
}

TEST(ChanStress, UnbufferedCloseRacesInFlightSends) { run_close_races_sends(0); }
TEST(ChanStress, BufferedCloseRacesInFlightSends) { run_close_races_sends(16); }

// The same through select: producers send to whichever of two channels is
// ready; consumers receive from both, turning a closed one into nil (Go's
// idiom) until both are closed. close_early: the consumer receiving the
// kValues/2-th value closes both mid-stream.
void run_select(int cap, bool close_early) {
  auto a = goro::make_chan<int>(cap);
  auto b = goro::make_chan<int>(cap);
  auto done = goro::make_chan<goro::Event>(kProducers + kConsumers);
  auto tally = std::make_shared<Tally>();
  auto producers_left = std::make_shared<std::atomic<int>>(kProducers);
  for (int p = 0; p < kProducers; ++p) {
    goro::go([=] {
      for (int i = 0; i < kPerProducer; ++i) {
        const int v = p * kPerProducer + i;
        try {
          goro::select(goro::send(a, v), goro::send(b, v));
        } catch (const goro::Panic&) {
          break;
        }
        tally->sent[std::size_t(v)].fetch_add(1, std::memory_order_relaxed);
      }
      if (!close_early && producers_left->fetch_sub(1) == 1) {
        a.close();
        b.close();
      }
      done.send({});
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    goro::go([=] {
      goro::Chan<int> ra = a;
      goro::Chan<int> rb = b;
      while (ra || rb) {
        std::optional<int> v;
        int i = goro::select(goro::recv(ra, &v), goro::recv(rb, &v));
        if (!v) {
          (i == 0 ? ra : rb) = nullptr;
          continue;
        }
        if (tally->got(*v) == kValues / 2 && close_early) {
          a.close();
          b.close();
        }
      }
      done.send({});
    });
  }
  for (int k = 0; k < kProducers + kConsumers; ++k) done.recv();
  tally->check(!close_early);
}

TEST(ChanStress, SelectUnbufferedExactlyOnce) { run_select(0, false); }
TEST(ChanStress, SelectBufferedExactlyOnce) { run_select(16, false); }
TEST(ChanStress, SelectUnbufferedCloseRacesInFlightSends) { run_select(0, true); }
TEST(ChanStress, SelectBufferedCloseRacesInFlightSends) { run_select(16, true); }

// Plain threads and goroutines mixed on both sides.
TEST(ChanStress, PlainThreadProducersAndConsumersMixedWithGoroutines) {
  auto ch = goro::make_chan<int>(16);
  auto done = goro::make_chan<goro::Event>(kProducers + kConsumers);
  auto tally = std::make_shared<Tally>();
  auto producers_left = std::make_shared<std::atomic<int>>(kProducers);
  auto producer = [=](int p) {
    for (int i = 0; i < kPerProducer; ++i) {
      const int v = p * kPerProducer + i;
      ch.send(v);
      tally->sent[std::size_t(v)].fetch_add(1, std::memory_order_relaxed);
    }
    if (producers_left->fetch_sub(1) == 1) ch.close();
    done.send({});
  };
  auto consumer = [=] {
    for (int v : ch) tally->got(v);
    done.send({});
  };
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    if (p % 2)
      threads.emplace_back(producer, p);
    else
      goro::go(producer, p);
  }
  for (int c = 0; c < kConsumers; ++c) {
    if (c % 2)
      threads.emplace_back(consumer);
    else
      goro::go([consumer] { consumer(); });  // not go(consumer): that declares a variable
  }
  for (int k = 0; k < kProducers + kConsumers; ++k) done.recv();
  for (auto& t : threads) t.join();
  tally->check(true);
}

// Many goroutines blocked in selects on shared channels, woken one by one.
TEST(ChanStress, ManyBlockedSelectsEachWokenExactlyOnce) {
  constexpr int kWaiters = 200;
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  auto results = goro::make_chan<int>(kWaiters);
  for (int k = 0; k < kWaiters; ++k) {
    goro::go([=] {
      std::optional<int> v;
      goro::select(goro::recv(a, &v), goro::recv(b, &v));
      results.send(*v);
    });
  }
  for (int k = 0; k < kWaiters; ++k) (k % 2 ? a : b).send(k);
  std::vector<int> seen(kWaiters, 0);
  for (int k = 0; k < kWaiters; ++k) seen[std::size_t(*results.recv())]++;
  for (int k = 0; k < kWaiters; ++k) EXPECT_EQ(seen[std::size_t(k)], 1) << k;
  EXPECT_FALSE(a.try_send(0));
  EXPECT_FALSE(b.try_send(0));
}

}  // namespace
