// Scheduler core: start-up, the per-M scheduling loop, finding work
// (local queue, global queue, stealing, timers, the poller), parking idle
// Ms, readying goroutines. Switching a goroutine out (the park path) is
// inline in park.hpp, starting Ms and handing Ps between them is in
// processors.cpp, the home-wake inbox in inbox.cpp. Locking
// rules and invariants are in scheduler.hpp.
//
// Spinning protocol (no lost wake-ups, no idle CPU burn): an M looking for
// work counts itself in nmspinning. Whoever makes a G stealable (ring or
// global queue) publishes it first and then, if some P is idle and nobody
// spins, wakes one M (wake_idle_processor); a channel hand-off into an empty
// runnext wakes nobody (ready_handoff), as no other M could take it anyway.
// A spinning M that finds nothing releases its P, leaves nmspinning, and only
// then re-checks every queue before it sleeps; an M that finds work while
// spinning wakes a successor if it was the last spinner. Each side's
// publish-then-check is ordered by seq_cst operations.
//
// Network poller (src/netpoll/netpoll.hpp): one idle M at a time sleeps in
// epoll instead of on its futex, so ready fds wake it; start_m interrupts
// that wait when it hands the M a P; find_runnable polls without blocking
// before it steals.
#include "sched/scheduler.hpp"

#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "netpoll/netpoll.hpp"
#include "sched/park.hpp"
#include "time/timer_sleeper.hpp"

thread_local goro::rt::M* goro_tls_m = nullptr;  // see current_m()

namespace goro::rt {

namespace {

std::atomic<bool> started{false};

int processors_from_env() {
  if (const char* env = std::getenv("GORO_MAXPROCS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? int(n) : 1;
}

Sched* create_runtime() {
  auto* s = new Sched;  // never destroyed: goroutines may outlive main
  s->nprocs = processors_from_env();
  for (int i = 0; i < s->nprocs; ++i) {
    auto* p = new P;
    p->id = i;
    s->allp.push_back(p);
  }
  for (int i = s->nprocs - 1; i >= 0; --i) {
    s->allp[i]->idle_link = s->idle_p;
    s->idle_p = s->allp[i];
  }
  s->npidle.store(s->nprocs);
  return s;
}

void acquire_p(M* m, P* p) {
  m->p = p;
  p->owner.store(m, std::memory_order_release);
}

// sched.lock held: take a batch from the global queue into p; return one.
G* global_get(Sched& s, P* p) {
  int64_t size = s.global_runq.size();
  if (size == 0) return nullptr;
  int64_t n = std::min<int64_t>(size, size / s.nprocs + 1);
  n = std::min<int64_t>(n, RunQueue::capacity / 2);
  G* first = s.global_runq.pop_front();
  for (int64_t i = 1; i < n; ++i) {
    G* g = s.global_runq.pop_front();
    if (!p->runq.push(g)) {
      s.global_runq.push_front(g);
      n = i;
      break;
    }
  }
  s.global_runq_size.fetch_sub(n);
  return first;
}

// Lock-free glance at the global queue; take a batch only if it has work.
G* global_get_if_any(Sched& s, P* p) {
  if (s.global_runq_size.load(std::memory_order_relaxed) == 0) return nullptr;
  s.lock.lock();
  G* g = global_get(s, p);
  s.lock.unlock();
  return g;
}

G* steal_work(M* m) {
  Sched& s = sched();
  int n = s.nprocs;
  for (int round = 0; round < 4; ++round) {
    int start = int(fast_rand(m) % uint32_t(n));
    for (int i = 0; i < n; ++i) {
      P* victim = s.allp[(start + i) % n];
      if (victim == m->p) continue;
      if (G* g = victim->runq.steal_into(m->p->runq)) return g;
      if (G* g = steal_inbox(victim, m->p)) return g;
    }
  }
  return nullptr;
}

// Sleep until someone hands this M a P through m->next_p.
P* wait_for_handed_p(M* m) {
  for (;;) {
    if (P* p = m->next_p.exchange(nullptr, std::memory_order_acq_rel)) return p;
    m->park.sleep();
  }
}

// Work another M could take: a P's run queue or inbox (not runnext: its
// owner runs that next, and thieves leave an owned P's runnext alone) or the
// global queue.
bool stealable_work_visible(Sched& s) {
  if (s.global_runq_size.load() > 0) return true;
  for (P* p : s.allp)
    if (!p->runq.empty() || p->inbox.load() != nullptr) return true;
  return false;
}

// Run the due timers of every P; their callbacks ready Gs onto m's P. The
// firings are one batch: m counts itself in nmspinning meanwhile, so ready()
// does not wake an idle P per timer (a futex wake-up for each goroutine, most
// of which m runs itself at once); afterwards, like a spinner that found
// work, m wakes one if any of the work could be stolen. Another P's heap is
// skipped while its lock is held: whoever holds it is adding timers there or
// running them.
void run_due_timers(M* m, Sched& s, int64_t now) {
  if (timers_earliest() > now) return;
  bool counted = !m->spinning;
  if (counted) s.nmspinning.fetch_add(1);
  for (P* p : s.allp)
    if (timers_next_when(p) <= now) timers_run_due(p, now, p != m->p);
  if (counted && s.nmspinning.fetch_sub(1) == 1 && stealable_work_visible(s)) wake_idle_processor();
}

// Sleep on the idle-M list until someone hands this M a P. The timer sleeper
// (time/timer_sleeper.hpp) wakes at the earliest timer of any P instead and
// takes an idle P (if any) to run the due timers.
void stop_m(M* m) {
  Sched& s = sched();
  s.lock.lock();
  m->idle_link = s.idle_m;
  s.idle_m = m;
  s.lock.unlock();
  // Set when a wake-up for timers found every P busy: their Ms run the
  // timers, so sleep without a deadline (no polling) until kicked or handed a P.
  bool ps_run_timers = false;
  for (;;) {
    int64_t until = ps_run_timers ? no_timer : timer_sleeper_deadline(m);
    ps_run_timers = false;
    // netpoll: the futex sleep, or a blocking epoll wait when this M becomes
    // the poller (then `io` returns the parties whose fds became ready).
    IoList io;
    bool woken = idle_sleep_until(m, until, io);
    if (io.empty() && woken) {
      if (m->next_p.load(std::memory_order_acquire)) break;
      continue;  // a stale wake-up or a kick: still on the idle list
    }
    timer_sleeper_resign(m);
    // A timer is due or fds are ready: leave the idle list and take an idle
    // P to run them, unless a waker has already taken us off the list (its
    // P is coming).
    s.lock.lock();
    bool still_idle = false;
    for (M** link = &s.idle_m; *link; link = &(*link)->idle_link) {
      if (*link == m) {
        *link = m->idle_link;
        still_idle = true;
        break;
      }
    }
    P* p = still_idle ? idle_p_get() : nullptr;
    if (still_idle && !p) {
      m->idle_link = s.idle_m;  // every P is busy; they run timers themselves
      s.idle_m = m;
    }
    s.lock.unlock();
    if (p) {
      acquire_p(m, p);
      io.wake_all();  // netpoll: onto the P just taken
      run_due_timers(m, s, monotonic_ns());
      return;
    }
    io.wake_all();           // netpoll: no P, so onto the global queue (wakes a P)
    if (!still_idle) break;  // a waker took us off the list; its P is coming
    ps_run_timers = true;
  }
  timer_sleeper_resign(m);
  acquire_p(m, wait_for_handed_p(m));
}

void reset_spinning(M* m) {
  m->spinning = false;
  if (sched().nmspinning.fetch_sub(1) == 1) wake_idle_processor();
}

// Some P has work that a spinning M missed? (Called after leaving nmspinning.)
// A G in the runnext of a P that has an M is not: that M runs it next.
bool work_visible(Sched& s) {
  if (s.global_runq_size.load() > 0) return true;
  for (P* p : s.allp) {
    if (!p->runq.empty() || p->inbox.load() != nullptr) return true;
    if (p->runnext.load() != nullptr && p->owner.load() == nullptr) return true;
  }
  return false;
}

G* find_runnable(M* m) {
  Sched& s = sched();
  for (;;) {
    if (!m->p) stop_m(m);
    P* p = m->p;
    // Due timers of every P, not only this one's: the M of another P may be
    // running a long goroutine, or waiting for a CPU.
    if (timers_earliest() != no_timer) run_due_timers(m, s, monotonic_ns());
    // Every 61 ticks look at the global queue first, so it cannot starve.
    if (p->schedtick.load(std::memory_order_relaxed) % 61 == 0) {
      if (G* g = global_get_if_any(s, p)) return g;
    }
    bool from_runnext;
    if (G* g = local_get(p, from_runnext)) return g;
    if (G* g = global_get_if_any(s, p)) return g;
    // netpoll: goroutines waiting on fds nobody is polling for (Go's
    // netpoll(0) in findrunnable).
    if (netpoll_poll_if_needed()) {
      if (G* g = local_get(p, from_runnext)) return g;
    }
    if (m->spinning || 2 * s.nmspinning.load() < s.nprocs - s.npidle.load()) {
      if (!m->spinning) {
        m->spinning = true;
        s.nmspinning.fetch_add(1);
      }
      if (G* g = steal_work(m)) return g;
    }
    // Due timers of any P, spinning or not: an M that stopped now would wake
    // straight up for them, and the P they sit on may be idle or busy.
    if (int64_t now = monotonic_ns(); timers_earliest() <= now) {
      run_due_timers(m, s, now);
      if (G* g = local_get(p, from_runnext)) return g;
    }
    s.lock.lock();
    if (G* g = global_get(s, p)) {
      s.lock.unlock();
      return g;
    }
    detach_p(m);
    idle_p_put(p);
    s.lock.unlock();
    if (m->spinning) {
      m->spinning = false;
      s.nmspinning.fetch_sub(1);
      if (work_visible(s)) {
        s.lock.lock();
        P* again = idle_p_get();
        s.lock.unlock();
        if (again) {
          acquire_p(m, again);
          m->spinning = true;
          s.nmspinning.fetch_add(1);
          continue;
        }
      }
    }
  }
}

}  // namespace

void m_main(M* m) {
  goro_tls_m = m;
  std::atomic_signal_fence(std::memory_order_seq_cst);  // before any current_m() (an asm)
  // Idle Ms sleep until the next timer: ask the kernel for 1 µs of slack
  // instead of the default 50 µs, so timers fire on time.
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  m->tid.store(pid_t(syscall(SYS_gettid)));
  m->errno_loc = &errno;
  m->g0.adopt_current_thread();
  prepare_thread_signals(m);
  acquire_p(m, m->next_p.exchange(nullptr));
  schedule_loop(m);
}

namespace {

// Hand this M's P to the M that g is locked to, and go idle.
void start_locked_m(M* m, G* g) {
  M* target = g->locked_m;
  P* p = m->p;
  detach_p(m);
  target->next_p.store(p, std::memory_order_release);
  target->park.wakeup();
}

// A locked M whose G is not runnable gives its P away and sleeps until that
// G is readied and someone hands it a P.
void stop_locked_m(M* m) {
  if (m->p) {
    P* p = m->p;
    detach_p(m);
    hand_off_p(p);
  }
  acquire_p(m, wait_for_handed_p(m));
}

}  // namespace

std::atomic<Sched*> sched_instance{nullptr};

Sched& sched_start() {
  static Sched* s = [] {
    Sched* created = create_runtime();
    started.store(true);
    return created;
  }();
  static bool services = [] {
    install_signal_handlers();
    register_exit_handler();
    start_sysmon();
    return true;
  }();
  (void)services;
  sched_instance.store(s, std::memory_order_release);
  return *s;
}

bool runtime_started() { return started.load(std::memory_order_acquire); }

#if !defined(__x86_64__)
__attribute__((noipa)) M* current_m() {
  asm volatile("" ::: "memory");
  return goro_tls_m;
}
#endif

uint32_t fast_rand(M* m) {
  // xorshift64*
  uint64_t x = m->rand_state;
  if (x == 0) x = 0x9E3779B97F4A7C15ull ^ (uint64_t(m->id + 1) * 0xBF58476D1CE4E5B9ull);
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  m->rand_state = x;
  return uint32_t((x * 0x2545F4914F6CDD1Dull) >> 32);
}

bool any_work_queued() { return work_visible(sched()); }

namespace {

// After-switch action: the G that just left goes to the global queue.
void requeue_globally(void* g) { ready_global(static_cast<G*>(g)); }

}  // namespace

void reacquire_p(M* m) {
  Sched& s = sched();
  s.lock.lock();
  P* p = idle_p_get();
  s.lock.unlock();
  if (p) {
    acquire_p(m, p);
    return;
  }
  // No P free: queue this G globally and let the M go idle; the G resumes on
  // whichever M picks it up.
  switch_out(m, m->curg, GStatus::runnable, requeue_globally, m->curg);
}

void wake_if_idle_p() {
  Sched& s = sched();
  if (s.nprocs > 1) {
    store_load_barrier();
    if (s.npidle.load(std::memory_order_relaxed) > 0 &&
        s.nmspinning.load(std::memory_order_relaxed) == 0)
      wake_idle_processor();
  }
}

bool local_put(P* p, G* g, bool as_next) {
  if (as_next) {
    G* old = p->runnext.load(std::memory_order_relaxed);
    p->runnext.store(g, std::memory_order_release);
    if (!old) return false;
    g = old;
  }
  if (p->runq.push(g)) return true;
  // The ring is full: half of it and g go to the global queue.
  G* batch[RunQueue::capacity / 2];
  uint32_t n = p->runq.take_half(batch);
  Sched& s = sched();
  s.lock.lock();
  for (uint32_t i = 0; i < n; ++i) s.global_runq.push_back(batch[i]);
  s.global_runq.push_back(g);
  s.global_runq_size.fetch_add(n + 1);
  s.lock.unlock();
  return true;
}

void ready(G* g, bool as_next) {
  RuntimeSection section;
  g->status.store(GStatus::runnable, std::memory_order_relaxed);
  P* p = section.m() ? section.m()->p : nullptr;
  if (!p) {
    ready_global(g);
    return;
  }
  local_put(p, g, as_next);
  wake_if_idle_p();
}

void ready_displaced(P* p, G* g) {
  local_put(p, g, false);
  wake_if_idle_p();
}

void ready_global(G* g) {
  Sched& s = sched();
  g->status.store(GStatus::runnable, std::memory_order_relaxed);
  s.lock.lock();
  s.global_runq.push_back(g);
  s.global_runq_size.fetch_add(1);
  s.lock.unlock();
  wake_idle_processor();
}

int64_t live_goroutines() {
  Sched& s = sched();
  uint64_t exited = s.goroutines_exited_off_p.load(std::memory_order_acquire);
  for (P* p : s.allp) exited += p->goroutines_exited.load(std::memory_order_acquire);
  uint64_t started = s.goroutines_started_off_p.load(std::memory_order_acquire);
  for (P* p : s.allp) started += p->goroutines_started.load(std::memory_order_acquire);
  return int64_t(started - exited);
}

void run_after_switch() { run_after_switch_on(current_m()); }

// The inbox goes in behind the ring first (seq_cst load: pairs with
// send_home, P::inbox).
G* local_get_from_ring(P* p) {
  if (p->inbox.load(std::memory_order_seq_cst)) [[unlikely]]
    move_inbox_to_ring(p);
  return p->runq.pop();
}

bool timer_due_now() {
  int64_t earliest = timers_earliest();
  return earliest != no_timer && earliest <= monotonic_ns();
}

void park(const char* reason, void (*after)(void*), void* arg, std::source_location where) {
  RuntimeSection section;
  park_in_section(section.m(), reason, after, arg, where);
}

void yield_current() {
  RuntimeSection section;
  M* m = current_m();
  switch_out(m, m->curg, GStatus::runnable, requeue_globally, m->curg);
}

void exit_current() {
  M* m = current_m();
  m->in_runtime = 1;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  G* g = m->curg;
  if (g->locked_m) {
    g->locked_m = nullptr;
    m->locked_g = nullptr;
  }
  g->status.store(GStatus::dead, std::memory_order_relaxed);
  count_goroutine_exit(m->p);
  leave_current(
      m, g, [](void* exited) { recycle_g(static_cast<G*>(exited)); }, g, true);
  __builtin_unreachable();
}

void schedule_loop(M* m) {
  for (;;) {
    run_after_switch();
    if (m->locked_g) {
      stop_locked_m(m);
      G* g = m->locked_g;
      m->p->running_g.store(true, std::memory_order_relaxed);
      switch_to_g(m, m->g0, g, false, false);
      continue;
    }
    G* g = find_runnable(m);
    if (m->spinning) reset_spinning(m);
    if (g->locked_m && g->locked_m != m) {
      start_locked_m(m, g);
      continue;
    }
    m->p->running_g.store(true, std::memory_order_relaxed);
    switch_to_g(m, m->g0, g, false, false);
  }
}

}  // namespace goro::rt
