// Channels (Go's hchan): make, send, receive, close, len, cap.
//
// Data: a lock; FIFO queues of blocked senders (sendq) and receivers
// (recvq), whose records (Sudogs) live on the blocked parties' stacks; for
// a buffered channel, a lock-free ring of cap slots (ring.hpp).
//
// Unbuffered channels (Go's rules, everything under the lock):
// - at least one of sendq and recvq is empty;
// - closed implies sendq is empty (close wakes every sender; they panic).
// Hand-over: the party completing an operation removes the partner's Sudog
// from its queue, moves the value into (or out of) the partner's slot and
// sets `success`, all under the channel lock; it releases the lock and only
// then wakes the partner. A blocked sender therefore returns only after a
// receiver has taken its value.
//
// Buffered channels: values only ever travel through the ring, so a
// sender's values stay in order, and blocked parties are served first, as in
// Go (a buffered channel used as a semaphore never starves a blocked
// acquirer):
// - Fast path: a send (receive) whose own queue looks empty uses the ring
//   without the lock. One that finds its own queue non-empty, or the ring
//   full (empty), takes the slow path: under the lock, closed is checked,
//   then it queues its Sudog (a seq_cst store when the queue was empty).
//   The party that made the queue non-empty tries the ring once more and
//   only then blocks; one queued behind others just blocks (its turn comes
//   when those ahead of it are served).
// - Serving a waiter: a party that completes a ring operation checks the
//   opposite queue (a seq_cst load) and, if somebody waits, completes the
//   first waiter's operation on its behalf under the lock
//   (complete_ring_waiter in chan_impl.hpp): it moves a blocked sender's
//   value into the room it just made, or the oldest element into a blocked
//   receiver's slot, marks the waiter successful, dequeues it and wakes it
//   after unlocking. A select waiter is claimed first (the claim of the
//   unbuffered hand-over). So after `recv` returns, the blocked sender's
//   value is in the buffer and a newcomer's try_send fails, as in Go.
//   Both queues may hold waiters at once for a moment (a party queues
//   behind its own direction even when the ring could take it), so the
//   ring operation done for a waiter is served onwards in turn: serving
//   alternates between the queues, under the lock, until one has nobody
//   to serve.
// - Close sets the ring's mark and wakes everybody (success false), under
//   the lock. A woken sender panics; a woken receiver drains the ring and
//   then reports closed.
// No lost wake-up: a waiter's queue store, its re-check of the ring, the
// other party's CAS on a ring position and its queue check are all seq_cst.
// A ring operation ordered before the store that made the queue non-empty
// is seen by that waiter's re-check; every ring operation ordered after it
// sees a non-empty queue and serves its first waiter (and so does every
// ring operation done for a waiter, under the lock), until the queue is
// empty again (a waiter queued behind others needs no re-check: the queue
// was non-empty all along). No element is lost or duplicated: each ring
// slot is taken by exactly one CAS, whoever runs it, and a waiter's value
// is moved exactly once (by itself on its re-check, or by the one party that
// dequeued it).
// What remains unordered: a party whose own-queue check came before a
// waiter queued may still take the room (element) freed for that waiter, as
// two concurrent operations may be ordered either way. The serving party
// then finds the ring full (empty): a plain waiter stays at the front of its
// queue (the next party to make room or an element serves it); a select
// waiter, already claimed, is woken with success false and retries its case.
//
// Lifetime. Channels are reference counted (chan_retain / chan_release), but
// the party that runs an operation may be using a handle it does not own (a
// goroutine that captured `this`), and the owner may free the channel as
// soon as it has seen the operation take effect: received the value, seen
// the close, found the room. So an operation that still touches the channel
// after its effect can be seen holds a reference for that stretch, taken
// before the effect becomes visible:
// - a fast ring operation that finds a waiter to serve takes it between
//   claiming its slot and publishing it (HoldIfWaiting); one that finds
//   none touches nothing after publishing;
// - the slow paths (they re-check the ring under the lock, or block and
//   then drain a closed ring), close and select's locked and blocking paths
//   hold their channels throughout (ChanHold, select's LockSet);
// - a Timer's firing sends without one (chan_try_send_pinned): it keeps the
//   channel alive by holding the lock the channel's on_free hook takes, and
//   dropping a reference there could free the channel, and re-enter the
//   timer, inside the firing;
// - the unbuffered hand-over needs none: its partner is woken, and so
//   learns of it, only after the lock is released, and a blocked party
//   touches nothing of the channel once woken;
// - a blocked select re-locks all its channels once woken. Instead of a
//   reference (two locked instructions per channel per select) each of its
//   Sudogs pins its channel, a count under the channel's lock that only the
//   select itself takes back (ChanCore::select_pins). The last reference
//   takes the lock, so it waits for whoever holds it; if pins remain it
//   marks the channel orphaned and the select that takes the last pin back
//   frees it (chan_unpin). A select keeps references to its buffered
//   channels all the same: their ring operations are done without the lock.
#include <new>

#include "chan/chan_impl.hpp"
#include "chan/chan_memory.hpp"
#include "goro/panic.hpp"

namespace goro::detail {

namespace {

void unlock_chan(void* arg) { static_cast<ChanCore*>(arg)->lock.unlock(); }

// With c locked: queue the caller on q with its value slot `elem`, release
// the lock and block until a partner or close completes the operation.
// Returns whether it completed (false: the channel was closed). Inlined
// into unbuffered_send_locked / unbuffered_recv_locked, as the park path is
// into it (sched/park.hpp): one frame saves the registers for the switch. A
// call of its own cost pingpong 32 of its 688 instructions per round trip
// (cachegrind), its frame set-up and tear-down.
[[gnu::always_inline]] inline bool wait_in_queue(ChanCore* c, WaitQueue& q, void* elem,
                                                 const char* reason,
                                                 const std::source_location& where) {
  rt::Waiter w;
  Sudog me;
  me.waiter = &w;
  me.chan = c;
  me.elem = elem;
  q.push_back(&me);
  w.block(reason, unlock_chan, c, where);
  return me.success;
}
void unlock_nothing(void*) {}

constexpr std::size_t round_up(std::size_t n, std::size_t align) {
  return (n + align - 1) / align * align;
}

std::size_t chan_align_bytes(const ElemOps* ops) {
  const std::size_t a = Ring::slot_align(ops);
  return a < alignof(ChanCore) ? alignof(ChanCore) : a;
}

std::size_t header_size(const ElemOps* ops) {
  return round_up(sizeof(ChanCore), chan_align_bytes(ops));
}

std::align_val_t chan_align(const ElemOps* ops) { return std::align_val_t(chan_align_bytes(ops)); }

// Buffered channels (see the top of this file). The slow paths are
// separate functions and the fast paths tail-call them, so that the fast
// paths need no stack frame.
[[gnu::noinline]] bool ring_send_slow(ChanCore* c, void* src, bool block, RingResult r,
                                      const std::source_location& where) {
  if (r == RingResult::closed) panic("send on closed channel");
  if (!block) return false;
  ChanHold hold(c);
  c->lock.lock();
  if (c->is_closed()) {
    c->lock.unlock();
    panic("send on closed channel");
  }
  rt::Waiter w;
  Sudog me;
  me.waiter = &w;
  me.chan = c;
  me.elem = src;
  // Behind other senders we just wait our turn; the first one re-checks
  // the ring after queueing (no lost wake-up).
  const bool first = c->sendq.empty();
  c->sendq.push_back(&me, std::memory_order_seq_cst);
  if (first && c->ring.push(src) == RingResult::done) {
    c->sendq.remove(&me);
    Sudog* partner = complete_ring_waiter(c, true, true);
    c->lock.unlock();
    wake_partner(partner);
    return true;
  }
  w.block("chan send", unlock_chan, c, where);
  // Woken and dequeued: a receiver moved our value into the ring, or the
  // channel was closed.
  if (!me.success) panic("send on closed channel");
  return true;
}

// A sender goes to the slow path (and queues) while other senders wait,
// even if the ring has room: that room belongs to the first of them.
// caller_pins: see chan_try_send_pinned (only with block = false).
template <bool caller_pins = false>
[[gnu::noinline]] bool ring_send(ChanCore* c, void* src, bool block,
                                 const std::source_location& where) {
  if (!c->sendq.empty_hint()) [[unlikely]]
    return ring_send_slow(c, src, block, RingResult::would_block, where);
  const RingResult r = c->ring.push(src, HoldIfWaiting<caller_pins>{c, &c->recvq});
  if (r == RingResult::done) [[likely]]
    return true;
  if (r == RingResult::done_flagged) {
    serve_waiter_and_release<caller_pins>(c, true);
    return true;
  }
  return ring_send_slow(c, src, block, r, where);
}

[[gnu::noinline]] RecvStatus ring_recv_slow(ChanCore* c, void* dst, bool block, RingResult r,
                                            const std::source_location& where) {
  if (r == RingResult::closed) return RecvStatus::closed;
  if (!block) return RecvStatus::would_block;
  ChanHold hold(c);
  c->lock.lock();
  // Closed: drain what is left, then report closed (a closed ring's pop
  // never says would_block).
  if (c->is_closed()) {
    c->lock.unlock();
    return c->ring.pop(dst) == RingResult::done ? RecvStatus::received : RecvStatus::closed;
  }
  rt::Waiter w;
  Sudog me;
  me.waiter = &w;
  me.chan = c;
  me.elem = dst;
  const bool first = c->recvq.empty();
  c->recvq.push_back(&me, std::memory_order_seq_cst);
  if (first && c->ring.pop(dst) == RingResult::done) {
    c->recvq.remove(&me);
    Sudog* partner = complete_ring_waiter(c, false, true);
    c->lock.unlock();
    wake_partner(partner);
    return RecvStatus::received;
  }
  w.block("chan receive", unlock_chan, c, where);
  // Woken and dequeued: a sender moved an element into dst, or the channel
  // was closed (elements may be left: drain them first).
  if (me.success) return RecvStatus::received;
  return c->ring.pop(dst) == RingResult::done ? RecvStatus::received : RecvStatus::closed;
}

[[gnu::noinline]] RecvStatus ring_recv(ChanCore* c, void* dst, bool block,
                                       const std::source_location& where) {
  if (!c->recvq.empty_hint()) [[unlikely]]
    return ring_recv_slow(c, dst, block, RingResult::would_block, where);
  const RingResult r = c->ring.pop(dst, HoldIfWaiting<>{c, &c->sendq});
  if (r == RingResult::done) [[likely]]
    return RecvStatus::received;
  if (r == RingResult::done_flagged) {
    serve_waiter_and_release(c, false);
    return RecvStatus::received;
  }
  return ring_recv_slow(c, dst, block, r, where);
}

// Unbuffered channels (see the top of this file).
//
// The usual hand-over has a fast path that needs no stack frame, so that
// chan_send and chan_recv push no registers for it: the partner is a
// goroutine blocked in a plain send or receive (not a select), the element
// is trivially copyable and 4 or 8 bytes long (int, long, double, a
// pointer), and the caller's P has runnext free for the partner (as
// ready_handoff would put it there). Anything else, and a blocking
// operation, goes on in the functions below with the lock held,
// tail-called. Measured at 1 proc (cachegrind): pingpong 609 -> 559
// instructions per round trip, chan-cap0 and the sieve 14% fewer in all
// (bench/NOTES.md).

// With c locked: complete the operation (closed, a partner, or block).
[[gnu::noinline]] bool unbuffered_send_locked(ChanCore* c, void* src, bool block,
                                              const std::source_location& where) {
  if (c->is_closed()) {
    c->lock.unlock();
    panic("send on closed channel");
  }
  if (Sudog* r = c->recvq.dequeue()) {
    Sudog* partner = send_to_receiver(c, r, src);
    c->lock.unlock();
    wake_one(partner);
    return true;
  }
  if (!block) {
    c->lock.unlock();
    return false;
  }
  // The waker unlinked us and recorded the outcome before waking us.
  if (!wait_in_queue(c, c->sendq, src, "chan send", where)) panic("send on closed channel");
  return true;
}

[[gnu::noinline]] RecvStatus unbuffered_recv_locked(ChanCore* c, void* dst, bool block,
                                                    const std::source_location& where) {
  if (c->is_closed()) {
    c->lock.unlock();
    return RecvStatus::closed;
  }
  if (Sudog* s = c->sendq.dequeue()) {
    Sudog* partner = recv_from_sender(c, s, dst);
    c->lock.unlock();
    wake_one(partner);
    return RecvStatus::received;
  }
  if (!block) {
    c->lock.unlock();
    return RecvStatus::would_block;
  }
  return wait_in_queue(c, c->recvq, dst, "chan receive", where) ? RecvStatus::received
                                                                : RecvStatus::closed;
}

[[gnu::noinline]] bool unbuffered_send(ChanCore* c, void* src, bool block,
                                       const std::source_location& where) {
  if (!c) {
    if (!block) return false;
    block_forever("chan send (nil chan)", where);
  }
  // Go's fast path: a non-blocking send that cannot proceed fails without
  // the lock. Not closed (read after the readiness check) and no receiver
  // at that moment: a closed channel never reopens, so both held at once.
  if (!block && !send_ready_hint(c) && !c->is_closed()) return false;
  c->lock.lock();
  return unbuffered_send_locked(c, src, block, where);
}

[[gnu::noinline]] RecvStatus unbuffered_recv(ChanCore* c, void* dst, bool block,
                                             const std::source_location& where) {
  if (!c) {
    if (!block) return RecvStatus::would_block;
    block_forever("chan receive (nil chan)", where);
  }
  // Go's fast path: no sender and (read after that) not closed means
  // nothing could be received at that moment.
  if (!block && !recv_ready_hint(c) && !c->is_closed()) return RecvStatus::would_block;
  c->lock.lock();
  return unbuffered_recv_locked(c, dst, block, where);
}

// With c locked and `partner` the first Sudog of the partner queue (a
// receiver when `sending`, else a sender), a plain goroutine's or thread's,
// the element `size` trivially copyable bytes: if the fast path applies,
// moves the element between `mine` and the partner's slot, releases the
// lock, readies the partner into runnext and returns true. Else returns
// false having changed nothing, the lock still held. (A waiting partner
// means the channel is open: close empties both queues under the lock.)
template <bool sending, std::size_t size>
[[gnu::always_inline]] inline bool try_fast_handoff_sized(ChanCore* c, Sudog* partner, void* mine) {
  WaitQueue& partners = sending ? c->recvq : c->sendq;
  rt::G* g = partner->waiter->goroutine();
  rt::M* m = rt::current_m();
  if (!g || !m) return false;
  // Inside a runtime section from here (rt::RuntimeSection; no switch
  // follows, so m stays ours): the hand-off signal must not take m's P.
  const sig_atomic_t saved_in_runtime = m->in_runtime;
  m->in_runtime = 1;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  rt::P* p = m->p;
  if (!p || p->runnext.load(std::memory_order_relaxed)) {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    m->in_runtime = saved_in_runtime;
    return false;
  }
  partners.remove(partner);
  if constexpr (sending)
    std::memcpy(partner->elem, mine, size);
  else
    std::memcpy(mine, partner->elem, size);
  partner->success = true;
  const bool wake_lock_sleeper = c->lock.release();
  // Waiter::wake and rt::ready_handoff, for an empty runnext.
  rt::count_goroutine_wake(p);
  g->status.store(rt::GStatus::runnable, std::memory_order_relaxed);
  p->runnext.store(g, std::memory_order_release);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  m->in_runtime = saved_in_runtime;
  if (wake_lock_sleeper) [[unlikely]]
    c->lock.wake_sleeper_after_release();
  return true;
}

// The checks that need no register of their own come first, and each size
// gets its own copy of the path: with the size in a register the compiler
// saved three more, also for the operations that block (pingpong +20
// instructions per round trip).
template <bool sending>
[[gnu::always_inline]] inline bool try_fast_handoff(ChanCore* c, void* mine) {
  Sudog* partner = (sending ? c->recvq : c->sendq).front();
  if (!partner || partner->sel || !c->ops->trivial) return false;
  if (c->ops->size == 8) return try_fast_handoff_sized<sending, 8>(c, partner, mine);
  if (c->ops->size == 4) return try_fast_handoff_sized<sending, 4>(c, partner, mine);
  return false;
}

}  // namespace

void block_forever(const char* reason, const std::source_location& where) {
  rt::Waiter w;
  for (;;) w.block(reason, unlock_nothing, nullptr, where);  // nobody ever wakes it
}

ChanCore* chan_make(const ElemOps* ops, long long cap) {
  constexpr std::size_t max_bytes = std::size_t(1) << 40;
  if (cap < 0 || (ops->size != 0 && std::size_t(cap) > max_bytes / ops->size))
    panic("makechan: size out of range");
  const std::size_t header = header_size(ops);
  void* mem =
      chan_memory_alloc(header + std::size_t(cap) * Ring::slot_stride(ops), chan_align(ops));
  auto* c = ::new (mem) ChanCore;
  c->ops = ops;
  c->cap = std::size_t(cap);
  if (cap > 0) c->ring.init(ops, c->cap, static_cast<unsigned char*>(mem) + header);
  return c;
}

void chan_retain(ChanCore* c) noexcept { c->refs.fetch_add(1, std::memory_order_relaxed); }

void chan_release(ChanCore* c) noexcept {
  if (c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // Nobody else can reach the channel: every operation that could still
  // touch it holds a reference, holds its lock (waited out here) or, for a
  // blocked select, a pin (see Lifetime at the top of this file).
  c->lock.lock();
  const bool pinned = c->select_pins != 0;
  c->orphaned = pinned;
  c->lock.unlock();
  if (!pinned) chan_destroy(c);
}

void chan_destroy(ChanCore* c) noexcept {
  if (c->on_free) c->on_free(c->on_free_arg);
  if (c->buffered()) c->ring.destroy_all();
  const std::align_val_t align = chan_align(c->ops);
  const std::size_t bytes = header_size(c->ops) + c->cap * Ring::slot_stride(c->ops);
  c->~ChanCore();
  chan_memory_free(c, bytes, align);
}

bool chan_send(ChanCore* c, void* src, bool block, const std::source_location& where) {
  if (c && c->buffered()) return ring_send(c, src, block, where);
  if (!c || !block || !c->lock.try_lock()) [[unlikely]]
    return unbuffered_send(c, src, block, where);
  if (try_fast_handoff<true>(c, src)) return true;
  return unbuffered_send_locked(c, src, true, where);
}

bool chan_try_send_pinned(ChanCore* c, void* src) {
  const auto here = std::source_location::current();
  if (c->buffered()) return ring_send<true>(c, src, false, here);
  return unbuffered_send(c, src, false, here);
}

RecvStatus chan_recv(ChanCore* c, void* dst, bool block, const std::source_location& where) {
  if (c && c->buffered()) return ring_recv(c, dst, block, where);
  if (!c || !block || !c->lock.try_lock()) [[unlikely]]
    return unbuffered_recv(c, dst, block, where);
  if (try_fast_handoff<false>(c, dst)) return RecvStatus::received;
  return unbuffered_recv_locked(c, dst, true, where);
}

void chan_close(ChanCore* c, const std::source_location&) {
  if (!c) panic("close of nil channel");
  ChanHold hold(c);  // a receiver may see the close before we unlock
  c->lock.lock();
  if (c->is_closed()) {
    c->lock.unlock();
    panic("close of closed channel");
  }
  c->closed.store(true, std::memory_order_relaxed);
  if (c->buffered()) c->ring.close();
  // Collect every waiter in FIFO order (receivers get "closed" once a
  // buffered channel's ring is drained, senders will panic), chained through
  // their now unused `next` links (dequeue cleared them), and wake them
  // after unlocking.
  Sudog* wake_list = nullptr;
  Sudog** tail = &wake_list;
  for (WaitQueue* q : {&c->recvq, &c->sendq}) {
    while (Sudog* s = q->dequeue()) {
      s->success = false;
      *tail = s;
      tail = &s->next;
    }
  }
  c->lock.unlock();
  while (wake_list) {
    Sudog* s = wake_list;
    wake_list = s->next;  // read before waking: s dies with its owner's frame
    s->waiter->wake();
  }
}

std::size_t chan_len(const ChanCore* c) noexcept { return c ? c->size() : 0; }
std::size_t chan_cap(const ChanCore* c) noexcept { return c ? c->cap : 0; }

}  // namespace goro::detail
