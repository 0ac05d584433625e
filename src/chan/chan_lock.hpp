// ChanLock: the lock of one channel (src/chan, src/select).
//
// A futex mutex tuned for what a channel lock sees: very short critical
// sections (a few loads and stores, one element move) taken at a high rate
// by every M at once. A waiter that merely polls the lock word steals its
// cache line from the holder, turning each of the holder's accesses and its
// unlock into a cache miss; so waiters back off exponentially between polls,
// and after a bounded spin sleep on the futex.
//
// state_: 0 unlocked, 1 locked. Never held across a context switch except
// where a park's unlock callback releases it on the next context.
//
// Unlock is a plain release store, not an atomic exchange: a hand-over on an
// unbuffered channel takes two locks, and on x86 each locked instruction
// costs about as much as the rest of the unlock's work (bench/NOTES.md).
// Sleeping waiters are counted outside the lock, in a static table of
// buckets by lock address (chan_lock_sleepers): the unlocker reads its
// bucket after the store that releases the lock, when the channel may
// already be freed (chan.cpp: Lifetime), and wakes the futex if the count
// is not 0 (a wake on a freed address is at worst spurious). The store and
// that load need a StoreLoad barrier against a waiter that registers and
// then checks state_ (Dekker). The waiter, about to make a system call
// anyway, pays for it: it runs membarrier(2), a barrier on every running
// thread of the process (chan_lock.cpp). Where the kernel refuses
// membarrier, unlock exchanges state_ instead (a full barrier on the
// unlocker's side) and the waiter needs none.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace goro::detail {

// Whether waiters can order every other thread's memory accesses with
// membarrier(2) (decided once, before main; chan_lock.cpp).
extern bool chan_lock_asymmetric;

// Waiters asleep on (or on their way to) the futex of some ChanLock, by
// bucket of lock addresses (ChanLock::sleepers).
inline constexpr std::size_t chan_lock_sleeper_buckets = 64;
extern std::atomic<uint32_t> chan_lock_sleepers[chan_lock_sleeper_buckets];

class ChanLock {
 public:
  bool try_lock() {
    uint32_t unlocked = 0;
    return state_.compare_exchange_strong(unlocked, 1, std::memory_order_acquire);
  }
  void lock() {
    if (!try_lock()) [[unlikely]]
      lock_slow();
  }
  void unlock() {
    if (release()) [[unlikely]]
      wake_sleeper_after_release();
  }
  // unlock() in two steps, for a caller with work to do in between that
  // must not need a stack frame (chan.cpp's hand-over fast path): releases
  // the lock and returns whether a sleeper must be woken, which the caller
  // then does with wake_sleeper_after_release(). From the release on the
  // channel may be freed: the second step uses only the lock's address.
  [[nodiscard]] bool release() {
    if (chan_lock_asymmetric) [[likely]] {
      state_.store(0, std::memory_order_release);
      // Keeps the compiler from hoisting the load above the store; the CPU
      // is kept from it by the sleeper's membarrier.
      std::atomic_signal_fence(std::memory_order_seq_cst);
    } else {
      state_.exchange(0, std::memory_order_seq_cst);
    }
    return sleepers().load(std::memory_order_seq_cst) != 0;
  }
  void wake_sleeper_after_release() { wake_sleeper(&state_); }

 private:
  void lock_slow();
  static void wake_sleeper(std::atomic<uint32_t>* state);
  // Channels are 64-byte aligned: one channel, one bucket.
  std::atomic<uint32_t>& sleepers() const {
    return chan_lock_sleepers[(reinterpret_cast<std::uintptr_t>(this) >> 6) %
                              chan_lock_sleeper_buckets];
  }

  std::atomic<uint32_t> state_{0};
};

}  // namespace goro::detail
