// DeliveryTally: the channel stress tests' account of their values. Value v
// (0 <= v < values) is sent at most once; the test counts each completed send
// in `sent` and hands every received value to got(). check() then requires
// that every value was received exactly as often as it was sent (at most
// once), that no value outside the range turned up, and, where the receiver
// passed its per-producer history, that no consumer saw one producer's
// values out of order.
//
// Counters are atomics touched by any goroutine or thread; check() runs after
// every sender and receiver has finished.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <vector>

class DeliveryTally {
 public:
  // `per_producer` consecutive values belong to one producer (for the order
  // check).
  DeliveryTally(int values, int per_producer)
      : values_(values),
        per_producer_(per_producer),
        received(std::size_t(values)),
        sent(std::size_t(values)) {}

  // Records v; returns how many values have been received, this one included
  // (0 for an invented value).
  int got(int v) {
    if (v < 0 || v >= values_) {
      invented.fetch_add(1);
      return 0;
    }
    received[std::size_t(v)].fetch_add(1, std::memory_order_relaxed);
    return total_received.fetch_add(1, std::memory_order_relaxed) + 1;
  }

  // The same, for a consumer whose last value from each producer is in
  // last[] (-1: none yet): a value not above its producer's last counts as
  // reordered.
  int got(int v, std::vector<int>& last) {
    if (v >= 0 && v < values_) {
      int& prev = last[std::size_t(v / per_producer_)];
      if (v <= prev) reordered.fetch_add(1);
      prev = v;
    }
    return got(v);
  }

  // received == sent for every value, each at most once; with all_sent,
  // every value was sent.
  void check(bool all_sent) {
    EXPECT_EQ(invented.load(), 0);
    EXPECT_EQ(reordered.load(), 0);
    int bad = 0;
    int sent_total = 0;
    for (int v = 0; v < values_; ++v) {
      const int r = received[std::size_t(v)].load();
      const int s = sent[std::size_t(v)].load();
      sent_total += s;
      if (r != s || s > 1 || (all_sent && s != 1)) {
        if (++bad <= 5) ADD_FAILURE() << "value " << v << ": sent " << s << ", received " << r;
      }
    }
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(total_received.load(), sent_total);
  }

 private:
  int values_;
  int per_producer_;

 public:
  std::vector<std::atomic<int>> received;
  std::vector<std::atomic<int>> sent;
  std::atomic<int> total_received{0};
  std::atomic<int> invented{0};
  std::atomic<int> reordered{0};
};
