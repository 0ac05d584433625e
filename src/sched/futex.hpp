// Futex wrappers and the two blocking primitives the runtime builds on.
//
// Owns: RuntimeMutex (a small futex mutex used for the scheduler's own data:
// never held while a goroutine switches away, except where a park's unlock
// callback releases it on the next context) and Note (a one-shot wake-up
// flag an OS thread sleeps on; Go's "note").
//
// Invariants: both are plain atomics plus futex syscalls, so they are safe
// to use from any thread and visible to TSan as ordinary atomic operations.
// Note::wakeup may run before Note::sleep; the sleeper then returns at once.
#pragma once

#include <atomic>
#include <cstdint>

namespace goro::rt {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Sleep while *word == expected, at most timeout_ns (< 0: forever).
// Returns false on timeout. Spurious returns are possible.
bool futex_wait(std::atomic<uint32_t>& word, uint32_t expected, int64_t timeout_ns = -1);
void futex_wake(std::atomic<uint32_t>& word, int count);

// A full StoreLoad barrier for the Dekker-style "publish, then check the
// other side" steps of the wake-up protocols. TSan cannot model fences (and
// gcc rejects them under -fsanitize=thread), so there it is a seq_cst
// read-modify-write on one shared word, which TSan does understand.
#if defined(__SANITIZE_THREAD__)
inline std::atomic<uint32_t> store_load_word{0};
inline void store_load_barrier() { store_load_word.fetch_add(0, std::memory_order_seq_cst); }
#else
inline void store_load_barrier() { std::atomic_thread_fence(std::memory_order_seq_cst); }
#endif

class RuntimeMutex {
 public:
  void lock() {
    uint32_t unlocked = 0;
    if (state_.compare_exchange_strong(unlocked, 1, std::memory_order_acquire)) return;
    lock_slow();
  }
  bool try_lock() {
    uint32_t unlocked = 0;
    return state_.compare_exchange_strong(unlocked, 1, std::memory_order_acquire);
  }
  void unlock() {
    if (state_.exchange(0, std::memory_order_release) == 2) futex_wake(state_, 1);
  }

 private:
  void lock_slow();
  // 0 unlocked, 1 locked, 2 locked with possible sleepers.
  std::atomic<uint32_t> state_{0};
};

class Note {
 public:
  // Sleep until wakeup() (or timeout_ns elapses; < 0 is forever).
  // Returns true when woken, false on timeout. Clears the note on success.
  bool sleep(int64_t timeout_ns = -1);
  void wakeup();
  void clear() { word_.store(0, std::memory_order_relaxed); }

 private:
  std::atomic<uint32_t> word_{0};
};

int64_t monotonic_ns();

}  // namespace goro::rt
