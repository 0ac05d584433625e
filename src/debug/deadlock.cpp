// Deadlock detection, run by sysmon. See deadlock.hpp for the rule.
#include "debug/deadlock.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "debug/fatal.hpp"
#include "sched/scheduler.hpp"
#include "sched/waiter.hpp"

namespace goro::rt {

namespace {

int streak = 0;             // sysmon only
uint64_t streak_epoch = 0;  // sysmon only

// Threads that sanitizer runtimes start for themselves.
bool is_sanitizer_thread(pid_t tid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%d/comm", int(tid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;  // it is gone: it cannot wake anyone
  char name[32] = {};
  ssize_t n = read(fd, name, sizeof name - 1);
  close(fd);
  if (n <= 0) return false;
  return std::strncmp(name, "tsan", 4) == 0 || std::strncmp(name, "asan", 4) == 0 ||
         std::strncmp(name, "lsan", 4) == 0;
}

// Is every thread of the process a runtime thread or blocked in a Waiter?
bool every_thread_accounted_for(Sched& s) {
  std::vector<pid_t> known;
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
    if (is_sanitizer_thread(tid)) continue;
    all = false;
    break;
  }
  closedir(dir);
  return all;
}

bool everything_blocked(Sched& s, DeadlockCounters& c) {
  int64_t goroutines = s.ngoroutines.load();
  int64_t waiting = c.goroutines_waiting.load();
  if (waiting != goroutines) return false;
  if (goroutines + c.threads_waiting.load() == 0) return false;
  if (c.blocking_calls.load() != 0) return false;
  if (s.npidle.load() != s.nprocs) return false;
  if (any_work_queued()) return false;
  if (timers_earliest() != no_timer) return false;
  return every_thread_accounted_for(s);
}

}  // namespace

DeadlockCounters& deadlock_counters() {
  static DeadlockCounters* counters = new DeadlockCounters;  // never destroyed
  return *counters;
}

void check_deadlock() {
  Sched& s = sched();
  DeadlockCounters& c = deadlock_counters();
  uint64_t epoch = c.wake_epoch.load();
  if (!everything_blocked(s, c)) {
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
