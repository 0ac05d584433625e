// goro::Mutex and goro::RWMutex slow paths (Go's sync.Mutex algorithm).
//
// Mutex state word: bit 0 locked, bit 1 woken (a waiter has been woken or is
// spinning, so unlock need not wake another), bit 2 starving, and the count
// of blocked waiters above. Waiters sleep on the mutex's SyncSema; a sema
// unit is a wake-up. In normal mode a woken waiter competes with arriving
// lockers for the state word and, if it loses, re-queues at the front. In
// starvation mode unlock hands the lock to the head waiter: the locked bit
// stays clear and the woken waiter sets it (and drops the waiter count) on
// the owner's behalf.
//
// RWMutex: a Mutex serialises writers; `readers_` counts readers inside and
// drops by kMaxReaders when a writer is pending (new readers then block on
// reader_sema_); `departing_` counts the readers the pending writer still
// waits for (it sleeps on writer_sema_ until the last of them leaves).
#include <thread>

#include "goro/panic.hpp"
#include "goro/sync.hpp"
#include "sched/scheduler.hpp"
#include "sync/wait_queue.hpp"

namespace goro {

namespace {

constexpr int64_t kStarvationThresholdNs = 1'000'000;  // 1 ms, as Go
constexpr int kMaxSpinRounds = 4;
constexpr int kSpinPauses = 30;

// Spinning only pays when the lock holder can be running at the same time.
bool can_spin(int round) {
  if (round >= kMaxSpinRounds) return false;
  static const bool multi_cpu = std::thread::hardware_concurrency() > 1;
  if (!multi_cpu) return false;
  if (rt::current_g() && rt::sched().nprocs <= 1) return false;
  return true;
}

}  // namespace

void Mutex::lock_slow(const std::source_location& where) {
  int64_t wait_start = 0;
  bool starving = false;
  bool awoke = false;
  int spin_round = 0;
  int32_t old = state_.load(std::memory_order_relaxed);
  for (;;) {
    // Locked in normal mode: spin a little, announcing ourselves as woken so
    // unlock does not wake a sleeper that would only lose to us.
    if ((old & (kLocked | kStarving)) == kLocked && can_spin(spin_round)) {
      if (!awoke && (old & kWoken) == 0 && (old >> kWaiterShift) != 0 &&
          state_.compare_exchange_weak(old, old | kWoken, std::memory_order_relaxed))
        awoke = true;
      for (int i = 0; i < kSpinPauses; ++i) rt::cpu_relax();
      ++spin_round;
      old = state_.load(std::memory_order_relaxed);
      continue;
    }
    int32_t next = old;
    if ((old & kStarving) == 0) next |= kLocked;  // starving: the lock is owed to a waiter
    if ((old & (kLocked | kStarving)) != 0) next += 1 << kWaiterShift;
    if (starving && (old & kLocked) != 0) next |= kStarving;
    if (awoke) next &= ~kWoken;  // we are no longer a woken, competing waiter
    if (!state_.compare_exchange_weak(old, next, std::memory_order_acquire,
                                      std::memory_order_relaxed))
      continue;                                      // old was reloaded
    if ((old & (kLocked | kStarving)) == 0) return;  // took the lock
    // Queue up; a waiter that has waited before keeps its place at the front.
    const bool lifo = wait_start != 0;
    if (wait_start == 0) wait_start = rt::monotonic_ns();
    sema_.acquire(lifo, "sync.Mutex.Lock", where);
    starving = starving || rt::monotonic_ns() - wait_start > kStarvationThresholdNs;
    old = state_.load(std::memory_order_relaxed);
    if (old & kStarving) {
      // Handed to us: take it and leave the waiter count.
      int32_t delta = kLocked - (1 << kWaiterShift);
      if (!starving || (old >> kWaiterShift) == 1) delta -= kStarving;  // back to normal
      state_.fetch_add(delta, std::memory_order_acquire);
      return;
    }
    awoke = true;
    spin_round = 0;
  }
}

void Mutex::unlock_slow(int32_t now) {
  if (((now + kLocked) & kLocked) == 0) {
    state_.fetch_add(kLocked, std::memory_order_relaxed);  // undo
    panic("sync: unlock of unlocked mutex");
  }
  if (now & kStarving) {
    // Hand off: the head waiter owns the lock once it runs.
    sema_.release(1);
    return;
  }
  int32_t old = now;
  for (;;) {
    // Nobody to wake, or someone already locked it, woke or spins, or the
    // mutex became starving (then the lock is not ours to pass on).
    if ((old >> kWaiterShift) == 0 || (old & (kLocked | kWoken | kStarving)) != 0) return;
    const int32_t next = (old - (1 << kWaiterShift)) | kWoken;
    if (state_.compare_exchange_weak(old, next, std::memory_order_release,
                                     std::memory_order_relaxed)) {
      sema_.release(1);
      return;
    }
  }
}

void RWMutex::lock(std::source_location where) {
  writer_.lock(where);  // excludes other writers
  // Announce the pending writer; new readers now block.
  const int32_t inside = readers_.fetch_sub(kMaxReaders, std::memory_order_acq_rel);
  if (inside != 0 && departing_.fetch_add(inside, std::memory_order_acq_rel) + inside != 0)
    writer_sema_.acquire(false, "sync.RWMutex.Lock", where);
}

bool RWMutex::try_lock() {
  if (!writer_.try_lock()) return false;
  int32_t none = 0;
  if (!readers_.compare_exchange_strong(none, -kMaxReaders, std::memory_order_acquire,
                                        std::memory_order_relaxed)) {
    writer_.unlock();
    return false;
  }
  return true;
}

void RWMutex::unlock() {
  const int32_t blocked = readers_.fetch_add(kMaxReaders, std::memory_order_release) + kMaxReaders;
  if (blocked >= kMaxReaders) {
    readers_.fetch_sub(kMaxReaders, std::memory_order_relaxed);  // undo
    panic("sync: Unlock of unlocked RWMutex");
  }
  if (blocked > 0) reader_sema_.release(uint32_t(blocked));  // let the blocked readers in
  writer_.unlock();
}

void RWMutex::rlock_slow(const std::source_location& where) {
  // A writer is pending or inside; it releases us when it unlocks.
  reader_sema_.acquire(false, "sync.RWMutex.RLock", where);
}

void RWMutex::runlock_slow(int32_t r) {
  if (r + 1 == 0 || r + 1 == -kMaxReaders) {
    readers_.fetch_add(1, std::memory_order_relaxed);  // undo
    panic("sync: RUnlock of unlocked RWMutex");
  }
  // A writer is pending: the last departing reader lets it in.
  if (departing_.fetch_sub(1, std::memory_order_acq_rel) - 1 == 0) writer_sema_.release(1);
}

}  // namespace goro
