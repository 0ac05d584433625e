// goro::Semaphore — a weighted semaphore (Go's golang.org/x/sync/semaphore).
//
// Works from goroutines and plain OS threads, and from both at once. All
// member functions are safe to call concurrently. Not copyable or movable;
// must not be destroyed while a party is blocked in acquire().
#pragma once

#include <cstdint>
#include <source_location>

#include "goro/sync.hpp"

namespace goro {

// A semaphore with a fixed capacity (its size) from which parties take and
// give back weights. Waiters are served strictly in arrival order: a large
// request at the head of the queue blocks smaller requests that arrive after
// it, even when those would fit, so large requests are not starved.
class Semaphore {
 public:
  // A semaphore of size n (the combined weight that may be held at once).
  explicit Semaphore(int64_t n) : size_(n) {}
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Take weight n, blocking until it is available and every earlier waiter
  // has been served. A request larger than the size can never be satisfied:
  // like x/sync's Acquire with a context that is never done, it blocks
  // forever (without holding up the other waiters).
  void acquire(int64_t n, std::source_location where = std::source_location::current());

  // Take weight n if it is available now and nobody is waiting; never
  // blocks. Returns whether it was taken.
  bool try_acquire(int64_t n);

  // Give back weight n, waking the waiters at the head of the queue whose
  // requests now fit. Never blocks. Throws goro::Panic
  // "semaphore: released more than held" (changing nothing) if more weight
  // would be released than is held.
  void release(int64_t n);

 private:
  int64_t size_;
  int64_t cur_ = 0;  // weight held; under queue_.lock
  detail::SyncWaitQueue queue_;
};

}  // namespace goro
