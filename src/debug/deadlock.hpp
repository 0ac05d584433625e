// Deadlock detection: "fatal error: all goroutines are asleep - deadlock!"
//
// Owns: the counters that say how many parties are blocked in Waiters, the
// count of blocking() calls in flight, and sysmon's periodic check.
//
// The check declares a deadlock only when, on three consecutive sysmon
// checks with no wake-up in between (the wake epoch unchanged): every P is
// idle and no run queue holds work; every live goroutine is blocked in a
// Waiter (channel, select, sync); no timer is pending (a sleeper or deadline
// could wake someone); nobody is parked on an fd in the network poller; no
// blocking() call is in flight; and every thread of the
// process is either a runtime thread or a plain thread blocked in a Waiter
// (any other thread might still wake someone). Threads that already existed
// before static constructors ran, or (TSan) appeared while the runtime
// started its first thread, are the sanitizer runtime's and are ignored.
//
// Counting without a shared hot cache line: goroutine blocks and wake-ups are
// monotonic counts kept per P (P::waiter_blocks / waiter_wakes, written by
// the P's owner with plain stores inside a RuntimeSection, so the hand-off
// signal cannot move the P meanwhile) plus global atomics for parties
// without a P. Blocked goroutines = all blocks - all goroutine wake-ups; the
// epoch = all wake-ups (goroutines and threads). A sum of monotonic counters
// read one by one is not a snapshot, so the check reads, in this order: the
// epoch, the blocks, the number of goroutines, then the rest. Equal epochs
// at the first and third check mean no wake-up happened anywhere during the
// second; then its wake-up sum was exact, its block sum can only have missed
// late blocks (an undercount), and every goroutine counted as blocked was
// still alive when the goroutine count was read. So "blocked == live" at the
// second check means every live goroutine was really blocked, and with no
// wake-up since, still is: no false deadlock. A real deadlock stops every
// counter, so the readings become exact and it is reported.
#pragma once

#include <sys/types.h>
#include <atomic>
#include <cstdint>
#include <vector>

#include "sched/scheduler.hpp"

namespace goro::rt {

struct DeadlockCounters {
  // Events of parties that hold no P (a plain thread, or a goroutine whose P
  // the hand-off signal took); monotonic.
  std::atomic<uint64_t> goroutine_blocks{0};
  std::atomic<uint64_t> goroutine_wakes{0};
  std::atomic<uint64_t> thread_wakes{0};
  std::atomic<int64_t> threads_waiting{0};
  std::atomic<int64_t> blocking_calls{0};
};

DeadlockCounters& deadlock_counters();

// A goroutine starts blocking in a Waiter / a blocked goroutine is woken.
// p: the caller's P (null: none); the caller is inside a RuntimeSection, so
// p stays its own. Only p's owner writes p's counts (release: sysmon's
// acquire then also sees what happened before, such as the spawn that
// counted the goroutine).
inline void count_goroutine_block(P* p) {
  if (!p) [[unlikely]] {
    deadlock_counters().goroutine_blocks.fetch_add(1);
    return;
  }
  bump_owned_count(p->waiter_blocks);
}
inline void count_goroutine_wake(P* p) {
  if (!p) [[unlikely]] {
    deadlock_counters().goroutine_wakes.fetch_add(1);
    return;
  }
  bump_owned_count(p->waiter_wakes);
}

// Thread ids of the process now.
std::vector<pid_t> current_threads();
// After the runtime's first thread (runtime_thread) started: under TSan,
// threads that appeared meanwhile are the sanitizer's own; ignore them.
void note_sanitizer_threads(const std::vector<pid_t>& before, pid_t runtime_thread);

// Called by sysmon on every tick; ends the program on a deadlock.
void check_deadlock();

}  // namespace goro::rt
