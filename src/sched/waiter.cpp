// Waiter: park a goroutine or futex-block a thread, and keep the counts
// deadlock detection relies on. See waiter.hpp.
//
// Deadlock counts: a goroutine's block and wake are counted on the P of the
// M doing them, inside a RuntimeSection (see deadlock.hpp).
//
// Locking: blocked_threads_lock protects the list of blocked plain threads;
// it is a leaf lock. A thread stays on the list until it runs again, but
// once woken (woken_) it no longer counts as blocked.
#include "sched/waiter.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "debug/deadlock.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

RuntimeMutex blocked_threads_lock;
Waiter* blocked_threads = nullptr;

void write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += size_t(n);
  }
}

}  // namespace

__attribute__((noinline)) void Waiter::block_thread(const char* reason, void (*unlock)(void*),
                                                    void* arg, std::source_location where) {
  {
    DeadlockCounters& counters = deadlock_counters();
    sched();  // a blocked main thread needs sysmon to notice a deadlock
    tid_ = pid_t(syscall(SYS_gettid));
    reason_ = reason;
    where_ = where;
    blocked_threads_lock.lock();
    next_blocked_ = blocked_threads;
    if (blocked_threads) blocked_threads->prev_blocked_ = this;
    blocked_threads = this;
    blocked_threads_lock.unlock();
    counters.threads_waiting.fetch_add(1);
    unlock(arg);
    note_.sleep();
    blocked_threads_lock.lock();
    if (prev_blocked_)
      prev_blocked_->next_blocked_ = next_blocked_;
    else
      blocked_threads = next_blocked_;
    if (next_blocked_) next_blocked_->prev_blocked_ = prev_blocked_;
    blocked_threads_lock.unlock();
  }
}

void Waiter::unlock_after_park(void* self, G*) {
  auto* w = static_cast<Waiter*>(self);
  w->unlock_(w->unlock_arg_);
}

void Waiter::wake_thread() {
  DeadlockCounters& counters = deadlock_counters();
  counters.thread_wakes.fetch_add(1);
  woken_.store(true, std::memory_order_release);
  counters.threads_waiting.fetch_sub(1);
  note_.wakeup();
}

void blocked_thread_tids(std::vector<pid_t>& out) {
  blocked_threads_lock.lock();
  for (Waiter* w = blocked_threads; w; w = w->next_blocked_)
    if (!w->woken_.load(std::memory_order_acquire)) out.push_back(w->tid_);
  blocked_threads_lock.unlock();
}

void dump_blocked_threads(int fd) {
  pid_t main_tid = getpid();
  blocked_threads_lock.lock();
  for (Waiter* w = blocked_threads; w; w = w->next_blocked_) {
    std::string line = w->tid_ == main_tid
                           ? "goroutine 1 [" + std::string(w->reason_) + "] (main thread)"
                           : "thread " + std::to_string(w->tid_) + " [" + w->reason_ + "]";
    line += ":\n\tblocked at " + std::string(w->where_.file_name()) + ":" +
            std::to_string(w->where_.line()) + " in " + w->where_.function_name() + "\n\n";
    write_all(fd, line);
  }
  blocked_threads_lock.unlock();
}

}  // namespace goro::rt
