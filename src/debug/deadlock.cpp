// Deadlock detection, run by sysmon. See deadlock.hpp for the rule.
#include "debug/deadlock.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "debug/fatal.hpp"
#include "netpoll/poll_desc.hpp"
#include "sched/scheduler.hpp"
#include "sched/waiter.hpp"

namespace goro::rt {

namespace {

int streak = 0;             // sysmon only
uint64_t streak_epoch = 0;  // sysmon only

// Threads that existed before the program's static constructors ran, other
// than main: the sanitizer runtimes start these for themselves (TSan's
// background thread). They never wake a goroutine.
std::vector<pid_t>& preexisting_threads() {
  static auto* tids = new std::vector<pid_t>;
  return *tids;
}

std::vector<pid_t> list_threads() {
  std::vector<pid_t> tids;
  DIR* dir = opendir("/proc/self/task");
  if (!dir) return tids;
  while (dirent* entry = readdir(dir))
    if (entry->d_name[0] != '.') tids.push_back(pid_t(std::atoi(entry->d_name)));
  closedir(dir);
  return tids;
}

__attribute__((constructor(101))) void record_preexisting_threads() {
  for (pid_t tid : list_threads())
    if (tid != getpid()) preexisting_threads().push_back(tid);
}

// Is every thread of the process a runtime thread or blocked in a Waiter?
bool every_thread_accounted_for(Sched& s) {
  std::vector<pid_t> known = preexisting_threads();
  blocked_thread_tids(known);
  known.push_back(sysmon_tid());
  s.lock.lock();
  for (M* m : s.allm) known.push_back(m->tid.load());
  s.lock.unlock();
  DIR* dir = opendir("/proc/self/task");
  if (!dir) return false;
  bool all = true;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    pid_t tid = pid_t(std::atoi(entry->d_name));
    if (std::find(known.begin(), known.end(), tid) != known.end()) continue;
    all = false;
    break;
  }
  closedir(dir);
  return all;
}

uint64_t goroutine_wakes(Sched& s, DeadlockCounters& c) {
  uint64_t n = c.goroutine_wakes.load();
  for (P* p : s.allp) n += p->waiter_wakes.load(std::memory_order_acquire);
  return n;
}

uint64_t goroutine_blocks(Sched& s, DeadlockCounters& c) {
  uint64_t n = c.goroutine_blocks.load();
  for (P* p : s.allp) n += p->waiter_blocks.load(std::memory_order_acquire);
  return n;
}

// wakes: the goroutine wake-ups read (first) for this check's epoch.
bool everything_blocked(Sched& s, DeadlockCounters& c, uint64_t wakes) {
  int64_t waiting = int64_t(goroutine_blocks(s, c) - wakes);
  int64_t goroutines = live_goroutines();  // after the counts: see deadlock.hpp
  if (waiting != goroutines) return false;
  if (goroutines + c.threads_waiting.load() == 0) return false;
  if (c.blocking_calls.load() != 0) return false;
  if (s.npidle.load() != s.nprocs) return false;
  if (any_work_queued()) return false;
  if (timers_earliest() != no_timer) return false;
  if (io_waiters() != 0) return false;  // netpoll: an fd may become ready
  return every_thread_accounted_for(s);
}

}  // namespace

void note_sanitizer_threads(const std::vector<pid_t>& before, pid_t runtime_thread) {
#if defined(__SANITIZE_THREAD__)
  // TSan starts its background thread inside the first pthread_create.
  for (pid_t tid : list_threads())
    if (tid != runtime_thread && std::find(before.begin(), before.end(), tid) == before.end())
      preexisting_threads().push_back(tid);
#else
  (void)before;
  (void)runtime_thread;
#endif
}

std::vector<pid_t> current_threads() { return list_threads(); }

DeadlockCounters& deadlock_counters() {
  static DeadlockCounters* counters = new DeadlockCounters;  // never destroyed
  return *counters;
}

void check_deadlock() {
  Sched& s = sched();
  DeadlockCounters& c = deadlock_counters();
  uint64_t wakes = goroutine_wakes(s, c);
  uint64_t epoch = wakes + c.thread_wakes.load();
  if (!everything_blocked(s, c, wakes)) {
    streak = 0;
    return;
  }
  if (streak == 0 || epoch != streak_epoch) {
    streak = 1;
    streak_epoch = epoch;
    return;
  }
  if (++streak >= 3) fatal_error("all goroutines are asleep - deadlock!");
}

}  // namespace goro::rt
