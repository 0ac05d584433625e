// Per-P timer heaps. See timer_heap.hpp for invariants and lock order.
#include "time/timer_heap.hpp"

#include <algorithm>

#include "goro/runtime.hpp"
#include "sched/scheduler.hpp"
#include "time/timer_sleeper.hpp"

namespace goro::rt {

namespace {

constexpr int arity = 4;

void place(std::vector<TimerSlot>& h, int i, TimerSlot slot) {
  h[i] = slot;
  slot.entry->index = i;
}

void sift_up(std::vector<TimerSlot>& h, int i) {
  TimerSlot moving = h[i];
  while (i > 0) {
    int parent = (i - 1) / arity;
    if (h[parent].when <= moving.when) break;
    place(h, i, h[parent]);
    i = parent;
  }
  place(h, i, moving);
}

void sift_down(std::vector<TimerSlot>& h, int i) {
  int n = int(h.size());
  TimerSlot moving = h[i];
  for (;;) {
    int first = i * arity + 1;
    if (first >= n) break;
    int best = first;
    int end = std::min(first + arity, n);
    for (int c = first + 1; c < end; ++c)
      if (h[c].when < h[best].when) best = c;
    if (h[best].when >= moving.when) break;
    place(h, i, h[best]);
    i = best;
  }
  place(h, i, moving);
}

void heap_push(TimerHeap& th, TimerEntry* t) {
  th.heap.push_back({t->when, t});
  sift_up(th.heap, int(th.heap.size()) - 1);
}

void heap_remove(TimerHeap& th, TimerEntry* t) {
  int i = t->index;
  TimerSlot last = th.heap.back();
  th.heap.pop_back();
  t->index = -1;
  if (last.entry != t) {
    place(th.heap, i, last);
    sift_down(th.heap, i);
    sift_up(th.heap, last.entry->index);
  }
}

// Stores only a changed value, so readers on other CPUs keep their copy of
// the line while timers are added behind the earliest.
void publish_next(TimerHeap& th) {
  int64_t next = th.heap.empty() ? no_timer : th.heap[0].when;
  if (th.next_when.load(std::memory_order_relaxed) != next)
    th.next_when.store(next, std::memory_order_release);
}

}  // namespace

std::atomic<int64_t> coarse_now{0};

void refresh_coarse_now() { coarse_now.store(monotonic_ns(), std::memory_order_relaxed); }

void timer_start(TimerEntry* t) {
  Sched& s = sched();
  P* p = nullptr;
  {
    RuntimeSection section;
    M* m = current_m();
    p = m && m->p ? m->p : s.allp[uint64_t(reinterpret_cast<uintptr_t>(t) >> 6) % s.allp.size()];
    // p may be handed off after the section; that is fine: heaps belong to
    // Ps, not Ms, and are locked.
  }
  TimerHeap& th = p->timers;
  // Once the lock is released the timer may fire on another M and its owner
  // may reuse *t at once: read nothing from t after unlocking.
  const int64_t when = t->when;
  th.lock.lock();
  t->owner.store(p, std::memory_order_relaxed);
  heap_push(th, t);
  bool earliest = th.heap[0].entry == t;
  publish_next(th);
  th.lock.unlock();
  if (earliest) {
    // The idle M sleeping until the earliest timer may have to wake sooner.
    store_load_barrier();
    timer_sleeper_notify(when);
  }
}

bool timer_stop(TimerEntry* t) {
  for (;;) {
    P* p = t->owner.load(std::memory_order_acquire);
    if (!p) return false;
    TimerHeap& th = p->timers;
    th.lock.lock();
    if (t->owner.load(std::memory_order_relaxed) != p) {
      th.lock.unlock();
      continue;
    }
    bool queued = t->index >= 0;
    if (queued) {
      heap_remove(th, t);
      publish_next(th);
    }
    th.lock.unlock();
    return queued;
  }
}

bool timer_stop_and_wait(TimerEntry* t) {
  bool queued = timer_stop(t);
  timer_wait_idle(t);
  return queued;
}

void timer_wait_idle(TimerEntry* t) {
  // The callback runs on an M that holds a P and never blocks, so this wait
  // is short; yield meanwhile so a single P can make progress.
  for (int spins = 0; t->firing.load(std::memory_order_acquire) != 0; ++spins) {
    if (spins < 64)
      cpu_relax();
    else
      goro::yield();
  }
}

void timers_run_due(P* p, int64_t now, bool unless_busy) {
  TimerHeap& th = p->timers;
  if (th.next_when.load(std::memory_order_acquire) > now) return;
  TimerEntry* due[64];
  int64_t fire_at[64];
  uint64_t fire_seq[64];
  for (;;) {
    int n = 0;
    if (!unless_busy)
      th.lock.lock();
    else if (!th.lock.try_lock())
      return;
    while (n < 64 && !th.heap.empty() && th.heap[0].when <= now) {
      TimerEntry* t = th.heap[0].entry;
      fire_at[n] = t->when;
      fire_seq[n] = t->seq;
      t->firing.fetch_add(1, std::memory_order_relaxed);
      due[n++] = t;
      if (t->period > 0) {
        // Skip missed periods, as Go's ticker drops ticks for slow receivers.
        t->when += t->period * (1 + (now - t->when) / t->period);
        th.heap[0].when = t->when;
        sift_down(th.heap, 0);
      } else {
        heap_remove(th, t);
      }
    }
    publish_next(th);
    th.lock.unlock();
    for (int i = 0; i < n; ++i) {
      due[i]->fire(due[i], fire_at[i], fire_seq[i]);
      due[i]->firing.fetch_sub(1, std::memory_order_release);  // last touch of due[i]
    }
    if (n < 64) return;
  }
}

int64_t timers_next_when(P* p) { return p->timers.next_when.load(std::memory_order_acquire); }

bool timers_pending(P* p) { return timers_next_when(p) != no_timer; }

int64_t timers_earliest() {
  int64_t best = no_timer;
  for (P* p : sched().allp) best = std::min(best, timers_next_when(p));
  return best;
}

}  // namespace goro::rt
