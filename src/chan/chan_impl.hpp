// hchan: the channel data structure shared by src/chan (send, receive,
// close) and src/select (select). See chan.cpp for the invariants.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "goro/detail/chan_core.hpp"
#include "sched/futex.hpp"
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
class WaitQueue {
 public:
  bool empty() const { return first_ == nullptr; }

  void push_back(Sudog* s) {
    s->next = nullptr;
    s->prev = last_;
    if (last_)
      last_->next = s;
    else
      first_ = s;
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
      first_ = s->next;
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
    while (Sudog* s = first_) {
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
  Sudog* first_ = nullptr;
  Sudog* last_ = nullptr;
};

struct ChanCore {
  std::atomic<long> refs{1};
  rt::RuntimeMutex lock;
  const ElemOps* ops = nullptr;
  std::size_t cap = 0;
  std::atomic<std::size_t> count{0};  // written under lock; len() reads it racily
  std::size_t sendx = 0;              // next buffer slot to fill
  std::size_t recvx = 0;              // next buffer slot to empty
  bool closed = false;
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
};

// Operations on a channel whose lock is held. Each returns the Sudog of the
// partner to wake (with wake_partner, after every lock is released), or null.

// Send src to the waiting receiver r (already dequeued). The buffer is
// empty whenever a receiver waits, so the value goes straight to it.
inline Sudog* send_to_receiver(ChanCore* c, Sudog* r, void* src) noexcept {
  c->ops->move_construct(r->elem, src);
  r->success = true;
  return r;
}

// Receive into dst from the waiting sender s (already dequeued). Unbuffered:
// straight from the sender. Buffered (then full): take the head of the
// buffer and put the sender's value at its tail, keeping FIFO order.
inline Sudog* recv_from_sender(ChanCore* c, Sudog* s, void* dst) noexcept {
  if (c->cap == 0) {
    c->ops->move_construct(dst, s->elem);
  } else {
    void* head = c->slot(c->recvx);
    c->ops->move_construct(dst, head);
    c->ops->destroy(head);
    c->ops->move_construct(head, s->elem);
    c->recvx = (c->recvx + 1) % c->cap;
    c->sendx = c->recvx;
  }
  s->success = true;
  return s;
}

inline void buffer_put(ChanCore* c, void* src) noexcept {
  c->ops->move_construct(c->slot(c->sendx), src);
  c->sendx = (c->sendx + 1) % c->cap;
  c->count.store(c->size() + 1, std::memory_order_relaxed);
}

inline void buffer_take(ChanCore* c, void* dst) noexcept {
  void* head = c->slot(c->recvx);
  c->ops->move_construct(dst, head);
  c->ops->destroy(head);
  c->recvx = (c->recvx + 1) % c->cap;
  c->count.store(c->size() - 1, std::memory_order_relaxed);
}

inline void wake_partner(Sudog* s) noexcept {
  if (s) s->waiter->wake();
}

// Blocks the caller forever (operations on nil channels, empty selects).
[[noreturn]] void block_forever(const char* reason, const std::source_location& where);

}  // namespace goro::detail
