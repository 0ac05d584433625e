// select (Go's selectgo) over the channel core of src/chan.
//
// 0. Fast path: walk the non-nil cases in a fresh uniformly random order,
//    reading each channel's lock-free readiness hints (chan_impl.hpp); try
//    the first case that looks ready alone (under its own lock; a buffered
//    channel's ring needs no lock). Done if it
//    completes, else (a stale hint) go on with the full protocol. A select
//    of one case and a default whose case looks not ready returns the
//    default without locking.
// 1. Lock every distinct channel of the non-nil cases, in address order
//    (one global order, so two selects cannot deadlock).
// 2. Poll the cases in the same random order; complete the first ready
//    one (a closed channel's receive is ready; a send on a closed channel
//    panics when its turn comes).
// 3. None ready: with a default case, unlock and return it. Otherwise queue
//    one Sudog per case, all sharing one SelectState and one Waiter, each
//    pinning its channel (chan.cpp: Lifetime), and block; the locks are
//    released only once a wake-up cannot be missed.
//    Buffered channels' rings change without their locks, so once queued
//    the buffered cases whose queue we made non-empty are polled again
//    before blocking (chan.cpp explains why no wake-up is lost). A buffered
//    case is not ready while parties of its own direction wait: they go
//    first, as in Go.
// 4. A waker claims the select with a CAS on SelectState::done (in
//    WaitQueue::dequeue / claim), records the winning Sudog, completes the
//    transfer (for a buffered channel, the ring operation on our behalf:
//    complete_ring_waiter), unlocks and wakes us. Parties that lose the
//    claim just unlink the Sudog.
// 5. Woken: lock every channel again, unlink the remaining Sudogs, take
//    the pins back, unlock (and free a channel whose last reference went
//    meanwhile and whose last pin was ours), report the winner. A buffered winner whose operation
//    could not be completed for it (success false: closed, or a rare race) tries its case alone,
//    and starts over if that fails.
//
// Invariant: the select does not return (its Sudogs and SelectState die with
// its frame) before it has held every involved channel's lock after the
// wake-up, so no waker can still be looking at its records.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "chan/chan_impl.hpp"
#include "goro/panic.hpp"
#include "sched/futex.hpp"

namespace goro::detail {

namespace {

// Stack storage for small selects, the heap for large dynamic ones.
template <class T, int N>
class SmallArray {
 public:
  explicit SmallArray(int n) {
    if (n > N) {
      heap_ = std::make_unique<T[]>(std::size_t(n));
      data_ = heap_.get();
    }
  }
  T& operator[](int i) { return data_[i]; }
  T* data() { return data_; }

 private:
  T local_[N];
  std::unique_ptr<T[]> heap_;
  T* data_ = local_;
};

// Per-thread xorshift64*, one step per select. Not inlined and never kept
// across a blocking call, so a goroutine that migrates always reads the
// current thread's state.
[[gnu::noinline]] uint64_t select_seed() {
  thread_local uint64_t state = 0;
  uint64_t x = state;
  if (x == 0) {
    x = uint64_t(rt::monotonic_ns()) ^ reinterpret_cast<uintptr_t>(&state);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    if (x == 0) x = 0x9E3779B97F4A7C15ull;
  }
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  state = x;
  return x * 0x2545F4914F6CDD1Dull;
}

// The shuffle's numbers within one select: a 64-bit LCG seeded by
// select_seed(), high halves only. Uniform in [0, n) by multiply-shift (no
// division; the bias is below n / 2^32).
struct ShuffleRand {
  uint64_t s;
  uint32_t below(uint32_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return uint32_t((uint64_t(uint32_t(s >> 32)) * n) >> 32);
  }
};

// Sorts a select's channels: insertion sort for the usual handful (cheaper
// than std::sort's set-up), std::sort for large dynamic selects.
void sort_by_address(ChanCore** chans, int n) {
  if (n > 16) {
    std::sort(chans, chans + n);
    return;
  }
  for (int i = 1; i < n; ++i) {
    ChanCore* c = chans[i];
    int j = i;
    for (; j > 0 && std::less<ChanCore*>()(c, chans[j - 1]); --j) chans[j] = chans[j - 1];
    chans[j] = c;
  }
}

// The distinct channels of a select, in lock order. Once `held`, the select
// holds a reference to each of its buffered channels until the LockSet goes
// (chan.cpp: Lifetime): taken before any of its operations can take effect
// while it still has locks to release or to take again. (Its unbuffered
// channels are touched only under their locks then, or pinned while it
// blocks: the Sudog pins.)
struct LockSet {
  ChanCore** chans;
  int n;
  bool held = false;
  SmallArray<ChanCore*, 8> buffered;  // the channels hold() took references to
  int n_buffered = 0;

  LockSet(ChanCore** distinct, int count) : chans(distinct), n(count), buffered(count) {}
  LockSet(const LockSet&) = delete;
  LockSet& operator=(const LockSet&) = delete;
  ~LockSet() {
    for (int i = 0; i < n_buffered; ++i) chan_release(buffered[i]);
  }
  void hold() {
    if (held) return;
    held = true;
    for (int i = 0; i < n; ++i) {
      if (!chans[i]->buffered()) continue;
      chan_retain(chans[i]);
      buffered[n_buffered++] = chans[i];
    }
  }
  void lock() {
    for (int i = 0; i < n; ++i) chans[i]->lock.lock();
  }
  void unlock() {
    for (int i = n; i-- > 0;) chans[i]->lock.unlock();
  }
};

void unlock_set(void* arg) { static_cast<LockSet*>(arg)->unlock(); }

// Complete case i if it can proceed now. With `locks` (every channel of the
// select locked, as an unbuffered channel's case requires) or without (a
// buffered channel's ring needs no lock). A buffered case is not ready while
// parties of its own direction wait: they go first (with the lock held this
// is exact, without it a hint).
enum class Attempt { not_ready, done, send_on_closed };

WaitQueue& queue_of(const SelectCaseDesc& cs) {
  return cs.is_send ? cs.core->sendq : cs.core->recvq;
}

// The ring operation of buffered case i, ignoring waiters; before_publish
// as for Ring::push / pop, with what it returned in *flagged.
template <class BeforePublish = Ring::Nothing>
Attempt try_ring(const SelectCaseDesc& cs, int i, SelectResult& result,
                 BeforePublish before_publish = {}, bool* flagged = nullptr) noexcept {
  ChanCore* c = cs.core;
  const RingResult r =
      cs.is_send ? c->ring.push(cs.elem, before_publish) : c->ring.pop(cs.elem, before_publish);
  if (flagged) *flagged = r == RingResult::done_flagged;
  if (r == RingResult::would_block) return Attempt::not_ready;
  if (r == RingResult::closed) {
    if (cs.is_send) return Attempt::send_on_closed;
    result = {i, false};
    return Attempt::done;
  }
  result = {i, !cs.is_send};
  return Attempt::done;
}

// A buffered case, then the opposite queue's first waiter served: under
// `locks` by the caller's hands (the select holds its channels from before
// its element or room becomes visible); without, as a plain fast-path
// operation does (HoldIfWaiting), waking the waiter here.
Attempt try_buffered(const SelectCaseDesc& cs, int i, LockSet* locks, SelectResult& result,
                     Sudog*& partner) noexcept {
  ChanCore* c = cs.core;
  const WaitQueue& own = queue_of(cs);
  if (locks) {
    if (!own.empty()) return Attempt::not_ready;
    const Attempt a = try_ring(cs, i, result, [locks] {
      locks->hold();
      return false;
    });
    if (a == Attempt::done && (cs.is_send || result.recv_ok))  // moved an element
      partner = complete_ring_waiter(c, cs.is_send, true);
    return a;
  }
  if (!own.empty_hint()) return Attempt::not_ready;
  bool serve = false;
  const Attempt a =
      try_ring(cs, i, result, HoldIfWaiting<>{c, cs.is_send ? &c->recvq : &c->sendq}, &serve);
  if (serve) serve_waiter_and_release(c, cs.is_send);
  return a;
}

// An unbuffered case; its channel's lock is held.
Attempt try_unbuffered(const SelectCaseDesc& cs, int i, SelectResult& result,
                       Sudog*& partner) noexcept {
  ChanCore* c = cs.core;
  if (cs.is_send) {
    if (c->is_closed()) return Attempt::send_on_closed;
    Sudog* r = c->recvq.dequeue();
    if (!r) return Attempt::not_ready;
    partner = send_to_receiver(c, r, cs.elem);
    result = {i, false};
    return Attempt::done;
  }
  if (Sudog* s = c->sendq.dequeue()) {
    partner = recv_from_sender(c, s, cs.elem);
    result = {i, true};
  } else if (c->is_closed()) {
    result = {i, false};
  } else {
    return Attempt::not_ready;
  }
  return Attempt::done;
}

Attempt try_case(const SelectCaseDesc& cs, int i, LockSet* locks, SelectResult& result,
                 Sudog*& partner) noexcept {
  if (cs.core->buffered()) return try_buffered(cs, i, locks, result, partner);
  return try_unbuffered(cs, i, result, partner);
}

// Case i alone, taking an unbuffered channel's lock for it.
Attempt try_case_alone(const SelectCaseDesc& cs, int i, SelectResult& result,
                       Sudog*& partner) noexcept {
  if (cs.core->buffered()) return try_buffered(cs, i, nullptr, result, partner);
  cs.core->lock.lock();
  const Attempt a = try_unbuffered(cs, i, result, partner);
  cs.core->lock.unlock();
  return a;
}

// Without locks: does case cs look ready (a closed channel counts: its
// receive completes, its send panics)?
[[gnu::always_inline]] inline bool looks_ready(const SelectCaseDesc& cs) noexcept {
  return (cs.is_send ? send_ready_hint(cs.core) : recv_ready_hint(cs.core)) || cs.core->is_closed();
}

}  // namespace

SelectResult chan_select(SelectCaseDesc* cases, int n, bool has_default,
                         const std::source_location& where) {
  for (;;) {
    // Poll order: the non-nil cases, shuffled (Fisher-Yates).
    SmallArray<int, 8> order(n);
    ShuffleRand rand{select_seed()};
    int active = 0;
    for (int i = 0; i < n; ++i) {
      if (!cases[i].core) continue;
      int j = int(rand.below(uint32_t(active + 1)));
      order[active] = order[j];
      order[j] = i;
      ++active;
    }
    if (active == 0) {
      if (has_default) return {-1, false};
      block_forever(n == 0 ? "select (no cases)" : "select", where);
    }

    SelectResult result{};
    Sudog* partner = nullptr;

    // Fast path: the first case in poll order that looks ready, tried alone.
    // It is chosen exactly as the locked poll below would have chosen it had
    // the hints been exact; when the hint was stale, the locked poll decides.
    for (int k = 0; k < active; ++k) {
      const SelectCaseDesc& cs = cases[order[k]];
      if (!looks_ready(cs)) continue;
      const Attempt a = try_case_alone(cs, order[k], result, partner);
      if (a == Attempt::send_on_closed) panic("send on closed channel");
      if (a == Attempt::done) {
        wake_partner(partner);
        return result;
      }
      break;
    }
    // One case and a default, and the case looked not ready (readiness read
    // before the closed flag): at that moment it could not proceed, so the
    // default is a valid outcome without taking the lock (Go's selectnbsend /
    // selectnbrecv fast path). With several cases the hints were read at
    // different moments, so the locked poll decides.
    if (has_default && active == 1 && !looks_ready(cases[order[0]])) return {-1, false};

    // Lock order: distinct channels by address.
    SmallArray<ChanCore*, 8> chans(active);
    for (int k = 0; k < active; ++k) chans[k] = cases[order[k]].core;
    sort_by_address(chans.data(), active);
    LockSet locks(chans.data(),
                  int(std::unique(chans.data(), chans.data() + active) - chans.data()));

    locks.lock();
    for (int k = 0; k < active; ++k) {
      const Attempt a = try_case(cases[order[k]], order[k], &locks, result, partner);
      if (a == Attempt::not_ready) continue;
      locks.unlock();
      if (a == Attempt::send_on_closed) panic("send on closed channel");
      wake_partner(partner);
      return result;
    }
    if (has_default) {
      locks.unlock();
      return {-1, false};
    }

    // Nothing ready: wait on every case at once. Once queued, a waker may
    // complete us and our partner return before we have re-taken the locks.
    locks.hold();
    rt::Waiter w;
    SelectState state;
    SmallArray<Sudog, 8> sudogs(active);
    // first[k]: sudogs[k] made its (buffered) queue non-empty.
    SmallArray<bool, 8> first(active);
    bool any_first = false;
    for (int k = 0; k < active; ++k) {
      const int i = order[k];
      Sudog& s = sudogs[k];
      s.waiter = &w;
      s.chan = cases[i].core;
      s.elem = cases[i].elem;
      s.sel = &state;
      s.case_index = i;
      WaitQueue& q = queue_of(cases[i]);
      chan_pin(s.chan);
      first[k] = s.chan->buffered() && q.empty();
      any_first = any_first || first[k];
      // (Constant memory orders: a run-time one compiles to seq_cst.)
      if (s.chan->buffered())
        q.push_back(&s, std::memory_order_seq_cst);
      else
        q.push_back(&s, std::memory_order_relaxed);
    }
    // A buffered channel's ring may have changed without its lock since the
    // poll: re-check the cases whose queue we made non-empty (behind other
    // waiters we wait our turn; chan.cpp: no lost wake-up). Nobody can have
    // claimed the select: we hold every lock.
    Attempt late = Attempt::not_ready;
    int late_k = -1;
    for (int k = 0; any_first && k < active && late == Attempt::not_ready; ++k) {
      if (!first[k]) continue;
      late = try_ring(cases[order[k]], order[k], result);
      late_k = k;
    }
    // Takes every Sudog out of its queue and its pin back (the locks held);
    // returns the orphaned channels this freed, to destroy once unlocked.
    SmallArray<ChanCore*, 8> orphans(active);
    auto unqueue_all = [&](const Sudog* already_dequeued) {
      int n_orphans = 0;
      for (int k = 0; k < active; ++k) {
        Sudog& s = sudogs[k];
        if (&s != already_dequeued) queue_of(cases[s.case_index]).remove(&s);
        if (chan_unpin(s.chan)) orphans[n_orphans++] = s.chan;
      }
      return n_orphans;
    };
    auto destroy_orphans = [&](int n_orphans) {
      for (int j = 0; j < n_orphans; ++j) chan_destroy(orphans[j]);
    };
    if (late != Attempt::not_ready) {
      const int n_orphans = unqueue_all(nullptr);
      // Our own Sudogs are gone, so the waiter completed here is somebody
      // else (a select may have cases in both queues of one channel).
      const SelectCaseDesc& cs = cases[order[late_k]];
      if (late == Attempt::done && (cs.is_send || result.recv_ok))
        partner = complete_ring_waiter(cs.core, cs.is_send, true);
      locks.unlock();
      destroy_orphans(n_orphans);
      if (late == Attempt::send_on_closed) panic("send on closed channel");
      wake_partner(partner);
      return result;
    }
    w.block("select", unlock_set, &locks, where);

    // Every channel is pinned (or, if buffered, held) until unqueue_all;
    // once unlocked, an unbuffered one may be gone.
    locks.lock();
    Sudog* winner = state.winner;
    const int i = winner->case_index;
    const bool winner_buffered = cases[i].core->buffered();
    const int n_orphans = unqueue_all(winner);
    locks.unlock();
    destroy_orphans(n_orphans);

    if (winner_buffered) {
      // A waker completed case i for us, or the channel was closed, or (a
      // rare race, complete_ring_waiter) the waker could not complete it:
      // try it alone, and start over if that fails.
      if (winner->success) return {i, !cases[i].is_send};
      const Attempt a = try_case(cases[i], i, nullptr, result, partner);
      if (a == Attempt::send_on_closed) panic("send on closed channel");
      if (a == Attempt::done) {
        wake_partner(partner);
        return result;
      }
      continue;
    }
    if (cases[i].is_send) {
      if (!winner->success) panic("send on closed channel");
      return {i, false};
    }
    return {i, winner->success};
  }
}

}  // namespace goro::detail
