// ChanLock: the lock of one channel (src/chan, src/select).
//
// A futex mutex tuned for what a channel lock sees: very short critical
// sections (a few loads and stores, one element move) taken at a high rate
// by every M at once. A waiter that merely polls the lock word steals its
// cache line from the holder, turning each of the holder's accesses and its
// unlock into a cache miss; so waiters back off exponentially between polls,
// and after a bounded spin sleep on the futex.
//
// state_: 0 unlocked, 1 locked. sleepers_: how many waiters are in (or on
// their way into) the futex sleep; the unlocker wakes one when it is not 0.
// Never held across a context switch except where a park's unlock callback
// releases it on the next context.
//
// Unlock is a plain release store, not an atomic exchange: a hand-over on an
// unbuffered channel takes two locks, and on x86 each locked instruction
// costs about as much as the rest of the unlock's work (chan_lock.cpp). The
// store and the unlocker's following load of sleepers_ need a StoreLoad
// barrier against a waiter that registers as a sleeper and then checks
// state_ (Dekker). The waiter, which is about to make a system call anyway,
// pays for it: it runs membarrier(2), a barrier on every running thread of
// the process. Where the kernel refuses membarrier, unlock exchanges state_
// instead (a full barrier on the unlocker's side) and the waiter needs none.
#pragma once

#include <atomic>
#include <cstdint>

namespace goro::detail {

// Whether waiters can order every other thread's memory accesses with
// membarrier(2) (decided once, before main; chan_lock.cpp).
extern bool chan_lock_asymmetric;

class ChanLock {
 public:
  void lock() {
    uint32_t unlocked = 0;
    if (state_.compare_exchange_strong(unlocked, 1, std::memory_order_acquire)) return;
    lock_slow();
  }
  void unlock() {
    if (chan_lock_asymmetric) [[likely]] {
      state_.store(0, std::memory_order_release);
      // Keeps the compiler from hoisting the load above the store; the CPU
      // is kept from it by the sleeper's membarrier.
      std::atomic_signal_fence(std::memory_order_seq_cst);
    } else {
      state_.exchange(0, std::memory_order_seq_cst);
    }
    if (sleepers_.load(std::memory_order_seq_cst) != 0) [[unlikely]]
      wake_sleeper();
  }

 private:
  void lock_slow();
  void wake_sleeper();

  std::atomic<uint32_t> state_{0};
  std::atomic<uint32_t> sleepers_{0};
};

}  // namespace goro::detail
