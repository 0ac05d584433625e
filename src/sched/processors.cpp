// Processors and Ms: the idle-P list, waking an idle P for new work,
// starting (or waking) an M for a P, and handing a P to another M when its
// M blocks or is stuck. Invariants and the spinning protocol are in
// scheduler.hpp and at the top of scheduler.cpp.
//
// Locking: Sched::lock protects idle_p, idle_m and allm; npidle and
// nmspinning are atomics, published before the checks that read them.
#include <pthread.h>

#include <cstdio>
#include <cstdlib>

#include "netpoll/netpoll.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

P* idle_p_get() {
  Sched& s = sched();
  P* p = s.idle_p;
  if (p) {
    s.idle_p = p->idle_link;
    s.npidle.fetch_sub(1);
  }
  return p;
}

void idle_p_put(P* p) {
  Sched& s = sched();
  p->idle_link = s.idle_p;
  s.idle_p = p;
  s.npidle.fetch_add(1);
}

void wake_idle_processor() {
  Sched& s = sched();
  if (s.npidle.load() == 0) return;
  int expected = 0;
  if (!s.nmspinning.compare_exchange_strong(expected, 1)) return;
  start_m(nullptr, true);
}

void start_m(P* p, bool spinning) {
  Sched& s = sched();
  s.lock.lock();
  if (!p) {
    p = idle_p_get();
    if (!p) {
      s.lock.unlock();
      if (spinning) s.nmspinning.fetch_sub(1);
      return;
    }
  }
  M* m = s.idle_m;
  if (m) s.idle_m = m->idle_link;
  if (!m) {
    m = new M;
    m->id = s.nm.fetch_add(1) + 1;
    s.allm.push_back(m);
  }
  s.lock.unlock();
  m->spinning = spinning;
  m->next_p.store(p, std::memory_order_release);
  if (m->thread) {
    m->park.wakeup();
    netpoll_wake_m(m);  // netpoll: the M may be blocked in epoll instead
    return;
  }
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 1 << 20);
  int rc = pthread_create(
      &m->thread, &attr,
      [](void* arg) -> void* {
        m_main(static_cast<M*>(arg));
        return nullptr;
      },
      m);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    std::fprintf(stderr, "fatal error: runtime: cannot create OS thread (errno %d)\n", rc);
    std::_Exit(2);
  }
}

void hand_off_p(P* p) {
  Sched& s = sched();
  // A P with timers also needs an M: an idle M sleeps until the earliest
  // timer, and this P's may be the earliest.
  if (!p->runq.empty() || p->runnext.load() != nullptr || p->inbox.load() != nullptr ||
      timers_pending(p)) {
    start_m(p, false);
    return;
  }
  s.lock.lock();
  if (s.global_runq_size.load() > 0) {
    s.lock.unlock();
    start_m(p, false);
    return;
  }
  idle_p_put(p);
  s.lock.unlock();
  // Keep one spinner around if work could appear and nobody is looking.
  store_load_barrier();
  if (any_work_queued()) wake_idle_processor();
}

}  // namespace goro::rt
