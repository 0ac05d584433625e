// Futex system calls, RuntimeMutex's slow path and Note. See futex.hpp.
#include "sched/futex.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace goro::rt {

bool futex_wait(std::atomic<uint32_t>& word, uint32_t expected, int64_t timeout_ns) {
  timespec ts{};
  timespec* tsp = nullptr;
  if (timeout_ns >= 0) {
    ts.tv_sec = timeout_ns / 1'000'000'000;
    ts.tv_nsec = timeout_ns % 1'000'000'000;
    tsp = &ts;
  }
  int saved = errno;
  long r = syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, tsp,
                   nullptr, 0);
  bool timed_out = r == -1 && errno == ETIMEDOUT;
  errno = saved;
  return !timed_out;
}

void futex_wake(std::atomic<uint32_t>& word, int count) {
  int saved = errno;
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, count, nullptr,
          nullptr, 0);
  errno = saved;
}

void RuntimeMutex::lock_slow() {
  for (int spin = 0; spin < 100; ++spin) {
    uint32_t unlocked = 0;
    if (state_.load(std::memory_order_relaxed) == 0 &&
        state_.compare_exchange_weak(unlocked, 1, std::memory_order_acquire))
      return;
    cpu_relax();
  }
  while (state_.exchange(2, std::memory_order_acquire) != 0) futex_wait(state_, 2);
}

bool Note::sleep(int64_t timeout_ns) {
  int64_t deadline = timeout_ns < 0 ? -1 : monotonic_ns() + timeout_ns;
  while (word_.load(std::memory_order_acquire) == 0) {
    int64_t left = -1;
    if (deadline >= 0) {
      left = deadline - monotonic_ns();
      if (left <= 0) return false;
    }
    futex_wait(word_, 0, left);
  }
  word_.store(0, std::memory_order_relaxed);
  return true;
}

void Note::wakeup() {
  word_.store(1, std::memory_order_release);
  futex_wake(word_, 1);
}

int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace goro::rt
