// hchan: the channel data structure shared by src/chan (send, receive,
// close) and src/select (select). See chan.cpp for the invariants.
//
// Everything is written under the channel's lock. Three fields may also be
// read without it, as hints for lock-free "is this worth trying" checks
// (select's first pass, Go's non-blocking fast paths): `closed`, `count` and
// whether a wait queue is empty. They are atomics read relaxed, so such a
// hint can be stale; whoever acts on one re-checks under the lock.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "chan/chan_lock.hpp"
#include "goro/detail/chan_core.hpp"
#include "sched/waiter.hpp"

namespace goro::detail {

// Shared by every Sudog of one blocked select: whoever claims `done` (0 -> 1)
// with a CAS, under the lock of the channel the Sudog is queued on, is the
// only party allowed to complete the select; it records which Sudog won.
struct SelectState {
  std::atomic<uint32_t> done{0};
  struct Sudog* winner = nullptr;  // written by the claimer under a channel lock
};

// A blocked party's record in a channel's wait queue (Go's sudog). Lives on
// the blocked party's stack; it is linked into exactly one queue while
// `queued` is set.
struct Sudog {
  Sudog* next = nullptr;
  Sudog* prev = nullptr;
  rt::Waiter* waiter = nullptr;
  ChanCore* chan = nullptr;
  // Sender: the value to move from. Receiver: raw storage to construct into.
  void* elem = nullptr;
  SelectState* sel = nullptr;  // non-null: part of a select
  int case_index = 0;          // select: which case this is
  bool queued = false;
  // Set by the waker: true when a value was transferred, false when the
  // channel was closed.
  bool success = false;
};

// FIFO of Sudogs, intrusive. Guarded by the channel lock.
// first_ is atomic only so that empty_hint() may read it without the lock.
class WaitQueue {
 public:
  bool empty() const { return first() == nullptr; }
  // Without the lock: may be stale by the time the caller acts on it.
  bool empty_hint() const { return first_.load(std::memory_order_acquire) == nullptr; }

  void push_back(Sudog* s) {
    s->next = nullptr;
    s->prev = last_;
    if (last_)
      last_->next = s;
    else
      set_first(s);
    last_ = s;
    s->queued = true;
  }

  // Unlinks s if it is still queued (a failed select claim or a completed
  // select may have removed it already).
  void remove(Sudog* s) {
    if (!s->queued) return;
    if (s->prev)
      s->prev->next = s->next;
    else
      set_first(s->next);
    if (s->next)
      s->next->prev = s->prev;
    else
      last_ = s->prev;
    s->next = s->prev = nullptr;
    s->queued = false;
  }

  // Removes and returns the first Sudog that may be completed: plain ones
  // always, select ones only if this call wins their select's claim (those
  // whose select already fired elsewhere are dropped on the way).
  Sudog* dequeue() {
    while (Sudog* s = first()) {
      remove(s);
      if (s->sel) {
        uint32_t expected = 0;
        if (!s->sel->done.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) continue;
        s->sel->winner = s;
      }
      return s;
    }
    return nullptr;
  }

 private:
  Sudog* first() const { return first_.load(std::memory_order_relaxed); }
  void set_first(Sudog* s) { first_.store(s, std::memory_order_relaxed); }

  std::atomic<Sudog*> first_{nullptr};
  Sudog* last_ = nullptr;
};

// Layout: the lock, the reference count and the ring's bookkeeping share a
// line or two, in Go's hchan order. (Measured: giving the written fields a
// 64-byte-aligned line of their own and the read-only ones the next made
// the 4x4 cap-1024 benchmark about 20% slower on 2 cores.)
struct ChanCore {
  std::atomic<long> refs{1};
  ChanLock lock;
  const ElemOps* ops = nullptr;
  std::size_t cap = 0;
  std::atomic<std::size_t> count{0};  // written under lock; len() reads it racily
  std::size_t sendx = 0;              // next buffer slot to fill
  std::size_t recvx = 0;              // next buffer slot to empty
  std::atomic<bool> closed{false};    // written under lock; read racily as a hint
  WaitQueue sendq;
  WaitQueue recvq;
  unsigned char* buf = nullptr;  // cap slots of ops->size bytes, after the header
  // Called once, when the last reference goes and before the channel is
  // freed (runtime-owned channels such as a Timer's C use it to detach).
  // Set right after chan_make, before the channel is shared.
  void (*on_free)(void* arg) noexcept = nullptr;
  void* on_free_arg = nullptr;

  void* slot(std::size_t i) const { return buf + i * ops->size; }
  std::size_t size() const { return count.load(std::memory_order_relaxed); }
  bool is_closed() const { return closed.load(std::memory_order_acquire); }
  std::size_t next_index(std::size_t i) const { return i + 1 == cap ? 0 : i + 1; }

  // Move-construct an element at dst from src, destroy one. Elements that
  // are trivially copyable and destructible (ElemOps::trivial) are copied
  // inline instead of through the function pointers.
  void move_elem(void* dst, void* src) const noexcept {
    if (!ops->trivial) {
      ops->move_construct(dst, src);
    } else if (ops->size == sizeof(long)) {
      std::memcpy(dst, src, sizeof(long));
    } else {
      std::memcpy(dst, src, ops->size);
    }
  }
  void destroy_elem(void* p) const noexcept {
    if (!ops->trivial) ops->destroy(p);
  }
};

// Lock-free hints (see the top of this file): could a send / receive
// complete now without waiting, ignoring close? Acquire loads, so that a
// closed-flag read that follows is not ordered before them.
inline bool send_ready_hint(const ChanCore* c) noexcept {
  if (c->cap == 0) return !c->recvq.empty_hint();
  return c->count.load(std::memory_order_acquire) < c->cap;
}
inline bool recv_ready_hint(const ChanCore* c) noexcept {
  if (c->cap == 0) return !c->sendq.empty_hint();
  return c->count.load(std::memory_order_acquire) > 0;
}

// Operations on a channel whose lock is held. Each returns the Sudog of the
// partner to wake (with wake_partner, after every lock is released), or null.

// Send src to the waiting receiver r (already dequeued). The buffer is
// empty whenever a receiver waits, so the value goes straight to it.
inline Sudog* send_to_receiver(ChanCore* c, Sudog* r, void* src) noexcept {
  c->move_elem(r->elem, src);
  r->success = true;
  return r;
}

// Receive into dst from the waiting sender s (already dequeued). Unbuffered:
// straight from the sender. Buffered (then full): take the head of the
// buffer and put the sender's value at its tail, keeping FIFO order.
inline Sudog* recv_from_sender(ChanCore* c, Sudog* s, void* dst) noexcept {
  if (c->cap == 0) {
    c->move_elem(dst, s->elem);
  } else {
    void* head = c->slot(c->recvx);
    c->move_elem(dst, head);
    c->destroy_elem(head);
    c->move_elem(head, s->elem);
    c->recvx = c->next_index(c->recvx);
    c->sendx = c->recvx;
  }
  s->success = true;
  return s;
}

inline void buffer_put(ChanCore* c, void* src) noexcept {
  c->move_elem(c->slot(c->sendx), src);
  c->sendx = c->next_index(c->sendx);
  c->count.store(c->size() + 1, std::memory_order_relaxed);
}

inline void buffer_take(ChanCore* c, void* dst) noexcept {
  void* head = c->slot(c->recvx);
  c->move_elem(dst, head);
  c->destroy_elem(head);
  c->recvx = c->next_index(c->recvx);
  c->count.store(c->size() - 1, std::memory_order_relaxed);
}

inline void wake_partner(Sudog* s) noexcept {
  if (s) s->waiter->wake();
}

// Blocks the caller forever (operations on nil channels, empty selects).
[[noreturn]] void block_forever(const char* reason, const std::source_location& where);

}  // namespace goro::detail
