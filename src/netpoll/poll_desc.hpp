// PollDesc: the poller's record of one file descriptor, and the parking of
// goroutines (or plain threads) that wait for it to become readable or
// writable. Go's runtime/netpoll.go pollDesc.
//
// Owns: per side (read, write) the one party waiting on it, the readiness
// token left by an edge that arrived while nobody waited, the side's
// deadline, its timer and whether it has expired; the `closing` flag.
//
// Invariants:
// - Every field is protected by PollDesc::lock, except `timer` internals
//   (the timer heap's lock) and the constant timer.fire/timer.arg.
// - A side holds at most one waiter (callers serialise readers and writers
//   among themselves). A waker takes the waiter out of the side, stores the
//   outcome in it, releases the lock, and only then wakes it (Waiter rule).
// - PollDescs are never freed: they return to a free list and are reused,
//   so a late epoll event or deadline timer may only find a stale one. `gen`
//   (bumped on reuse, carried in the epoll event) and the sides' `seq`
//   (bumped whenever a deadline changes or the PollDesc closes or is reused,
//   carried by the timer) make such stale notifications no-ops.
// Lock order: PollDesc::lock -> timer heap lock -> Sched::lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <source_location>

#include "sched/futex.hpp"
#include "sched/waiter.hpp"
#include "time/timer_heap.hpp"

namespace goro::rt {

enum class IoMode : int { read = 0, write = 1 };

// How a wait on a PollDesc side ended.
enum class IoResult : int { ready = 0, closed = 1, timeout = 2 };

// A party parked on one side; lives on that party's stack.
struct IoWait {
  Waiter waiter;
  IoResult result = IoResult::ready;
};

struct PollSide {
  IoWait* waiting = nullptr;
  bool ready = false;    // an edge arrived and nobody consumed it yet
  bool expired = false;  // the deadline has passed
  int64_t deadline = 0;  // monotonic ns; 0: none
  uint64_t seq = 0;      // arming number of `timer`
  TimerEntry timer;      // fire/arg set once, at allocation
};

struct PollDesc {
  RuntimeMutex lock;
  int fd = -1;
  uint32_t gen = 0;
  bool closing = false;
  // Epoll reported urgent data, a read hang-up or an error: a read may now
  // return short (at the urgent mark, or before the EOF or error) with more
  // to report and no edge to come, so readiness tokens are no longer
  // dropped before reads (poll_desc_prepare's consume_edge) and a drained
  // socket is read again rather than waited for (poll_desc_wait_drained).
  bool reads_stop_short = false;
  PollSide side[2];
  PollDesc* next_free = nullptr;  // under the pool's lock
};

// Parties woken by one poll, to wake once no PollDesc lock is held.
struct IoList {
  static constexpr int capacity = 256;
  IoWait* items[capacity];
  int n = 0;
  bool empty() const { return n == 0; }
  void push(IoWait* w) { items[n++] = w; }
  // Wake everyone (goroutines are readied on the caller's P if it has one).
  void wake_all();
};

// A PollDesc for fd (from the pool), reset to open with no deadlines.
PollDesc* poll_desc_alloc(int fd);
// Back to the pool; the fd must already be out of epoll (closed).
void poll_desc_free(PollDesc* pd);

// Before an I/O attempt: closed or timed out already? (ready otherwise)
// With consume_edge, a pending readiness token is dropped: the attempt that
// follows sees everything that arrived before it, and anything arriving
// later leaves a new token (see NetFD::read's drained-socket wait).
IoResult poll_desc_prepare(PollDesc* pd, IoMode mode, bool consume_edge = false);
// Park until the side becomes ready (an edge), the deadline passes or the
// PollDesc closes. Consumes a pending readiness token without parking.
IoResult poll_desc_wait(PollDesc* pd, IoMode mode,
                        std::source_location where = std::source_location::current());
// The read side after a read emptied a stream socket's receive queue: as
// poll_desc_wait, but returns ready at once once reads_stop_short is set
// (a read must then find out itself whether more is there).
IoResult poll_desc_wait_drained(PollDesc* pd,
                                std::source_location where = std::source_location::current());
// An epoll edge for pd: ready the sides named (`stop_short`: the event
// also reported urgent data, a hang-up or an error; see reads_stop_short).
// `tag` is the gen the event was registered with; a mismatch means pd was
// reused and the event is old.
void poll_desc_notify(PollDesc* pd, uint32_t tag, bool readable, bool writable, bool stop_short,
                      IoList& out);
// Set (when_ns > 0) or clear (0) the deadline of the given sides. A
// deadline not in the future expires at once, waking a waiter.
void poll_desc_set_deadline(PollDesc* pd, bool read, bool write, int64_t when_ns);
// Mark closing and wake every waiter with IoResult::closed.
void poll_desc_evict(PollDesc* pd);

// Number of parties parked on any PollDesc now.
int64_t io_waiters();

}  // namespace goro::rt
