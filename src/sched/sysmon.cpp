// sysmon: the monitor thread. It hands the processor of an M stuck in user
// code (a long computation or a blocking system call outside blocking())
// to another M, runs timers that a stuck P cannot, keeps the coarse clock,
// polls the network when no M has for 10 ms, and serves SIGQUIT's
// goroutine dump.
//
// Hand-off protocol: sysmon notices a P whose schedtick has not moved for
// 10 ms while other work waits, records that tick in p->preempt_tick and
// sends SIGURG to the owning M. The handler (signals.cpp) detaches the P if
// the M is in user code on that same tick and raises p->released_by_signal;
// sysmon then gives the P to another M (hand_off_p). The stuck goroutine
// continues without a P; at its next runtime call it finds m->p == nullptr
// and queues work globally or waits for a P (reacquire_p / stop_m).
//
// Invariants: sysmon_tick/sysmon_since_ns of each P are sysmon's alone.
// Sysmon takes Sched::lock only through hand_off_p / start_m.
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>

#include "debug/deadlock.hpp"
#include "debug/fatal.hpp"
#include "netpoll/netpoll.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

pthread_t sysmon_thread{};
std::atomic<pid_t> sysmon_thread_id{0};

Note sysmon_note;
constexpr int64_t hand_off_after_ns = 10'000'000;

bool p_has_waiting_work(Sched& s, P* p, int64_t now) {
  return !p->runq.empty() || p->runnext.load(std::memory_order_relaxed) != nullptr ||
         p->inbox.load(std::memory_order_relaxed) != nullptr ||
         s.global_runq_size.load(std::memory_order_relaxed) > 0 || timers_next_when(p) <= now;
}

// Returns true if some P is busy (sysmon keeps a short period then).
bool retake(Sched& s, int64_t now) {
  bool busy = false;
  for (P* p : s.allp) {
    if (p->released_by_signal.exchange(false, std::memory_order_acquire)) {
      hand_off_p(p);
      continue;
    }
    M* owner = p->owner.load(std::memory_order_acquire);
    if (!owner) continue;
    busy = true;
    uint64_t tick = p->schedtick.load(std::memory_order_relaxed);
    if (tick != p->sysmon_tick) {
      p->sysmon_tick = tick;
      p->sysmon_since_ns = now;
      continue;
    }
    if (now - p->sysmon_since_ns < hand_off_after_ns) continue;
    if (!p_has_waiting_work(s, p, now)) continue;
    p->preempt_tick.store(tick, std::memory_order_relaxed);
    p->sysmon_since_ns = now;
    pthread_kill(owner->thread, SIGURG);
  }
  // Timers of idle Ps that are late (nobody woke for them) get an M.
  int64_t earliest = timers_earliest();
  if (s.npidle.load() > 0 && earliest != no_timer && earliest + 1'000'000 < now)
    wake_idle_processor();
  return busy;
}

void* sysmon_main(void*) {
  sysmon_thread_id.store(pid_t(syscall(SYS_gettid)));
  Sched& s = sched();
  int64_t delay = 1'000'000;
  for (;;) {
    sysmon_note.sleep(delay);
    refresh_coarse_now();
    if (quit_requested.load()) {
      flush_stdout_if_possible();
      const char msg[] = "SIGQUIT: quit\n\n";
      ssize_t r = ::write(2, msg, sizeof msg - 1);
      (void)r;
      dump_goroutines(2);
      std::_Exit(2);
    }
    netpoll_sysmon(monotonic_ns());  // netpoll: poll if nobody has for 10 ms
    bool busy = retake(s, monotonic_ns());
    if (!busy) check_deadlock();
    delay = busy ? 2'000'000 : std::min<int64_t>(delay * 2, 20'000'000);
  }
  return nullptr;
}

}  // namespace

void wake_sysmon() { sysmon_note.wakeup(); }

pid_t sysmon_tid() { return sysmon_thread_id.load(); }

void start_sysmon() {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  // Runtime threads must not take signals meant for the program's own
  // threads, except the ones the runtime directs at them.
  std::vector<pid_t> before = current_threads();
  if (pthread_create(&sysmon_thread, &attr, sysmon_main, nullptr) != 0)
    fatal_error("runtime: cannot create the sysmon thread");
  pthread_attr_destroy(&attr);
  while (sysmon_thread_id.load() == 0) sched_yield();
  note_sanitizer_threads(before, sysmon_thread_id.load());
}

}  // namespace goro::rt
