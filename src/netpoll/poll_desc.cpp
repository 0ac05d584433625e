// PollDesc pool, parking on a side, readiness, deadlines and eviction.
// See poll_desc.hpp for the invariants.
//
// Locking: pool_lock protects the free list (a leaf lock). Each PollDesc's
// fields are protected by its own lock; deadline timers are started and
// stopped under it (PollDesc lock -> timer heap lock is the allowed order).
#include "netpoll/poll_desc.hpp"

#include "netpoll/netpoll.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

RuntimeMutex pool_lock;
PollDesc* free_list = nullptr;
std::atomic<int64_t> waiting_count{0};

// Timer callback of a side's deadline. Runs with no timer lock held.
void deadline_fired(TimerEntry* t, int64_t, uint64_t seq) {
  auto* pd = static_cast<PollDesc*>(t->arg);
  PollSide& s = t == &pd->side[0].timer ? pd->side[0] : pd->side[1];
  IoWait* w = nullptr;
  pd->lock.lock();
  if (s.seq == seq && s.deadline != 0) {
    s.expired = true;
    if ((w = s.waiting)) {
      s.waiting = nullptr;
      w->result = IoResult::timeout;
      waiting_count.fetch_sub(1);
    }
  }
  pd->lock.unlock();
  if (w) w->waiter.wake();
}

// pd->lock held: take the side's waiter (if any) with this outcome.
IoWait* take_waiter(PollSide& s, IoResult result) {
  IoWait* w = s.waiting;
  if (w) {
    s.waiting = nullptr;
    w->result = result;
    waiting_count.fetch_sub(1);
  }
  return w;
}

}  // namespace

void IoList::wake_all() {
  for (int i = 0; i < n; ++i) items[i]->waiter.wake();  // wake() is the last touch
  n = 0;
}

int64_t io_waiters() { return waiting_count.load(); }

PollDesc* poll_desc_alloc(int fd) {
  pool_lock.lock();
  PollDesc* pd = free_list;
  if (pd) free_list = pd->next_free;
  pool_lock.unlock();
  if (!pd) {
    pd = new PollDesc;  // never freed: late events may still name it
    for (PollSide& s : pd->side) {
      s.timer.fire = deadline_fired;
      s.timer.arg = pd;
    }
  }
  pd->lock.lock();
  pd->fd = fd;
  pd->closing = false;
  pd->reads_stop_short = false;
  for (PollSide& s : pd->side) {
    s.ready = false;
    s.expired = false;
    s.deadline = 0;
    ++s.seq;
  }
  pd->lock.unlock();
  return pd;
}

void poll_desc_free(PollDesc* pd) {
  pd->lock.lock();
  pd->fd = -1;
  pd->closing = true;
  ++pd->gen;
  for (PollSide& s : pd->side) {
    ++s.seq;
    timer_stop(&s.timer);
    s.ready = false;
  }
  pd->lock.unlock();
  pool_lock.lock();
  pd->next_free = free_list;
  free_list = pd;
  pool_lock.unlock();
}

IoResult poll_desc_prepare(PollDesc* pd, IoMode mode, bool consume_edge) {
  PollSide& s = pd->side[int(mode)];
  pd->lock.lock();
  IoResult r = pd->closing ? IoResult::closed : s.expired ? IoResult::timeout : IoResult::ready;
  if (consume_edge && r == IoResult::ready && !pd->reads_stop_short) s.ready = false;
  pd->lock.unlock();
  return r;
}

namespace {

IoResult wait_side(PollDesc* pd, IoMode mode, bool after_drain, std::source_location where) {
  PollSide& s = pd->side[int(mode)];
  pd->lock.lock();
  if (pd->closing) {
    pd->lock.unlock();
    return IoResult::closed;
  }
  if (s.expired) {
    pd->lock.unlock();
    return IoResult::timeout;
  }
  if (s.ready || (after_drain && pd->reads_stop_short)) {
    s.ready = false;
    pd->lock.unlock();
    return IoResult::ready;
  }
  IoWait w;
  s.waiting = &w;
  waiting_count.fetch_add(1);
  // A goroutine's own M polls once it runs out of work; a plain thread has
  // no M, so make sure one exists and polls.
  if (!w.waiter.is_goroutine()) netpoll_ensure_poller();
  w.waiter.block(
      "IO wait", [](void* lock) { static_cast<RuntimeMutex*>(lock)->unlock(); }, &pd->lock, where);
  return w.result;
}

}  // namespace

IoResult poll_desc_wait(PollDesc* pd, IoMode mode, std::source_location where) {
  return wait_side(pd, mode, false, where);
}

IoResult poll_desc_wait_drained(PollDesc* pd, std::source_location where) {
  return wait_side(pd, IoMode::read, true, where);
}

void poll_desc_notify(PollDesc* pd, uint32_t tag, bool readable, bool writable, bool stop_short,
                      IoList& out) {
  pd->lock.lock();
  if ((pd->gen & 0xffff) == tag && pd->fd >= 0) {
    if (stop_short) pd->reads_stop_short = true;
    if (readable) {
      if (IoWait* w = take_waiter(pd->side[0], IoResult::ready))
        out.push(w);
      else
        pd->side[0].ready = true;
    }
    if (writable) {
      if (IoWait* w = take_waiter(pd->side[1], IoResult::ready))
        out.push(w);
      else
        pd->side[1].ready = true;
    }
  }
  pd->lock.unlock();
}

void poll_desc_set_deadline(PollDesc* pd, bool read, bool write, int64_t when_ns) {
  IoWait* woken[2] = {nullptr, nullptr};
  int64_t now = monotonic_ns();
  pd->lock.lock();
  for (int i = 0; i < 2; ++i) {
    if (!(i == 0 ? read : write)) continue;
    PollSide& s = pd->side[i];
    ++s.seq;  // an arming already firing finds a newer seq and does nothing
    timer_stop(&s.timer);
    s.deadline = when_ns;
    s.expired = false;
    if (when_ns == 0 || pd->closing) continue;
    if (when_ns <= now) {
      s.expired = true;
      woken[i] = take_waiter(s, IoResult::timeout);
      continue;
    }
    s.timer.when = when_ns;
    s.timer.seq = s.seq;
    timer_start(&s.timer);
  }
  pd->lock.unlock();
  for (IoWait* w : woken)
    if (w) w->waiter.wake();
}

void poll_desc_evict(PollDesc* pd) {
  IoWait* woken[2];
  pd->lock.lock();
  pd->closing = true;
  for (int i = 0; i < 2; ++i) {
    PollSide& s = pd->side[i];
    ++s.seq;
    timer_stop(&s.timer);
    woken[i] = take_waiter(s, IoResult::closed);
  }
  pd->lock.unlock();
  for (IoWait* w : woken)
    if (w) w->waiter.wake();
}

}  // namespace goro::rt
