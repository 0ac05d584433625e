// Go's sync package: WaitGroup, Mutex, RWMutex, Once and Cond.
//
// Every type here works from goroutines and from plain OS threads, and from
// both at once on the same object: a goroutine that has to wait is parked
// (its processor runs other goroutines); a plain thread sleeps on a futex.
// All member functions are safe to call concurrently from any number of
// goroutines and threads, unless a comment says otherwise. None of the types
// may be copied or moved, and none may be destroyed while a party is blocked
// on it (as in Go, where copying a used sync value is a bug).
//
// Misuse that Go reports as a panic (unlocking an unlocked mutex, a negative
// WaitGroup counter) throws goro::Panic with Go's message. The object is left
// as it was before the offending call, except after WaitGroup's checks for an
// add racing with wait (its state is inconsistent by then, as in Go).
//
// Fast paths are inline atomic operations; only contention reaches the
// runtime (src/sync/).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <source_location>
#include <utility>

namespace goro {

namespace detail {

struct SyncWaitNode;  // lives on a blocked party's stack (src/sync/)
struct MutexProbe;    // white-box access for goro's own tests; not an API

// A FIFO of blocked parties guarded by a small futex lock. Used only by the
// out-of-line slow paths.
struct SyncWaitQueue {
  std::atomic<uint32_t> lock{0};  // 0 free, 1 held, 2 held with sleepers
  SyncWaitNode* head = nullptr;
  SyncWaitNode* tail = nullptr;
};

// A counting semaphore (Go's runtime sema): acquire takes one unit, blocking
// while there is none; release adds units, handing each one directly to the
// longest waiter. Internal building block of the types below.
class SyncSema {
 public:
  SyncSema() = default;
  SyncSema(const SyncSema&) = delete;
  SyncSema& operator=(const SyncSema&) = delete;

  // lifo: queue at the front instead of the back (a woken Mutex waiter that
  // lost the race for the lock keeps its place).
  void acquire(bool lifo, const char* reason, const std::source_location& where);
  void release(uint32_t n);

 private:
  SyncWaitQueue queue_;
  uint32_t count_ = 0;  // under queue_.lock
};

}  // namespace detail

// WaitGroup waits for a collection of goroutines (or threads) to finish
// (Go's sync.WaitGroup). The main party calls add(n) for the n workers; each
// calls done() when it finishes; wait() blocks until all have.
//
// A WaitGroup may be reused once every wait() of the previous round has
// returned.
class WaitGroup {
 public:
  WaitGroup() = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  // Add delta (may be negative) to the counter. When it reaches zero, every
  // party blocked in wait() is released. Never blocks. Throws goro::Panic
  // "sync: negative WaitGroup counter" (leaving the counter unchanged) if the
  // counter would go below zero. As in Go, calls with a positive delta that
  // start from zero must happen before the wait() they are meant for; an add
  // detected racing with wait() throws "sync: WaitGroup misuse: Add called
  // concurrently with Wait".
  void add(int delta) {
    const uint64_t d = uint64_t(int64_t(delta)) << 32;
    const uint64_t s = state_.fetch_add(d, std::memory_order_acq_rel) + d;
    const auto v = int32_t(uint32_t(s >> 32));
    const auto w = uint32_t(s);
    if ((v > 0 && (w == 0 || v != delta)) || (v == 0 && w == 0)) return;
    add_slow(delta, s);
  }

  // Decrement the counter by one (add(-1)). Never blocks.
  void done() { add(-1); }

  // Block until the counter is zero. Returns at once if it already is.
  // Throws "sync: WaitGroup is reused before previous Wait has returned" if
  // a new round was started (add) before this wait had returned.
  void wait(std::source_location where = std::source_location::current());

 private:
  void add_slow(int delta, uint64_t state);

  // High 32 bits: the counter; low 32 bits: number of waiters.
  std::atomic<uint64_t> state_{0};
  detail::SyncSema sema_;
};

// Mutex is a mutual exclusion lock (Go's sync.Mutex). It is not tied to the
// party that locked it: one goroutine (or thread) may lock it and another
// unlock it. Satisfies Lockable, so std::lock_guard and std::unique_lock work.
//
// Fairness, as in Go: contended waiters queue FIFO; a woken waiter competes
// with newly arriving lockers (who usually win, which is fast). A waiter that
// has waited more than 1 ms switches the mutex to starvation mode, in which
// unlock hands ownership straight to the waiter at the head of the queue and
// new arrivals queue behind it. Normal mode resumes when the new owner is the
// last waiter or waited less than 1 ms.
class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // Lock the mutex, blocking until it is available. On a multi-processor it
  // first spins briefly. A party that locks a mutex it already holds
  // deadlocks (the mutex is not recursive).
  void lock(std::source_location where = std::source_location::current()) {
    int32_t unlocked = 0;
    if (state_.compare_exchange_strong(unlocked, kLocked, std::memory_order_acquire,
                                       std::memory_order_relaxed))
      return;
    lock_slow(where);
  }

  // Lock the mutex if it is free and no waiter is owed it; never blocks.
  // Returns whether it was locked.
  bool try_lock() {
    int32_t old = state_.load(std::memory_order_relaxed);
    if (old & (kLocked | kStarving)) return false;
    return state_.compare_exchange_strong(old, old | kLocked, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }

  // Unlock the mutex, waking a waiter if there is one. Never blocks.
  // Throws goro::Panic "sync: unlock of unlocked mutex" if it is not locked.
  void unlock() {
    const int32_t now = state_.fetch_sub(kLocked, std::memory_order_release) - kLocked;
    if (now != 0) unlock_slow(now);
  }

 private:
  friend class RWMutex;
  friend struct detail::MutexProbe;
  static constexpr int32_t kLocked = 1;
  static constexpr int32_t kWoken = 2;     // a waiter is awake and competing
  static constexpr int32_t kStarving = 4;  // starvation mode: hand-off
  static constexpr int kWaiterShift = 3;   // the rest counts blocked waiters

  void lock_slow(const std::source_location& where);
  void unlock_slow(int32_t now);

  std::atomic<int32_t> state_{0};
  detail::SyncSema sema_;
};

// RWMutex is a reader/writer mutual exclusion lock (Go's sync.RWMutex): any
// number of readers or a single writer. A writer that is waiting for the
// lock blocks new readers, so a steady stream of readers cannot starve it.
// Like Mutex it is not tied to a goroutine or thread. A reader must not take
// a second read lock while it holds one (a waiting writer would deadlock
// both). Provides lock_shared/unlock_shared/try_lock_shared, so
// std::shared_lock works, and lock/unlock/try_lock for std::unique_lock.
class RWMutex {
 public:
  RWMutex() = default;
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;

  // Lock for writing: blocks until no reader or writer holds the lock.
  void lock(std::source_location where = std::source_location::current());
  // Lock for writing if that is possible without blocking; never blocks.
  bool try_lock();
  // Release the write lock, letting blocked readers (then writers) in. Never
  // blocks. Throws goro::Panic "sync: Unlock of unlocked RWMutex".
  void unlock();

  // Lock for reading: blocks while a writer holds or is waiting for the lock.
  void rlock(std::source_location where = std::source_location::current()) {
    if (readers_.fetch_add(1, std::memory_order_acquire) + 1 < 0) rlock_slow(where);
  }
  // Lock for reading if that is possible without blocking; never blocks.
  bool try_rlock() {
    int32_t c = readers_.load(std::memory_order_relaxed);
    while (c >= 0) {
      if (readers_.compare_exchange_weak(c, c + 1, std::memory_order_acquire,
                                         std::memory_order_relaxed))
        return true;
    }
    return false;
  }
  // Release one read lock. Never blocks. Throws goro::Panic
  // "sync: RUnlock of unlocked RWMutex" if no read lock is held.
  void runlock() {
    const int32_t r = readers_.fetch_sub(1, std::memory_order_release) - 1;
    if (r < 0) runlock_slow(r);
  }

  void lock_shared(std::source_location where = std::source_location::current()) { rlock(where); }
  bool try_lock_shared() { return try_rlock(); }
  void unlock_shared() { runlock(); }

 private:
  static constexpr int32_t kMaxReaders = int32_t(1) << 30;

  void rlock_slow(const std::source_location& where);
  void runlock_slow(int32_t r);

  Mutex writer_;                       // held by a writer (and a pending one)
  std::atomic<int32_t> readers_{0};    // readers inside; -kMaxReaders if a writer is pending
  std::atomic<int32_t> departing_{0};  // readers a pending writer still waits for
  detail::SyncSema writer_sema_;       // the pending writer waits here
  detail::SyncSema reader_sema_;       // readers wait here for the writer
};

// Once performs an action exactly once (Go's sync.Once).
class Once {
 public:
  Once() = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  // Call f() if no call on this Once has called it before. Concurrent
  // callers block until that first f() has returned, so when call returns,
  // f has finished. If f throws, the Once still counts as done (Go's
  // behaviour when f panics) and the exception propagates to the caller that
  // ran f; later calls do nothing. f must not call this Once's call
  // (deadlock). Blocks only while another party runs f.
  template <class F>
  void call(F&& f, std::source_location where = std::source_location::current()) {
    if (done_.load(std::memory_order_acquire) != 0) return;
    call_slow(std::forward<F>(f), where);
  }

  // Whether f has run (or is finished running, having thrown).
  bool done() const { return done_.load(std::memory_order_acquire) != 0; }

 private:
  template <class F>
  void call_slow(F&& f, const std::source_location& where) {
    mutex_.lock(where);
    std::lock_guard<Mutex> guard(mutex_, std::adopt_lock);
    if (done_.load(std::memory_order_relaxed) != 0) return;
    struct MarkDone {
      std::atomic<uint32_t>& done;
      ~MarkDone() { done.store(1, std::memory_order_release); }
    } mark{done_};
    std::forward<F>(f)();
  }

  std::atomic<uint32_t> done_{0};
  Mutex mutex_;
};

// Cond is a condition variable (Go's sync.Cond) tied to a Mutex, which the
// caller holds around checking the condition and calling wait().
//
//   mu.lock();
//   while (!condition()) cond.wait();
//   ... use condition ...
//   mu.unlock();
class Cond {
 public:
  explicit Cond(Mutex& mutex) : mutex_(mutex) {}
  Cond(const Cond&) = delete;
  Cond& operator=(const Cond&) = delete;

  // The mutex given at construction.
  Mutex& mutex() const { return mutex_; }

  // Atomically unlock the mutex and block until woken by signal() or
  // broadcast() (a call that happens after wait() has queued), then lock
  // the mutex again before returning. The caller must hold the mutex. As in
  // Go, a return does not mean the condition holds: check it in a loop.
  void wait(std::source_location where = std::source_location::current());

  // Wake the longest-waiting party blocked in wait(), if any. The caller may
  // but need not hold the mutex. Never blocks.
  void signal();

  // Wake every party blocked in wait(). Never blocks.
  void broadcast();

 private:
  Mutex& mutex_;
  detail::SyncWaitQueue queue_;
};

}  // namespace goro
