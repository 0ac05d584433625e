// A P's local run queue: a fixed ring that its owner pushes to and pops
// from without locks, and that other Ms steal half of.
//
// Invariants: only the owning M (the M holding the P) calls push/pop;
// any thread may call steal_into. head is advanced by CAS (consumers race
// on it: the owner popping and thieves stealing); tail is written only by
// the owner. Slots between head and tail hold valid G pointers. The ring is
// a Chase-Lev-style FIFO as in Go's runqput/runqget/runqsteal.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/goroutine.hpp"

namespace goro::rt {

class RunQueue {
 public:
  static constexpr uint32_t capacity = 256;

  bool empty() const {
    return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire);
  }
  uint32_t size() const {
    return tail_.load(std::memory_order_acquire) - head_.load(std::memory_order_acquire);
  }

  // Owner only. Returns false when full (caller moves half to the global queue).
  bool push(G* g) {
    uint32_t head = head_.load(std::memory_order_acquire);
    uint32_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head >= capacity) return false;
    slots_[tail % capacity].store(g, std::memory_order_relaxed);
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Owner only: take up to half the queue (plus `extra` already in hand) off
  // the head into `out`, for moving to the global queue when the ring is full.
  uint32_t take_half(G** out) {
    uint32_t head = head_.load(std::memory_order_acquire);
    uint32_t tail = tail_.load(std::memory_order_relaxed);
    uint32_t n = (tail - head) / 2;
    for (uint32_t i = 0; i < n; ++i)
      out[i] = slots_[(head + i) % capacity].load(std::memory_order_relaxed);
    if (!head_.compare_exchange_strong(head, head + n, std::memory_order_acq_rel)) return 0;
    return n;
  }

  // Owner only.
  G* pop() {
    uint32_t head = head_.load(std::memory_order_acquire);
    for (;;) {
      uint32_t tail = tail_.load(std::memory_order_relaxed);
      if (head == tail) return nullptr;
      G* g = slots_[head % capacity].load(std::memory_order_relaxed);
      if (head_.compare_exchange_weak(head, head + 1, std::memory_order_acq_rel)) {
        prefetch_next_two(head + 1, tail);
        return g;
      }
    }
  }

  // Any thread: move about half of this queue into `dst` (which must be the
  // caller's own queue, and empty). Returns one stolen G to run directly, or
  // nullptr.
  G* steal_into(RunQueue& dst) {
    G* batch[capacity / 2];
    uint32_t n;
    for (;;) {
      uint32_t head = head_.load(std::memory_order_acquire);
      uint32_t tail = tail_.load(std::memory_order_acquire);
      n = tail - head;
      n = n - n / 2;
      if (n == 0) return nullptr;
      if (n > capacity / 2) continue;  // read an inconsistent head/tail pair
      for (uint32_t i = 0; i < n; ++i)
        batch[i] = slots_[(head + i) % capacity].load(std::memory_order_relaxed);
      if (head_.compare_exchange_weak(head, head + n, std::memory_order_acq_rel)) break;
    }
    G* first = batch[0];
    if (n > 1) __builtin_prefetch(batch[1], 1);  // dst's next pop (see prefetch_next_two)
    uint32_t dst_tail = dst.tail_.load(std::memory_order_relaxed);
    for (uint32_t i = 1; i < n; ++i)
      dst.slots_[(dst_tail + i - 1) % capacity].store(batch[i], std::memory_order_relaxed);
    dst.tail_.store(dst_tail + n - 1, std::memory_order_release);
    return first;
  }

 private:
  // The Gs queued behind a pop are often cold: made or last run on another
  // core, or long ago (spawn's thief, skynet, sieve), and resuming one
  // stalls on its first line (which holds the saved stack pointer). So each
  // pop warms the first lines of the next two Gs: a G may run only some
  // tens of nanoseconds, less than a miss to another core, so one ahead is
  // not always enough lead. A thief may take those Gs meanwhile; a prefetch
  // of a G being run elsewhere is harmless (Gs are never freed).
  void prefetch_next_two(uint32_t next, uint32_t tail) const {
    if (next == tail) return;
    __builtin_prefetch(slots_[next % capacity].load(std::memory_order_relaxed), 1);
    if (next + 1 == tail) return;
    __builtin_prefetch(slots_[(next + 1) % capacity].load(std::memory_order_relaxed), 1);
  }

  alignas(64) std::atomic<uint32_t> head_{0};
  alignas(64) std::atomic<uint32_t> tail_{0};
  std::atomic<G*> slots_[capacity];
};

}  // namespace goro::rt
