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
#pragma once

#include <source_location>

#include "sched/futex.hpp"

namespace goro::rt {

struct G;

class Waiter {
 public:
  Waiter();
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;

  bool is_goroutine() const { return g_ != nullptr; }

  // Block until wake(). unlock(arg) releases the lock that protects the
  // queue this waiter is in.
  void block(const char* reason, void (*unlock)(void* arg), void* arg,
             std::source_location where = std::source_location::current());
  void wake();

 private:
  G* g_;
  Note note_;
  void (*unlock_)(void*) = nullptr;
  void* unlock_arg_ = nullptr;
};

}  // namespace goro::rt
