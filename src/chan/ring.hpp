// Ring: the lock-free buffer of a buffered channel (src/chan, src/select).
//
// A bounded multi-producer multi-consumer queue in the style of Dmitry
// Vyukov's: every slot carries a stamp saying whose turn it is, and the
// positions `head` (next to take) and `tail` (next to fill) are claimed with
// a CAS. A position packs a lap and an index:
//   position = lap * one_lap + index,  index < cap,  one_lap = 2 * mark_bit,
// where mark_bit (a power of two above cap) is set in `tail` by close: from
// then on no push can claim a position, and a pop that finds the ring empty
// reports `closed` instead.
// Slot i's stamp is the position it waits for: p while it is empty and the
// push at position p may fill it; p + 1 once that push has written it (the
// pop at position p may take it); p + one_lap once taken (the push of the
// next lap may fill it).
//
// A push or pop that has claimed a position but not yet set the slot's stamp
// makes the next party of that slot spin. The gap is a few instructions and
// goroutines are never switched out inside it (preemption only takes a P
// away from a thread), so the spin is short unless the OS deschedules the
// thread; it then yields the CPU.
//
// Waiting (in the channel's queues, under its lock) relies on the CAS on
// head / tail and the loads of the opposite position in the full / empty
// checks being seq_cst: see chan.cpp.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

#include <sched.h>

#include "goro/detail/chan_core.hpp"
#include "sched/futex.hpp"

namespace goro::detail {

// Move-constructs an element at dst from src. Trivial elements
// (ElemOps::trivial) are copied inline, without a call, when they are 4 or
// 8 bytes long (int, long, double, pointers), by memcpy otherwise.
inline void move_element(const ElemOps* ops, void* dst, void* src) noexcept {
  if (!ops->trivial)
    ops->move_construct(dst, src);
  else if (ops->size == 8)
    std::memcpy(dst, src, 8);
  else if (ops->size == 4)
    std::memcpy(dst, src, 4);
  else
    std::memcpy(dst, src, ops->size);
}

enum class RingResult {
  done,
  done_flagged,  // done, and before_publish() returned true
  would_block,
  closed,
};

class Ring {
 public:
  struct Nothing {
    bool operator()() const noexcept { return false; }
  };
  static constexpr std::size_t stamp_bytes = sizeof(std::atomic<uint64_t>);

  // Bytes of one slot (stamp and element) for elements described by ops.
  static std::size_t slot_stride(const ElemOps* ops) {
    const std::size_t a = ops->align > stamp_bytes ? ops->align : stamp_bytes;
    return round_up(elem_offset(ops) + ops->size, a);
  }
  static std::size_t slot_align(const ElemOps* ops) {
    return ops->align > stamp_bytes ? ops->align : stamp_bytes;
  }

  // slots: cap * slot_stride(ops) bytes, suitably aligned, unused.
  void init(const ElemOps* ops, std::size_t cap, unsigned char* slots) {
    ops_ = ops;
    cap_ = cap;
    stride_ = slot_stride(ops);
    offset_ = elem_offset(ops);
    std::size_t mark = 1;
    while (mark <= cap) mark <<= 1;
    mark_bit_ = mark;
    one_lap_ = mark << 1;
    slots_ = slots;
    for (std::size_t i = 0; i < cap; ++i) new (stamp(i)) std::atomic<uint64_t>(i);
  }

  // Move *src into the ring, or say why not: full (would_block) or closed.
  // before_publish() runs once the push has claimed its position and before
  // the element becomes visible to pops (chan.cpp: Lifetime); if it returns
  // true the push reports done_flagged instead of done.
  template <class BeforePublish = Nothing>
  [[gnu::always_inline]] RingResult push(void* src, BeforePublish before_publish = {}) noexcept {
    unsigned spins = 0;
    uint64_t tail = tail_.load(std::memory_order_relaxed);
    for (;;) {
      if (tail & mark_bit_) return RingResult::closed;
      const std::size_t index = std::size_t(tail & (mark_bit_ - 1));
      std::atomic<uint64_t>& st = *stamp(index);
      const uint64_t s = st.load(std::memory_order_acquire);
      if (s == tail) {
        if (tail_.compare_exchange_weak(tail, next_position(tail, index), std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          const bool flagged = before_publish();
          move_in(elem(index), src);
          st.store(tail + 1, std::memory_order_release);
          return flagged ? RingResult::done_flagged : RingResult::done;
        }
        continue;  // tail reloaded by the failed CAS
      }
      if (s + one_lap_ == tail + 1) {
        // The slot still holds last lap's element: full, unless head moved.
        if (head_.load(std::memory_order_seq_cst) + one_lap_ == tail)
          return RingResult::would_block;
      }
      backoff(spins);
      tail = tail_.load(std::memory_order_relaxed);
    }
  }

  // Move the oldest element into raw storage dst, or say why not: empty
  // (would_block) or closed and empty. before_publish() as for push, run
  // before the room becomes visible to pushes.
  template <class BeforePublish = Nothing>
  [[gnu::always_inline]] RingResult pop(void* dst, BeforePublish before_publish = {}) noexcept {
    unsigned spins = 0;
    uint64_t head = head_.load(std::memory_order_relaxed);
    for (;;) {
      const std::size_t index = std::size_t(head & (mark_bit_ - 1));
      std::atomic<uint64_t>& st = *stamp(index);
      const uint64_t s = st.load(std::memory_order_acquire);
      if (s == head + 1) {
        if (head_.compare_exchange_weak(head, next_position(head, index), std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          const bool flagged = before_publish();
          void* e = elem(index);
          move_out(dst, e);
          st.store(head + one_lap_, std::memory_order_release);
          return flagged ? RingResult::done_flagged : RingResult::done;
        }
        continue;
      }
      if (s == head) {
        // Not written at this lap: empty, unless a push claimed it already.
        const uint64_t tail = tail_.load(std::memory_order_seq_cst);
        if ((tail & ~uint64_t(mark_bit_)) == head)
          return (tail & mark_bit_) ? RingResult::closed : RingResult::would_block;
      }
      backoff(spins);
      head = head_.load(std::memory_order_relaxed);
    }
  }

  // Marks the ring closed (idempotent); pushes fail from now on. seq_cst.
  void close() noexcept { tail_.fetch_or(mark_bit_, std::memory_order_seq_cst); }

  // Elements in the ring now (a racy snapshot, always within [0, cap]).
  std::size_t size() const noexcept {
    for (;;) {
      const uint64_t tail = tail_.load(std::memory_order_seq_cst);
      const uint64_t head = head_.load(std::memory_order_seq_cst);
      if (tail_.load(std::memory_order_seq_cst) != tail) continue;
      const uint64_t t = tail & (mark_bit_ - 1), h = head & (mark_bit_ - 1);
      if (t > h) return std::size_t(t - h);
      if (t < h) return std::size_t(cap_ - h + t);
      return (tail & ~uint64_t(mark_bit_)) == head ? 0 : cap_;
    }
  }
  // Hints for "could a push / pop complete now" (ignoring close).
  bool looks_full() const noexcept { return size() == cap_; }
  bool looks_empty() const noexcept {
    return (tail_.load(std::memory_order_seq_cst) & ~uint64_t(mark_bit_)) ==
           head_.load(std::memory_order_seq_cst);
  }

  // Destroys the elements left in the ring; nobody else may use it.
  void destroy_all() noexcept {
    if (ops_->trivial) return;
    uint64_t head = head_.load(std::memory_order_relaxed);
    const uint64_t tail = tail_.load(std::memory_order_relaxed) & ~uint64_t(mark_bit_);
    while (head != tail) {
      const std::size_t index = std::size_t(head & (mark_bit_ - 1));
      ops_->destroy(elem(index));
      head = next_position(head, index);
    }
  }

 private:
  static constexpr std::size_t round_up(std::size_t n, std::size_t a) {
    return (n + a - 1) / a * a;
  }
  static std::size_t elem_offset(const ElemOps* ops) {
    return ops->align > stamp_bytes ? ops->align : stamp_bytes;
  }

  uint64_t next_position(uint64_t pos, std::size_t index) const noexcept {
    if (index + 1 < cap_) return pos + 1;
    return (pos & ~uint64_t(one_lap_ - 1)) + one_lap_;  // index 0 of the next lap
  }
  std::atomic<uint64_t>* stamp(std::size_t index) const noexcept {
    return reinterpret_cast<std::atomic<uint64_t>*>(slots_ + index * stride_);
  }
  void* elem(std::size_t index) const noexcept { return slots_ + index * stride_ + offset_; }

  void move_in(void* dst, void* src) const noexcept { move_element(ops_, dst, src); }
  void move_out(void* dst, void* src) const noexcept {
    move_in(dst, src);
    if (!ops_->trivial) ops_->destroy(src);
  }

  [[gnu::noinline, gnu::cold]] static void backoff(unsigned& spins) noexcept {
    if (++spins < 64) {
      for (unsigned i = 0; i < spins; ++i) rt::cpu_relax();
    } else {
      sched_yield();
    }
  }

  // Written by consumers / producers; each on its own cache line.
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  // Read-only after init.
  alignas(64) const ElemOps* ops_ = nullptr;
  std::size_t cap_ = 0;
  std::size_t stride_ = 0;
  std::size_t offset_ = 0;
  uint64_t mark_bit_ = 0;
  uint64_t one_lap_ = 0;
  unsigned char* slots_ = nullptr;
};

}  // namespace goro::detail
