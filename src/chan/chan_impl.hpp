// hchan: the channel data structure shared by src/chan (send, receive,
// close) and src/select (select). See chan.cpp for the invariants.
//
// An unbuffered channel is written only under its lock. A buffered one keeps
// its elements in a lock-free Ring (ring.hpp) that sends and receives use
// without the lock; the lock guards only the wait queues and `closed`.
// Fields read without the lock, as hints for "is this worth trying" checks
// (select's first pass, Go's non-blocking fast paths) or for "is anybody
// waiting" after a ring operation: `closed`, the ring's positions and
// whether a wait queue is empty. A hint can be stale; whoever acts on one
// re-checks under the lock (or, for the ring, with seq_cst loads: chan.cpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "chan/chan_lock.hpp"
#include "chan/ring.hpp"
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
  // Set by the waker: true when the operation was completed for the waiter
  // (value transferred), false when the channel was closed, or, for a select
  // case on a buffered channel only, when it could not be completed for it
  // (it retries; complete_ring_waiter).
  bool success = false;
};

// FIFO of Sudogs, intrusive. Guarded by the channel lock.
// first_ is atomic only so that empty_hint() may read it without the lock.
class WaitQueue {
 public:
  bool empty() const { return first() == nullptr; }
  // Without the lock: may be stale by the time the caller acts on it.
  bool empty_hint() const { return first_.load(std::memory_order_acquire) == nullptr; }
  // The same, ordered after a ring operation's CAS (see push_back).
  bool empty_after_ring_op() const { return first_.load(std::memory_order_seq_cst) == nullptr; }

  // For a buffered channel the store that makes the queue non-empty must be
  // seq_cst (publish): a party that then re-checks the ring and a party that
  // completes a ring operation and then checks the queue cannot both miss
  // each other (chan.cpp).
  void push_back(Sudog* s, std::memory_order publish = std::memory_order_relaxed) {
    s->next = nullptr;
    s->prev = last_;
    if (last_)
      last_->next = s;
    else
      first_.store(s, publish);
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

  // The first queued Sudog, or null; the caller holds the lock.
  Sudog* front() const { return first(); }

  // For a queued select Sudog: whether this caller wins its select's claim
  // (CAS on done, 0 -> 1) and so may complete it; records the winner. Plain
  // Sudogs need no claim. The caller holds the lock of s's channel.
  static bool claim(Sudog* s) {
    if (!s->sel) return true;
    uint32_t expected = 0;
    if (!s->sel->done.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) return false;
    s->sel->winner = s;
    return true;
  }

  // Removes and returns the first Sudog that may be completed: plain ones
  // always, select ones only if this call wins their select's claim (those
  // whose select already fired elsewhere are dropped on the way).
  Sudog* dequeue() {
    while (Sudog* s = first()) {
      remove(s);
      if (claim(s)) return s;
    }
    return nullptr;
  }

 private:
  Sudog* first() const { return first_.load(std::memory_order_relaxed); }
  void set_first(Sudog* s) { first_.store(s, std::memory_order_relaxed); }

  std::atomic<Sudog*> first_{nullptr};
  Sudog* last_ = nullptr;
};

// Layout: everything an unbuffered channel's operations touch (the lock, the
// reference count, the read-mostly fields and the wait queues) fills the
// first line; on_free, read only when the channel goes, starts the second;
// the Ring (buffered channels only; its positions a line each) follows, then
// its slots. Measured, 2 cores, against the queues on a line of their own:
// the 1-proc sieve (3000 unbuffered channels, bound by cache misses) 8%
// faster, chan-cap0 6% faster, chan-cap1024 unchanged. (An unbuffered
// channel without the Ring, 128 bytes, was as fast for the sieve but made
// chan-cap1024 about 25% slower with the buffered layout unchanged; not
// understood, bench/NOTES.md.)
struct ChanCore {
  std::atomic<int32_t> refs{1};
  ChanLock lock;
  std::atomic<bool> closed{false};  // written under lock; read racily as a hint
  // Under the lock. select_pins: Sudogs of blocked selects queued here and
  // not yet taken back by their select (which re-locks the channel after
  // waking; losers of a claim may unlink a Sudog, but not its pin). The last
  // reference going while pins remain leaves the channel `orphaned`, and the
  // select that drops the last pin frees it (chan.cpp: Lifetime).
  bool orphaned = false;
  uint32_t select_pins = 0;
  const ElemOps* ops = nullptr;
  std::size_t cap = 0;
  WaitQueue sendq;
  WaitQueue recvq;
  // Called once, when the last reference goes and before the channel is
  // freed (runtime-owned channels such as a Timer's C use it to detach).
  // Set right after chan_make, before the channel is shared.
  alignas(64) void (*on_free)(void* arg) noexcept = nullptr;
  void* on_free_arg = nullptr;
  Ring ring;  // cap > 0 only; its slots follow the header

  bool buffered() const { return cap != 0; }
  std::size_t size() const { return cap ? ring.size() : 0; }
  bool is_closed() const { return closed.load(std::memory_order_acquire); }

  // Move-construct an element at dst from src (move_element, ring.hpp).
  void move_elem(void* dst, void* src) const noexcept { move_element(ops, dst, src); }
};

static_assert(offsetof(ChanCore, on_free) == 64, "an unbuffered operation touches one line");

// Lock-free hints (see the top of this file): could a send / receive
// complete now without waiting, ignoring close? Acquire loads, so that a
// closed-flag read that follows is not ordered before them.
// A buffered channel's operation is not ready while parties of the same
// direction wait (they go first, as in Go).
inline bool send_ready_hint(const ChanCore* c) noexcept {
  if (c->cap == 0) return !c->recvq.empty_hint();
  return c->sendq.empty_hint() && !c->ring.looks_full();
}
inline bool recv_ready_hint(const ChanCore* c) noexcept {
  if (c->cap == 0) return !c->sendq.empty_hint();
  return c->recvq.empty_hint() && !c->ring.looks_empty();
}

// Operations on an unbuffered channel whose lock is held. Each returns the
// Sudog of the partner to wake (with wake_partner, after every lock is
// released), or null.

// Send src to the waiting receiver r (already dequeued).
inline Sudog* send_to_receiver(ChanCore* c, Sudog* r, void* src) noexcept {
  c->move_elem(r->elem, src);
  r->success = true;
  return r;
}

// Receive into dst from the waiting sender s (already dequeued).
inline Sudog* recv_from_sender(ChanCore* c, Sudog* s, void* dst) noexcept {
  c->move_elem(dst, s->elem);
  s->success = true;
  return s;
}

// Buffered channels, after the caller's own ring operation completed: the
// first waiter of the opposite queue (recvq after a push, sendq after a pop)
// has its operation completed on its behalf, as Go's runtime does: a blocked
// receiver gets the ring's oldest element, a blocked sender's value goes
// into the room the caller just made. That ring operation is itself one
// that may let a waiter of the other queue proceed (both queues can hold
// waiters at once for a moment: a party queues behind its own direction's
// waiters even when the ring could take it), so serving alternates between
// the queues until one has nobody to serve. Returns the Sudogs to wake,
// chained through `next` (wake_partner, after every lock is released), or
// null. Checks the first queue without the lock (a seq_cst load after the
// ring operation's seq_cst CAS, see WaitQueue::push_back) and takes the lock
// only when somebody waits. locked: the caller holds the lock already.
//
// The ring operation done for a waiter can find the ring full / empty: a
// party that took the fast path (its own queue looked empty before the
// waiter queued) took the room / element first. A plain waiter then stays
// queued at the front (the queue stays non-empty, so the next party that
// makes room / an element sees it and serves it). A select waiter has been
// claimed already (the claim must come first: its other cases may fire
// elsewhere), so it is woken with success == false and retries.
inline Sudog* complete_ring_waiter(ChanCore* c, bool after_push, bool locked) noexcept {
  if ((after_push ? c->recvq : c->sendq).empty_after_ring_op()) return nullptr;
  if (!locked) c->lock.lock();
  Sudog* woken = nullptr;
  Sudog** tail = &woken;
  for (bool moved = true; moved; after_push = !after_push) {
    moved = false;
    WaitQueue& q = after_push ? c->recvq : c->sendq;
    while (Sudog* s = q.front()) {
      if (!WaitQueue::claim(s)) {
        q.remove(s);  // its select fired elsewhere
        continue;
      }
      const RingResult r = after_push ? c->ring.pop(s->elem) : c->ring.push(s->elem);
      // Not closed: close empties both queues under the lock we hold.
      moved = r == RingResult::done;
      if (moved || s->sel) {
        q.remove(s);
        s->success = moved;
        *tail = s;
        tail = &s->next;
      }
      break;
    }
  }
  if (!locked) c->lock.unlock();
  return woken;
}

// Frees c once nobody can reach it (chan_release, or the select that takes
// the last pin of an orphaned channel back).
void chan_destroy(ChanCore* c) noexcept;

// A blocked select's Sudog pins c while queued there (c's lock held).
inline void chan_pin(ChanCore* c) noexcept { ++c->select_pins; }
// Takes a pin back (c's lock held). True when c is orphaned and this was its
// last pin: the caller must chan_destroy(c) once it has unlocked it.
inline bool chan_unpin(ChanCore* c) noexcept { return --c->select_pins == 0 && c->orphaned; }

// A reference to a channel held for a stretch of an operation that touches
// the channel after the operation took effect (chan.cpp: Lifetime).
class ChanHold {
 public:
  explicit ChanHold(ChanCore* c) noexcept : c_(c) { chan_retain(c); }
  ~ChanHold() { chan_release(c_); }
  ChanHold(const ChanHold&) = delete;
  ChanHold& operator=(const ChanHold&) = delete;

 private:
  ChanCore* c_;
};

// The before_publish step of a ring operation done without the lock
// (Ring::push / pop): whether the opposite queue (recvq for a push, sendq
// for a pop) has a waiter, which the caller will serve after its own
// operation has become visible, so it takes a reference first. The queue
// check is the seq_cst load that follows the ring's CAS (no lost wake-up).
// caller_pins: the caller keeps the channel alive by other means and takes
// no reference (chan_try_send_pinned).
template <bool caller_pins = false>
struct HoldIfWaiting {
  ChanCore* c;
  const WaitQueue* opposite;
  bool operator()() const noexcept {
    if (opposite->empty_after_ring_op()) return false;
    if constexpr (!caller_pins) chan_retain(c);
    return true;
  }
};

// Wakes the Sudogs chained to s through `next` (complete_ring_waiter can
// serve several), reading each link before the wake: a Sudog dies with its
// owner's frame.
[[gnu::noinline, gnu::cold]] inline void wake_chain(Sudog* s) noexcept {
  while (s) {
    Sudog* next = s->next;
    s->waiter->wake();
    s = next;
  }
}

// The partner of an unbuffered hand-over (one Sudog, or null). A select
// queues behind the runnable goroutines (rt::ready_handoff: a fan-in select
// then finds the other senders ready instead of blocking for each).
inline void wake_one(Sudog* s) noexcept {
  if (s) s->waiter->wake(/*behind=*/s->sel != nullptr);
}

// Wakes s (null: nobody) and whatever is chained to it. Kept to a test and
// a call for the usual single partner (the unbuffered hand-overs).
inline void wake_partner(Sudog* s) noexcept {
  if (!s) return;
  if (s->next) [[unlikely]]
    return wake_chain(s);
  s->waiter->wake();
}

// After HoldIfWaiting found a waiter (RingResult::done_flagged): serves the opposite queue's first
// waiter (after_push: recvq), wakes it and drops the reference.
template <bool caller_pins = false>
[[gnu::noinline]] void serve_waiter_and_release(ChanCore* c, bool after_push) noexcept {
  wake_partner(complete_ring_waiter(c, after_push, false));
  if constexpr (!caller_pins) chan_release(c);
}

// A non-blocking send (chan_send with block = false) by a party that keeps
// c alive throughout by other means and so must take no reference, since
// dropping one could free the channel inside the call: a Timer's firing,
// which holds the lock the channel's on_free hook takes (time/timer.cpp).
bool chan_try_send_pinned(ChanCore* c, void* src);

// Blocks the caller forever (operations on nil channels, empty selects).
[[noreturn]] void block_forever(const char* reason, const std::source_location& where);

}  // namespace goro::detail
