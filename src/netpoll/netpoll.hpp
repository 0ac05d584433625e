// The network poller: one epoll instance (edge-triggered, one registration
// per fd) and its place in the scheduler. Go's runtime/netpoll_epoll.go plus
// the netpoll parts of findrunnable/stopm/sysmon.
//
// Who polls:
// - An idle M (no P, nothing to run) becomes *the* poller if nobody else
//   is, and blocks in epoll until the nearest timer instead of sleeping on
//   its futex (netpoll_idle_block). At most one M blocks in epoll at a time;
//   other idle Ms sleep on their futex as before.
// - An M looking for work polls without blocking when parties wait on fds
//   and nobody blocks in epoll (netpoll_poll_if_needed, from find_runnable).
// - sysmon polls when parties wait and nobody has polled for 10 ms.
// - Waking the blocked poller (a P handed to it, new work or an earlier
//   timer: everything that wakes an idle M goes through start_m) writes the
//   eventfd: netpoll_wake_m.
//
// Invariants: `poller_m` names the M blocked (or about to block) in epoll.
// The M publishes poller_m and then checks its next_p; start_m publishes
// next_p and then checks poller_m (both with a StoreLoad barrier), so a P
// handed to the poller always interrupts its wait. Until netpoll_init runs
// (the first socket), idle Ms never touch epoll.
#pragma once

#include <cstdint>

#include "netpoll/poll_desc.hpp"

namespace goro::rt {

struct M;

// Create the epoll instance and the wake-up eventfd (once). Returns 0 or an errno.
int netpoll_init();
bool netpoll_inited();
// Register fd (non-blocking) for read and write edges. Returns 0 or an errno.
int netpoll_open(int fd, PollDesc* pd);
// Remove fd from epoll (before closing it).
void netpoll_close(int fd);

// One epoll_wait: timeout_ns < 0 blocks, 0 polls. Woken parties go to out.
// Returns true when a netpoll_break interrupted it (blocking polls only).
bool netpoll(int64_t timeout_ns, IoList& out);
// Interrupt a blocking netpoll.
void netpoll_break();

// Scheduler hooks (see above).
// Idle M sleep: futex, or epoll when it becomes the poller. Returns true if
// woken (possibly spuriously) rather than timed out; fds that became ready
// leave their woken parties in out (not yet woken).
bool netpoll_idle_block(M* m, int64_t timeout_ns, IoList& out);
// start_m handed m a P: if m is blocked in epoll, interrupt it.
void netpoll_wake_m(M* m);
// A non-blocking poll when someone waits on an fd and nobody blocks in
// epoll. Returns true if it woke anyone (on the caller's P).
bool netpoll_poll_if_needed();
// sysmon: poll if parties wait and nobody polled for 10 ms.
void netpoll_sysmon(int64_t now_ns);
// A plain thread is about to block on an fd: make sure some M will poll.
void netpoll_ensure_poller();

}  // namespace goro::rt
