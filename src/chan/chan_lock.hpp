// ChanLock: the lock of one channel (src/chan, src/select).
//
// A futex mutex like rt::RuntimeMutex, tuned for what a channel lock sees:
// very short critical sections (a few loads and stores, one element move)
// taken at a high rate by every M at once. A waiter that merely polls the
// lock word steals its cache line from the holder, turning each of the
// holder's accesses and its unlock into a cache miss; so waiters back off
// exponentially between polls, and after a bounded spin sleep on the futex.
//
// States: 0 unlocked, 1 locked, 2 locked with possible sleepers (the
// unlocker then wakes one). Never held across a context switch except where
// a park's unlock callback releases it on the next context.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/futex.hpp"

namespace goro::detail {

class ChanLock {
 public:
  void lock() {
    uint32_t unlocked = 0;
    if (state_.compare_exchange_strong(unlocked, 1, std::memory_order_acquire)) return;
    lock_slow();
  }
  void unlock() {
    if (state_.exchange(0, std::memory_order_release) == 2) rt::futex_wake(state_, 1);
  }

 private:
  void lock_slow() {
    // Spin: 4+8+...+256 pauses between polls, about 500 in all (a pause is
    // some 10-40 ns), then sleep.
    for (int pauses = 4; pauses <= 256; pauses *= 2) {
      for (int i = 0; i < pauses; ++i) rt::cpu_relax();
      uint32_t unlocked = 0;
      if (state_.load(std::memory_order_relaxed) == 0 &&
          state_.compare_exchange_weak(unlocked, 1, std::memory_order_acquire))
        return;
    }
    while (state_.exchange(2, std::memory_order_acquire) != 0) rt::futex_wait(state_, 2);
  }

  std::atomic<uint32_t> state_{0};
};

}  // namespace goro::detail
