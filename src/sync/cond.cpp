// goro::Cond: a FIFO of waiting parties. wait() queues its node before it
// unlocks the mutex, so a signal sent after that cannot be missed; it then
// blocks only if no signal has reached the node in the meantime. Both steps
// happen under the queue lock, so a signaller knows whether the party has
// blocked (and needs wake()) or will see `granted` and not block at all.
#include "goro/sync.hpp"
#include "sync/wait_queue.hpp"

namespace goro {

using detail::SyncWaitNode;

void Cond::wait(std::source_location where) {
  SyncWaitNode n;
  detail::queue_lock(queue_);
  detail::queue_push_back(queue_, &n);
  detail::queue_unlock(queue_);
  try {
    mutex_.unlock();
  } catch (...) {  // the mutex was not locked: leave no dangling node behind
    detail::queue_lock(queue_);
    detail::queue_remove(queue_, &n);
    detail::queue_unlock(queue_);
    throw;
  }
  detail::queue_lock(queue_);
  if (n.granted.load(std::memory_order_relaxed)) {
    detail::queue_unlock(queue_);
    n.await_granted();
  } else {
    n.blocking = true;
    detail::queue_block(queue_, n, "sync.Cond.Wait", where);
  }
  mutex_.lock(where);
}

void Cond::signal() {
  detail::queue_lock(queue_);
  SyncWaitNode* n = detail::queue_pop_front(queue_);
  if (!n) {
    detail::queue_unlock(queue_);
    return;
  }
  n->granted.store(true, std::memory_order_release);
  const bool blocked = n->blocking;  // if not, n may vanish once we unlock
  detail::queue_unlock(queue_);
  if (blocked) detail::wake_chain(n);
}

void Cond::broadcast() {
  SyncWaitNode* chain = nullptr;
  SyncWaitNode** link = &chain;
  detail::queue_lock(queue_);
  while (SyncWaitNode* n = detail::queue_pop_front(queue_)) {
    n->granted.store(true, std::memory_order_release);
    if (n->blocking) {  // only blocked parties wait for wake(); the rest see `granted`
      *link = n;
      link = &n->next;
    }
  }
  detail::queue_unlock(queue_);
  detail::wake_chain(chain);
}

}  // namespace goro
