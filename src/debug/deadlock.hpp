// Deadlock detection: "fatal error: all goroutines are asleep - deadlock!"
//
// Owns: the counters that say how many parties are blocked in Waiters, the
// count of blocking() calls in flight, and sysmon's periodic check.
//
// The check declares a deadlock only when, on three consecutive sysmon
// checks with no wake-up in between (wake_epoch unchanged): every P is idle
// and no run queue holds work; every live goroutine is blocked in a Waiter
// (channel, select, sync); no timer is pending (a sleeper or deadline could
// wake someone); nobody is parked on an fd in the network poller; no
// blocking() call is in flight; and every thread of the
// process is either a runtime thread or a plain thread blocked in a Waiter
// (any other thread might still wake someone). Threads that already existed
// before static constructors ran, or (TSan) appeared while the runtime
// started its first thread, are the sanitizer runtime's and are ignored.
//
// Invariants: counters are only approximations at any instant; the epoch
// and the three-check rule make a transient "all blocked" reading harmless.
#pragma once

#include <sys/types.h>
#include <atomic>
#include <cstdint>
#include <vector>

namespace goro::rt {

struct DeadlockCounters {
  std::atomic<int64_t> goroutines_waiting{0};
  std::atomic<int64_t> threads_waiting{0};
  std::atomic<int64_t> blocking_calls{0};
  std::atomic<uint64_t> wake_epoch{0};
};

DeadlockCounters& deadlock_counters();

// Thread ids of the process now.
std::vector<pid_t> current_threads();
// After the runtime's first thread (runtime_thread) started: under TSan,
// threads that appeared meanwhile are the sanitizer's own; ignore them.
void note_sanitizer_threads(const std::vector<pid_t>& before, pid_t runtime_thread);

// Called by sysmon on every tick; ends the program on a deadlock.
void check_deadlock();

}  // namespace goro::rt
