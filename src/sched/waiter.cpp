// Waiter: park a goroutine or futex-block a thread, and keep the counts
// deadlock detection relies on. See waiter.hpp.
//
// Deadlock counts: a goroutine's block and wake are counted on the P of the
// M doing them, inside a RuntimeSection (see deadlock.hpp).
//
// Locking: blocked_threads_lock protects the list of blocked plain threads;
// it is a leaf lock. A thread stays on the list until it runs again, but
// once woken (BlockedThread::woken) it no longer counts as blocked.
#include "sched/waiter.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "debug/deadlock.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

RuntimeMutex blocked_threads_lock;

void write_all(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += size_t(n);
  }
}

}  // namespace

// A plain thread blocked in a Waiter: on the list of blocked threads (under
// blocked_threads_lock) until it runs again; lives in block_thread's frame.
struct Waiter::BlockedThread {
  Note note;
  BlockedThread* next = nullptr;
  BlockedThread* prev = nullptr;
  pid_t tid = 0;
  // Set by wake() before the note is signalled: from then on the thread is
  // runnable even if the OS has not scheduled it yet, so deadlock detection
  // must not count it as blocked.
  std::atomic<bool> woken{false};
  const char* reason = "";
  std::source_location where{};
};

namespace {

Waiter::BlockedThread* blocked_threads = nullptr;

}  // namespace

__attribute__((noinline)) void Waiter::block_thread(const char* reason, void (*unlock)(void*),
                                                    void* arg, std::source_location where) {
  DeadlockCounters& counters = deadlock_counters();
  sched();  // a blocked main thread needs sysmon to notice a deadlock
  BlockedThread me;
  me.tid = pid_t(syscall(SYS_gettid));
  me.reason = reason;
  me.where = where;
  thread_ = &me;
  blocked_threads_lock.lock();
  me.next = blocked_threads;
  if (blocked_threads) blocked_threads->prev = &me;
  blocked_threads = &me;
  blocked_threads_lock.unlock();
  counters.threads_waiting.fetch_add(1);
  unlock(arg);
  me.note.sleep();
  blocked_threads_lock.lock();
  if (me.prev)
    me.prev->next = me.next;
  else
    blocked_threads = me.next;
  if (me.next) me.next->prev = me.prev;
  blocked_threads_lock.unlock();
}

void Waiter::wake_thread() {
  // Read before the note is signalled: from then on the thread may return
  // and its BlockedThread go.
  BlockedThread* t = thread_;
  DeadlockCounters& counters = deadlock_counters();
  counters.thread_wakes.fetch_add(1);
  t->woken.store(true, std::memory_order_release);
  counters.threads_waiting.fetch_sub(1);
  t->note.wakeup();
}

void blocked_thread_tids(std::vector<pid_t>& out) {
  blocked_threads_lock.lock();
  for (Waiter::BlockedThread* t = blocked_threads; t; t = t->next)
    if (!t->woken.load(std::memory_order_acquire)) out.push_back(t->tid);
  blocked_threads_lock.unlock();
}

void dump_blocked_threads(int fd) {
  pid_t main_tid = getpid();
  blocked_threads_lock.lock();
  for (Waiter::BlockedThread* t = blocked_threads; t; t = t->next) {
    std::string line = t->tid == main_tid
                           ? "goroutine 1 [" + std::string(t->reason) + "] (main thread)"
                           : "thread " + std::to_string(t->tid) + " [" + t->reason + "]";
    line += ":\n\tblocked at " + std::string(t->where.file_name()) + ":" +
            std::to_string(t->where.line()) + " in " + t->where.function_name() + "\n\n";
    write_all(fd, line);
  }
  blocked_threads_lock.unlock();
}

}  // namespace goro::rt
