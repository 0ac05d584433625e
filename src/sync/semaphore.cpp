// goro::Semaphore (x/sync/semaphore.Weighted): the held weight and a FIFO of
// waiters, each with its requested weight, all under the queue lock.
// Releases serve waiters strictly from the head and stop at the first whose
// request does not fit, so a large request is never overtaken.
#include "goro/semaphore.hpp"

#include "goro/panic.hpp"
#include "sync/wait_queue.hpp"

namespace goro {

using detail::SyncWaitNode;

void Semaphore::acquire(int64_t n, std::source_location where) {
  detail::queue_lock(queue_);
  if (size_ - cur_ >= n && queue_.head == nullptr) {
    cur_ += n;
    detail::queue_unlock(queue_);
    return;
  }
  if (n > size_) {
    // Can never be satisfied; do not hold up the requests queued behind it.
    detail::queue_block_forever(queue_, "semaphore.Acquire (more than the size)", where);
  }
  SyncWaitNode node;
  node.weight = n;
  detail::queue_push_back(queue_, &node);
  detail::queue_block(queue_, node, "semaphore.Acquire", where);  // release added our weight
}

bool Semaphore::try_acquire(int64_t n) {
  detail::queue_lock(queue_);
  const bool ok = size_ - cur_ >= n && queue_.head == nullptr;
  if (ok) cur_ += n;
  detail::queue_unlock(queue_);
  return ok;
}

void Semaphore::release(int64_t n) {
  SyncWaitNode* chain = nullptr;
  SyncWaitNode** link = &chain;
  detail::queue_lock(queue_);
  if (n > cur_) {
    detail::queue_unlock(queue_);
    panic("semaphore: released more than held");
  }
  cur_ -= n;
  while (queue_.head && size_ - cur_ >= queue_.head->weight) {
    SyncWaitNode* w = detail::queue_pop_front(queue_);
    cur_ += w->weight;
    *link = w;
    link = &w->next;
  }
  detail::queue_unlock(queue_);
  detail::wake_chain(chain);
}

}  // namespace goro
