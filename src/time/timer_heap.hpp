// Per-P timer heaps: the runtime's single mechanism for anything that must
// happen at a point in time (sleep, Timer, Ticker, after_func, deadlines).
//
// Owns: TimerEntry placement in the 4-ary min-heap of one P, the P's
// `next_when` summary that the scheduler reads without the lock (idle Ms and
// timers: time/timer_sleeper.hpp, which timer_start notifies of a new
// earliest timer).
//
// Invariants: an entry is in at most one heap; `entry->index >= 0` exactly
// while it is queued, and then `entry->owner` names the heap's P. Each heap
// is protected by its own RuntimeMutex; `fire` callbacks run with no timer
// lock held, on an M that holds a P (so they may ready goroutines). A
// periodic entry is re-queued before its callback runs. Lock order: a timer
// lock may be taken before Sched::lock, never after it.
//
// Lifetime: `firing` counts callbacks dequeued but not yet returned; the
// runner's decrement after `fire` returns is its last touch of the entry, so
// timer_stop_and_wait() followed by freeing the entry is safe. `seq` is
// snapshotted at dequeue and passed to `fire`, so an owner that re-arms an
// entry (bumping seq) can recognise a callback of an earlier arming.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "sched/futex.hpp"

namespace goro::rt {

struct P;

struct TimerEntry {
  int64_t when = 0;    // monotonic ns
  int64_t period = 0;  // 0 for one-shot
  // Runs with no timer lock held; `when` is the time it was due, `seq` the
  // entry's seq when it was dequeued.
  void (*fire)(TimerEntry* self, int64_t when, uint64_t seq) = nullptr;
  void* arg = nullptr;
  uint64_t seq = 0;  // set by the owner before timer_start; read under the heap lock
  std::atomic<P*> owner{nullptr};
  std::atomic<int32_t> firing{0};  // callbacks dequeued and not yet returned
  int32_t index = -1;              // heap position while queued; guarded by owner's lock
};

// One heap slot: the entry and a copy of its `when`, so that sifting compares
// keys in the slot array instead of loading each entry (entries live on
// goroutine stacks and in timer states all over memory: with 100 000 queued
// timers, every comparison through the pointer was a cache miss).
struct TimerSlot {
  int64_t when;
  TimerEntry* entry;
};

struct TimerHeap {
  RuntimeMutex lock;
  std::vector<TimerSlot> heap;  // slot.when == slot.entry->when while queued
  // Read by every M at every scheduling pass: on its own cache line, away from
  // the lock and the vector the owner writes.
  alignas(64) std::atomic<int64_t> next_when{INT64_MAX};
};

constexpr int64_t no_timer = INT64_MAX;

// Queue `t` to fire at t->when (on the current M's P, or any P from a plain
// thread). `t` must not be queued already.
void timer_start(TimerEntry* t);
// Remove `t` if it is queued. Returns true when it was (it will not fire).
// False means it already left the heap to fire: its callback may still be
// running or about to run, so the owner must not free `t` until the callback
// has signalled that it finished (Timer/Ticker build that protocol).
bool timer_stop(TimerEntry* t);
// Wait until no callback of `t` is running. Needed before freeing or
// reusing the memory of an entry whose callback wakes the freeing party
// (e.g. a sleeper's entry on its own stack): the wake-up can run before the
// runner's last touch. Never call it from t's own callback, nor while holding
// a lock that callback takes.
void timer_wait_idle(TimerEntry* t);
// timer_stop, then timer_wait_idle. Afterwards `t` may be freed (if nothing
// starts it again).
bool timer_stop_and_wait(TimerEntry* t);

// Scheduler hooks.
// Runs the due timers of p. With `unless_busy`, returns at once if another
// M holds p's timer lock (it is adding or running timers there itself).
void timers_run_due(P* p, int64_t now, bool unless_busy = false);
int64_t timers_next_when(P* p);  // racy summary, no lock
int64_t timers_earliest();       // min over all Ps
bool timers_pending(P* p);

// A coarse monotonic clock that sysmon refreshes (for bookkeeping such as
// how long a goroutine has waited; read at every park, so inline); 0 until
// sysmon's first refresh, when a real clock read stands in.
extern std::atomic<int64_t> coarse_now;
inline int64_t coarse_now_ns() {
  int64_t now = coarse_now.load(std::memory_order_relaxed);
  return now ? now : monotonic_ns();
}
void refresh_coarse_now();

}  // namespace goro::rt
