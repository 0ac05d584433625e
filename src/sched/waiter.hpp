// Waiter: the one interface through which channels, select and the sync
// primitives block and wake a party, whether it is a goroutine (parked on
// the scheduler) or a plain OS thread (sleeping on a futex).
//
// Usage, with the wait queue's lock held:
//   Waiter w;                      // captures the calling goroutine/thread
//   queue.push(&w);
//   w.block("chan receive", unlock_queue, &lock, where);  // lock released
//   ... later, another party: remove w from the queue, release the lock,
//   then w.wake();
//
// Invariants: block() releases the caller's lock only once the party can no
// longer miss wake() (a goroutine: after it is switched out; a thread:
// before it sleeps on its note, whose wake-up cannot be lost). wake() is
// called exactly once per block(), after the waker has finished touching
// anything the woken party owns. Do not ready a goroutine while holding a
// channel lock (Go's rule): wake after unlocking.
//
// Deadlock bookkeeping: a blocked waiter is counted (goroutines and plain
// threads separately) from the start of block() until the waker calls
// wake() (per P, see deadlock.hpp); plain threads are also listed, with where
// they block, for the goroutine dump. Every wake() advances the wake epoch.
#pragma once

#include <atomic>

#include <sys/types.h>
#include <source_location>
#include <vector>

#include "debug/deadlock.hpp"
#include "sched/futex.hpp"
#include "sched/park.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

class Waiter {
 public:
  Waiter() : g_(current_g()) {}
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;

  bool is_goroutine() const { return g_ != nullptr; }
  // The blocked goroutine (null: a plain thread).
  G* goroutine() const { return g_; }

  struct BlockedThread;  // a plain thread's sleeping state (waiter.cpp)

  // Block until wake(). unlock(arg) releases the lock that protects the
  // queue this waiter is in. (Inline: the goroutine paths are the channel
  // hot path.)
  void block(const char* reason, void (*unlock)(void* arg), void* arg,
             std::source_location where = std::source_location::current()) {
    if (!g_) [[unlikely]] {
      block_thread(reason, unlock, arg, where);
      return;
    }
    RuntimeSection section;
    M* m = section.m();
    count_goroutine_block(m->p);
    park_in_section(m, reason, unlock, arg, where);
  }
  // behind: g goes behind the runnable goroutines instead of running next
  // (ready_handoff); for a select woken by a hand-over.
  void wake(bool behind = false) {
    if (!g_) [[unlikely]] {
      wake_thread();
      return;
    }
    RuntimeSection section;
    M* m = section.m();
    count_goroutine_wake(m ? m->p : nullptr);
    ready_handoff(m, g_, behind);
  }

 private:
  friend void dump_blocked_threads(int fd);
  friend void blocked_thread_tids(std::vector<pid_t>& out);

  void block_thread(const char* reason, void (*unlock)(void* arg), void* arg,
                    std::source_location where);
  void wake_thread();

  // A Waiter is a goroutine's (small: it sits in the frame a woken
  // goroutine's stack resumes in) or a plain thread's, whose sleeping state
  // lives in block_thread's frame while it blocks.
  G* g_;
  // Plain threads: set in block_thread before the caller's lock is released,
  // so before any wake().
  BlockedThread* thread_ = nullptr;
};

// Print every plain thread blocked in a Waiter (main as goroutine 1).
void dump_blocked_threads(int fd);
// Thread ids of the plain threads blocked in Waiters right now.
void blocked_thread_tids(std::vector<pid_t>& out);

}  // namespace goro::rt
