// The public scheduler controls of goro/runtime.hpp: yield, num_goroutine,
// gomaxprocs, lock_os_thread/unlock_os_thread and blocking().
//
// Invariants: g->locked_m / m->locked_g are set and cleared together by the
// goroutine itself (lock_depth counts nesting). A BlockingScope that
// released its P reacquires one before returning to user code.
#include <sched.h>

#include "debug/deadlock.hpp"
#include "goro/runtime.hpp"
#include "sched/scheduler.hpp"

namespace goro {

using namespace goro::rt;

void yield() {
  if (current_g())
    yield_current();
  else
    sched_yield();
}

int num_goroutine() {
  if (!runtime_started()) return 1;
  return int(live_goroutines()) + 1;
}

int gomaxprocs() { return sched().nprocs; }

void lock_os_thread() {
  RuntimeSection section;
  M* m = current_m();
  if (!m || !m->curg) return;
  G* g = m->curg;
  if (g->lock_depth++ == 0) {
    g->locked_m = m;
    m->locked_g = g;
  }
}

void unlock_os_thread() {
  RuntimeSection section;
  M* m = current_m();
  if (!m || !m->curg) return;
  G* g = m->curg;
  if (g->lock_depth == 0) return;
  if (--g->lock_depth == 0) {
    g->locked_m = nullptr;
    m->locked_g = nullptr;
  }
}

namespace detail {

BlockingScope::BlockingScope() {
  RuntimeSection section;
  M* m = current_m();
  if (!m || !m->curg || !m->p) return;
  P* p = m->p;
  detach_p(m);
  hand_off_p(p);
  released_ = true;
  deadlock_counters().blocking_calls.fetch_add(1);
}

BlockingScope::~BlockingScope() {
  if (!released_) return;
  deadlock_counters().blocking_calls.fetch_sub(1);
  RuntimeSection section;
  M* m = current_m();
  if (!m->p) reacquire_p(m);
}

}  // namespace detail
}  // namespace goro
