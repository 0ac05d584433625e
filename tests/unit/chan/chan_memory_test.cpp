// Channel memory (src/chan/chan_memory.hpp): blocks of dropped channels are
// reused through a per-thread cache. A channel made from a reused block must
// be a new channel in every respect, whichever thread freed the block.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <goro/goro.hpp>

#include "support/checks.hpp"

namespace {

// The previous channel was used to the end (values left in flight, waiters
// served, closed): the next one, likely in the same block, starts afresh.
TEST(ChanMemory, ChannelMadeAfterOneIsDroppedStartsEmptyAndOpen) {
  for (int round = 0; round < 1000; ++round) {
    auto ch = goro::make_chan<int>();
    EXPECT_FALSE(ch.try_send(1)) << "round " << round << ": nobody receives";
    EXPECT_FALSE(ch.try_recv().has_value());
    EXPECT_EQ(ch.len(), 0);
    EXPECT_EQ(ch.cap(), 0);
    std::atomic<int> got{0};
    goro::go([ch, &got] { got = ch.recv().value_or(-1); });
    ch.send(round + 7);
    ASSERT_TRUE(eventually([&] { return got.load() == round + 7; }));
    // A second channel alive at the same time is a different channel.
    auto other = goro::make_chan<int>(0);
    EXPECT_NE(ch, other);
    goro::go([other] { other.send(1); });
    ch.close();
    EXPECT_FALSE(ch.recv().has_value());
    EXPECT_EQ(other.recv(), 1) << "round " << round;
  }
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

// Channels made on one thread and dropped on another (the block goes to
// the other thread's cache, then back into use there), many at once.
TEST(ChanMemory, ChannelsDroppedOnOtherThreadsAreReusedSafely) {
  constexpr int threads = 4, rounds = 20000;
  std::vector<std::thread> workers;
  std::atomic<long> checked{0};
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([t, &checked] {
      for (int i = 0; i < rounds; ++i) {
        // Made here; its last handle is dropped by whichever thread runs
        // the goroutine that receives from it.
        auto ch = goro::make_chan<long>(i % 3 == 0 ? 0 : 1);
        long want = long(t) * rounds + i;
        if (ch.cap() == 1) {
          ch.send(want);
        } else {
          goro::go([ch, want] { ch.send(want); });
        }
        auto done = goro::make_chan<goro::Event>(1);
        goro::go([ch, want, done, &checked] {
          if (ch.recv() == want) ++checked;
          done.send({});
        });
        done.recv();
      }
    });
  for (auto& w : workers) w.join();
  EXPECT_EQ(checked.load(), long(threads) * rounds);
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

}  // namespace
