// The park path: switching the running goroutine out, straight to the next
// runnable G of its P when there is one (g to g), else to the M's scheduler
// loop on g0; and the after-switch work the resumed context runs first.
//
// Inline, so that a blocking operation (Waiter::block, hence every channel
// receive or send that waits) saves the goroutine's callee-saved registers
// once, in its own frame, instead of again in a park_in_section frame: at
// one proc that was about 40 of pingpong's 648 instructions per round trip
// (bench/NOTES.md).
//
// Who may touch what: everything here runs on the M that owns the current
// goroutine, inside a RuntimeSection (or with in_runtime set), so m->p is the
// caller's own P and only its owner touches runnext's consumer side,
// switches_since_timer_check and schedtick (see P in scheduler.hpp).
#pragma once

#include <cerrno>
#include <source_location>

#include "sched/scheduler.hpp"
#include "time/timer_heap.hpp"

namespace goro::rt {

// Runs the pending after-switch work of m (the M the caller now runs on).
inline void run_after_switch_on(M* m) {
  if (auto fn = m->after_switch) {
    m->after_switch = nullptr;
    fn(m->after_switch_arg);
  }
}

// Owner only: the ring part of local_get (the inbox goes in behind the ring
// first).
G* local_get_from_ring(P* p);

// Owner only: next G from runnext, then the ring.
inline G* local_get(P* p, bool& from_runnext) {
  if (G* g = p->runnext.load(std::memory_order_relaxed)) {
    p->runnext.store(nullptr, std::memory_order_relaxed);
    from_runnext = true;
    return g;
  }
  from_runnext = false;
  return local_get_from_ring(p);
}

// Whether some P's earliest timer is due (reads the clock).
bool timer_due_now();

// Every timer_check_period-th direct switch of a P reads the clock: a due
// timer (of any P) sends the switch through the scheduler loop, which runs
// it. Without this a P that always has a next G never visits
// find_runnable, and timers wait until some M runs out of work: the idle
// timer sleeper does not wake for them while every P is busy (see
// time/timer_sleeper.hpp). Go checks at every schedule(); here the clock
// read at every switch would cost pingpong about a third.
inline bool timer_due_at_switch(P* p) {
  constexpr uint32_t timer_check_period = 16;
  if (++p->switches_since_timer_check < timer_check_period) return false;
  p->switches_since_timer_check = 0;
  return timer_due_now();
}

inline void switch_to_g(M* m, Fiber& from, G* next, bool from_runnext, bool exiting) {
  m->curg = next;
  next->last_p.store(m->p, std::memory_order_relaxed);
  next->status.store(GStatus::running, std::memory_order_relaxed);
  if (!from_runnext) {
    std::atomic<uint64_t>& tick = m->p->schedtick;  // only the owner writes it
    tick.store(tick.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  Fiber::switch_to(from, next->fiber, exiting);
}

// Leave the current G for the next runnable one on this P if there is one
// (directly, g to g), else for the scheduler loop on g0. `after` runs on the
// next context once this G is switched out.
inline void leave_current(M* m, G* g, void (*after)(void*), void* arg, bool exiting) {
  m->after_switch = after;
  m->after_switch_arg = arg;
  if (m->p && !m->locked_g && !timer_due_at_switch(m->p)) {
    bool from_runnext;
    if (G* next = local_get(m->p, from_runnext)) {
      if (!next->locked_m) {
        switch_to_g(m, g->fiber, next, from_runnext, exiting);
        return;
      }
      local_put(m->p, next, false);
    }
  }
  m->curg = nullptr;
  // seq_cst: before find_runnable's first look at the inbox (P::inbox).
  if (m->p) m->p->running_g.store(false, std::memory_order_seq_cst);
  Fiber::switch_to(g->fiber, m->g0, exiting);
}

// errno's address is per thread: read it through the M the goroutine runs on
// at each end of the switch (current_m() reads the thread's M afresh, so a
// goroutine that moved to another thread gets that thread's M).
inline void switch_out(M* m, G* g, GStatus status, void (*after)(void*), void* arg) {
  g->saved_errno = *m->errno_loc;
  g->status.store(status, std::memory_order_relaxed);
  leave_current(m, g, after, arg, false);
  M* now = current_m();
  run_after_switch_on(now);
  *now->errno_loc = g->saved_errno;
}

inline void park_in_section(M* m, const char* reason, void (*after)(void*), void* arg,
                            std::source_location where) {
  G* g = m->curg;
  g->wait_reason = reason;
  g->blocked_at = where;
  g->wait_since_ns = coarse_now_ns();
  switch_out(m, g, GStatus::waiting, after, arg);
}

}  // namespace goro::rt
