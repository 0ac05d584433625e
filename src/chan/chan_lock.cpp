// ChanLock's slow paths and the membarrier(2) set-up (see chan_lock.hpp).
//
// Why no wake-up is lost with a plain-store unlock. A waiter W that is
// going to sleep first increments its lock's sleeper bucket, then runs membarrier, then
// tries the lock once more and sleeps on the futex only while state_ is 1
// (the kernel compares atomically). membarrier returns only after every
// thread of the process that was running has executed a full barrier (one
// that was not running passed one when it was switched out). Take any
// unlocker U, with its store of 0 and then its load of the bucket:
// - if U's barrier came before its load, the load sees W's increment
//   (made before the membarrier began), and U wakes a sleeper;
// - else U's store, before the load, was visible to all before membarrier
//   returned, so W's retry or its futex compare sees 0 (or a later holder,
//   whose own unlock is in the first case) and W does not sleep through it.
// W stays counted until it owns the lock, so one membarrier covers all its
// sleeps; an unlocker that wakes nobody useful (another lock in the same
// bucket has the sleeper) costs a spurious futex_wake.
// Without membarrier, unlock's exchange and the waiter's increment are both
// seq_cst read-modify-writes: one of the two sees the other.
#include "chan/chan_lock.hpp"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sched/futex.hpp"

namespace goro::detail {

namespace {

long membarrier(int command) { return syscall(SYS_membarrier, command, 0, 0); }

bool register_membarrier() {
  const long supported = membarrier(MEMBARRIER_CMD_QUERY);
  if (supported < 0 || !(supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) return false;
  return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

}  // namespace

bool chan_lock_asymmetric = false;
std::atomic<uint32_t> chan_lock_sleepers[chan_lock_sleeper_buckets];

// Before any static constructor that could start a thread (the runtime
// starts lazily), so no lock is in use when the protocol is chosen.
__attribute__((constructor(101))) void choose_chan_lock_protocol() {
  chan_lock_asymmetric = register_membarrier();
}

void ChanLock::lock_slow() {
  // Spin: 4+8+...+256 pauses between polls, about 500 in all (a pause is
  // some 10-40 ns), then sleep.
  for (int pauses = 4; pauses <= 256; pauses *= 2) {
    for (int i = 0; i < pauses; ++i) rt::cpu_relax();
    uint32_t unlocked = 0;
    if (state_.load(std::memory_order_relaxed) == 0 &&
        state_.compare_exchange_weak(unlocked, 1, std::memory_order_acquire))
      return;
  }
  sleepers().fetch_add(1, std::memory_order_seq_cst);
  if (chan_lock_asymmetric) membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
  for (;;) {
    uint32_t unlocked = 0;
    if (state_.compare_exchange_strong(unlocked, 1, std::memory_order_seq_cst)) break;
    rt::futex_wait(state_, 1);
  }
  sleepers().fetch_sub(1, std::memory_order_relaxed);
}

void ChanLock::wake_sleeper(std::atomic<uint32_t>* state) { rt::futex_wake(*state, 1); }

}  // namespace goro::detail
