// Home wake: a P's inbox of goroutines woken on other Ps and sent back to
// the P they last ran on (ready_handoff's displacing path), and the ways
// the inbox is emptied (its owner's next look for work, a thief, or the
// waker taking it back).
//
// Owns: P::inbox and G::inbox_link. The inbox is a LIFO list that any M
// pushes onto with a CAS and that is only ever taken whole (an exchange),
// so no ABA. Invariant (no lost wake-up, scheduler.hpp): the waker pushes
// only while home's running_g is set and re-reads it after the push
// (seq_cst); the owner clears running_g (seq_cst) whenever its P stops
// running goroutines, before it next looks at the inbox (local_get,
// hand_off_p). Either the owner sees the G, or the waker sees the flag clear
// and takes the inbox back onto its own ring. Spinning Ms steal inboxes
// (steal_inbox); sysmon counts a non-empty inbox as waiting work.
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

// Takes p's whole inbox, oldest first (still linked through inbox_link).
G* take_inbox(P* p) {
  G* g = p->inbox.exchange(nullptr, std::memory_order_acq_rel);
  G* oldest_first = nullptr;
  while (g) {
    G* next = g->inbox_link;
    g->inbox_link = oldest_first;
    oldest_first = g;
    g = next;
  }
  return oldest_first;
}

// Owner of p only: queues a list from take_inbox on p's ring.
void queue_on_ring(P* p, G* list) {
  while (list) {
    G* next = list->inbox_link;
    list->inbox_link = nullptr;
    local_put(p, list, false);
    list = next;
  }
}

}  // namespace

// Out of line (its own file): inlined into local_get, it grew the park
// path's frame by 16 bytes, which put one more line of the
// resumed goroutine's stack in every switch (cachegrind, sieve at 1 proc:
// +15% read misses).
void move_inbox_to_ring(P* p) { queue_on_ring(p, take_inbox(p)); }

G* steal_inbox(P* victim, P* mine) {
  if (!victim->inbox.load(std::memory_order_relaxed)) return nullptr;
  G* list = take_inbox(victim);
  if (!list) return nullptr;
  G* rest = list->inbox_link;
  list->inbox_link = nullptr;
  queue_on_ring(mine, rest);
  return list;
}

// Once in eight times g displaces runnext anyway, so that the way goroutines
// are split between Ps can still change (always sending them home froze
// whatever split a pipeline started with). Nobody is woken for a G sent
// home: home's M takes it at its next switch (P::inbox).
bool send_home(M* m, G* g, P* home) {
  if (!home->running_g.load(std::memory_order_relaxed) || (fast_rand(m) & 7) == 0) return false;
  G* head = home->inbox.load(std::memory_order_relaxed);
  do {
    g->inbox_link = head;
  } while (!home->inbox.compare_exchange_weak(head, g, std::memory_order_seq_cst,
                                              std::memory_order_relaxed));
  if (home->running_g.load(std::memory_order_seq_cst)) return true;
  // home's M stopped running goroutines and may have looked at its inbox
  // already: take the inbox back (with whatever else is in it).
  if (G* list = take_inbox(home)) {
    queue_on_ring(m->p, list);
    wake_if_idle_p();
  }
  return true;
}

}  // namespace goro::rt
