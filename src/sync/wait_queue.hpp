// The wait queue behind goro/sync.hpp and goro/semaphore.hpp: a futex lock
// word plus an intrusive singly linked FIFO of SyncWaitNodes, each living on
// the stack of the party blocked in it.
//
// Rules (the Waiter's): a node is pushed and popped only with the queue lock
// held; a party blocks with Waiter::block, which releases the queue lock only
// once the wake-up cannot be missed. Whoever pops a blocked node sets its
// `granted` flag (release) and, after releasing the queue lock, calls
// wake() exactly once. After wake() (or, for a node that is not blocked, after
// the queue lock is released) the waker must not touch the node again: the
// woken party may already have returned and reused its stack.
#pragma once

#include <atomic>
#include <cstdint>
#include <source_location>

#include "goro/sync.hpp"
#include "sched/waiter.hpp"

namespace goro::detail {

struct SyncWaitNode {
  rt::Waiter waiter;  // captures the calling goroutine or thread
  SyncWaitNode* next = nullptr;
  // Set by the party that dequeued this node, before wake(); read with
  // acquire by the woken party, which orders the waker's writes before it.
  std::atomic<bool> granted{false};
  bool blocking = false;  // Cond: the party has called block() (under the lock)
  int64_t weight = 0;     // Semaphore: the requested weight

  // Called by the woken party once block() has returned.
  void await_granted() {
    while (!granted.load(std::memory_order_acquire)) rt::cpu_relax();
  }
};

void queue_lock_slow(SyncWaitQueue& q);

inline void queue_lock(SyncWaitQueue& q) {
  uint32_t unlocked = 0;
  if (q.lock.compare_exchange_strong(unlocked, 1, std::memory_order_acquire,
                                     std::memory_order_relaxed))
    return;
  queue_lock_slow(q);
}

inline void queue_unlock(SyncWaitQueue& q) {
  if (q.lock.exchange(0, std::memory_order_release) == 2) rt::futex_wake(q.lock, 1);
}

// For Waiter::block: arg is the SyncWaitQueue whose lock to release.
void queue_unlock_callback(void* arg);

inline void queue_push_back(SyncWaitQueue& q, SyncWaitNode* n) {
  n->next = nullptr;
  if (q.tail)
    q.tail->next = n;
  else
    q.head = n;
  q.tail = n;
}

inline void queue_push_front(SyncWaitQueue& q, SyncWaitNode* n) {
  n->next = q.head;
  q.head = n;
  if (!q.tail) q.tail = n;
}

inline SyncWaitNode* queue_pop_front(SyncWaitQueue& q) {
  SyncWaitNode* n = q.head;
  if (n) {
    q.head = n->next;
    if (!q.head) q.tail = nullptr;
    n->next = nullptr;
  }
  return n;
}

// Unlink n if it is in q; returns whether it was.
bool queue_remove(SyncWaitQueue& q, SyncWaitNode* n);

// Block the calling party on n, which the caller has just queued in q with
// q's lock held; returns after it has been dequeued, granted and woken.
void queue_block(SyncWaitQueue& q, SyncWaitNode& n, const char* reason,
                 const std::source_location& where);

// Block the calling party forever; q's lock (held) is released.
[[noreturn]] void queue_block_forever(SyncWaitQueue& q, const char* reason,
                                      const std::source_location& where);

// Wake a chain of dequeued nodes linked through `next` (the queue lock must
// no longer be held): sets each one's granted flag and wakes it.
void wake_chain(SyncWaitNode* chain);

}  // namespace goro::detail
