// The timer sleeper: how idle Ms wait for timers.
//
// Owns: the role of "timer sleeper", held by at most one idle M (one with no
// P, on the idle-M list), and the deadline it sleeps until. Only the sleeper
// sleeps with a deadline (the earliest timer of every P); the other idle Ms
// sleep until they are handed a P or kicked. So a timer wakes one M, not
// every idle M at once (which then raced for the same idle P and went back
// to sleep).
//
// Invariants (no timer is forgotten):
// - A new earliest timer of a heap (timer_start) is published, then a
//   StoreLoad barrier, then the sleeper and its deadline are read; a claimer
//   stores its deadline, then a barrier, then re-reads the heaps. So either
//   the claimer sees the timer or timer_start sees the claim and kicks the
//   sleeper if the timer is earlier than its deadline (a kick is a Note
//   wake-up: it is never lost, at worst stale).
// - With no sleeper and an idle P, timer_start hands that P to an M, which
//   finds nothing to run and claims the role in stop_m.
// - An M that woke for a timer and found every P busy sleeps without a
//   deadline: the Ms holding the Ps run due timers in their scheduling
//   loops (which a P's direct goroutine-to-goroutine switches enter when a
//   timer is due: leave_current in sched/scheduler.cpp), and the next M to
//   release a P claims the role.
//
// Short waits (below spin_wait_ns) are spun rather than slept: a futex sleep
// with a microsecond timeout costs more CPU than it saves, and wakes later.
#pragma once

#include <cstdint>

#include "netpoll/netpoll.hpp"
#include "time/timer_heap.hpp"

namespace goro::rt {

struct M;

// Called by an idle M before each sleep. Returns the time it must wake at:
// the earliest timer when m holds (or now takes) the role, else no_timer.
int64_t timer_sleeper_deadline(M* m);
// m stops sleeping (to run, or to sleep without a deadline): gives the role up
// if it holds it.
void timer_sleeper_resign(M* m);
// timer_start: a timer due at `when` became the earliest of its heap (after
// the heap was published and a StoreLoad barrier).
void timer_sleeper_notify(int64_t when);
// Sleeps (or spins, when `until` is near) until `until` (no_timer: forever),
// a P handed to m, a kick, or ready fds (returned in io). Returns false when
// `until` passed with nothing else happening; true otherwise (the caller
// checks m->next_p: a wake-up may be stale).
bool idle_sleep_until(M* m, int64_t until, IoList& io);

}  // namespace goro::rt
