// The unbuffered hand-over between goroutines (src/chan/chan.cpp): its fast
// path (a goroutine partner in a plain send or receive, an 8-byte trivially
// copyable element, runnext free) and the general path it falls back to
// (runnext taken, a select partner, other element types) must deliver
// every value exactly once, to the right party, in FIFO order, and keep
// the deadlock detector's block and wake counts balanced.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include <goro/goro.hpp>

using namespace std::chrono_literals;

namespace {

struct ThreadsafeDeathTests : testing::Environment {
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};
testing::Environment* const env = testing::AddGlobalTestEnvironment(new ThreadsafeDeathTests);

// Runs body in a goroutine and waits for it from the test's thread: the
// senders and receivers below are all goroutines, as the fast path needs.
template <class F>
void in_goroutine(F body) {
  auto done = goro::make_chan<int>(1);
  goro::go([done, body]() mutable {
    body();
    done.send(1);
  });
  done.recv();
}

TEST(Handoff, GoroutineReceiversOfLongsAreServedInFifoOrder) {
  in_goroutine([] {
    auto ch = goro::make_chan<long>();
    auto out = goro::make_chan<std::pair<int, long>>(5);
    for (int i = 0; i < 5; ++i) {
      goro::go([ch, out, i] { out.send({i, *ch.recv()}); });
      goro::sleep(20ms);  // receiver i blocks before i + 1 starts
    }
    // One send per scheduling turn, so that runnext is free for each
    // receiver (the fast path), then a burst (runnext taken: the general
    // path displaces the previous receiver).
    for (long i = 0; i < 5; ++i) ch.send(i * 10);
    for (int i = 0; i < 5; ++i) {
      auto [who, got] = *out.recv();
      EXPECT_EQ(got, who * 10);
    }
  });
}

TEST(Handoff, GoroutineSendersOfPointersAreServedInFifoOrder) {
  in_goroutine([] {
    static int slots[5];
    auto ch = goro::make_chan<int*>();
    for (int i = 0; i < 5; ++i) {
      goro::go([ch, i] { ch.send(&slots[i]); });
      goro::sleep(20ms);  // sender i blocks before i + 1 starts
    }
    for (int i = 0; i < 5; ++i) EXPECT_EQ(ch.recv(), &slots[i]);
  });
}

// Many parties on one channel, both proc counts' worth of Ms: each value
// arrives once, for each element size the fast path copies (4 and 8 bytes)
// and one it leaves to the general path (a 24-byte struct). The values are
// offset by a half (or a third member) so that a copy of the wrong width
// shows in the sum.
struct Wide {
  long a, b, c;
};
double value_of(double v) { return v; }
double value_of(int v) { return v; }
double value_of(Wide w) { return double(w.a) + double(w.b) + double(w.c); }
double make_value(double, long i) { return double(i) + 0.5; }
int make_value(int, long i) { return int(i); }
Wide make_value(Wide, long i) { return {i, 1, -1}; }

template <class T>
void exchange_among_many() {
  constexpr int parties = 4;
  constexpr long per_party = 20'000;
  auto ch = goro::make_chan<T>();
  auto sums = goro::make_chan<double>(parties);
  auto counts = goro::make_chan<long>(parties);
  goro::WaitGroup senders;
  for (int s = 0; s < parties; ++s) {
    senders.add(1);
    goro::go([ch, s, &senders] {
      for (long i = 0; i < per_party; ++i) ch.send(make_value(T{}, s * per_party + i));
      senders.done();
    });
  }
  for (int r = 0; r < parties; ++r) {
    goro::go([ch, sums, counts] {
      double sum = 0;
      long n = 0;
      for (auto v : ch) {
        sum += value_of(v);
        ++n;
      }
      sums.send(sum);
      counts.send(n);
    });
  }
  senders.wait();
  ch.close();
  double sum = 0, expected = 0;
  long n = 0;
  for (int r = 0; r < parties; ++r) {
    sum += *sums.recv();
    n += *counts.recv();
  }
  const long total = parties * per_party;
  for (long i = 0; i < total; ++i) expected += value_of(make_value(T{}, i));
  EXPECT_EQ(n, total);
  EXPECT_EQ(sum, expected);
}

TEST(Handoff, EveryValueArrivesExactlyOnceAmongManySendersAndReceivers) {
  exchange_among_many<double>();
  exchange_among_many<int>();
  exchange_among_many<Wide>();
}

// A select partner takes the general path (it must be claimed); a plain
// partner right after it may take the fast one. Both get their values.
TEST(Handoff, SelectAndPlainReceiversOnOneChannelBothGetTheirValues) {
  in_goroutine([] {
    auto ch = goro::make_chan<long>();
    auto other = goro::make_chan<long>();
    auto out = goro::make_chan<long>(2);
    goro::go([=] {
      long got = -1;
      goro::select(goro::recv(ch, [&](std::optional<long> v) { got = *v; }),
                   goro::recv(other, [&](std::optional<long>) {}));
      out.send(got);
    });
    goro::sleep(20ms);
    goro::go([=] { out.send(*ch.recv() + 1000); });
    goro::sleep(20ms);
    ch.send(1);
    ch.send(2);
    long a = *out.recv(), b = *out.recv();
    EXPECT_EQ(a + b, 1 + 2 + 1000);
    EXPECT_TRUE((a == 1 && b == 1002) || (a == 1002 && b == 1)) << a << " " << b;
  });
}

// Every fast hand-over counts the wake-up of the goroutine it readies: if
// it did not, blocked goroutines would look more numerous than the live
// ones and a real deadlock would go unreported (the alarm then ends the
// child with SIGALRM instead of the deadlock report).
TEST(Handoff, ARealDeadlockAfterManyHandoffsIsStillReported) {
  EXPECT_EXIT(
      {
        alarm(20);
        auto ping = goro::make_chan<long>();
        auto pong = goro::make_chan<long>();
        auto done = goro::make_chan<long>();
        goro::go([=] {
          for (long i = 0; i < 10'000; ++i) pong.send(*ping.recv() + 1);
        });
        goro::go([=] {
          long v = 0;
          for (long i = 0; i < 10'000; ++i) {
            ping.send(v);
            v = *pong.recv();
          }
          done.send(v);
        });
        if (done.recv() != 10'000) std::exit(3);
        goro::make_chan<long>().recv();  // nobody will ever send
        std::exit(0);
      },
      testing::ExitedWithCode(2), "fatal error: all goroutines are asleep - deadlock!");
}

}  // namespace
