// The wait queue and the counting semaphore (SyncSema) under goro/sync.hpp.
// See wait_queue.hpp for the queue's rules.
#include "sync/wait_queue.hpp"

namespace goro::detail {

void queue_lock_slow(SyncWaitQueue& q) {
  // Critical sections are a few pointer moves: spin briefly before sleeping.
  for (int spin = 0; spin < 100; ++spin) {
    uint32_t unlocked = 0;
    if (q.lock.load(std::memory_order_relaxed) == 0 &&
        q.lock.compare_exchange_weak(unlocked, 1, std::memory_order_acquire,
                                     std::memory_order_relaxed))
      return;
    rt::cpu_relax();
  }
  while (q.lock.exchange(2, std::memory_order_acquire) != 0) rt::futex_wait(q.lock, 2);
}

void queue_unlock_callback(void* arg) { queue_unlock(*static_cast<SyncWaitQueue*>(arg)); }

bool queue_remove(SyncWaitQueue& q, SyncWaitNode* n) {
  SyncWaitNode* prev = nullptr;
  for (SyncWaitNode* it = q.head; it; prev = it, it = it->next) {
    if (it != n) continue;
    if (prev)
      prev->next = n->next;
    else
      q.head = n->next;
    if (q.tail == n) q.tail = prev;
    n->next = nullptr;
    return true;
  }
  return false;
}

void queue_block(SyncWaitQueue& q, SyncWaitNode& n, const char* reason,
                 const std::source_location& where) {
  n.waiter.block(reason, queue_unlock_callback, &q, where);
  n.await_granted();
}

namespace {
void unlock_nothing(void*) {}
}  // namespace

void queue_block_forever(SyncWaitQueue& q, const char* reason, const std::source_location& where) {
  rt::Waiter w;
  w.block(reason, queue_unlock_callback, &q, where);
  for (;;) w.block(reason, unlock_nothing, nullptr, where);  // nobody wakes it
}

void wake_chain(SyncWaitNode* chain) {
  while (chain) {
    SyncWaitNode* next = chain->next;  // read before the party can go away
    chain->granted.store(true, std::memory_order_release);
    chain->waiter.wake();
    chain = next;
  }
}

void SyncSema::acquire(bool lifo, const char* reason, const std::source_location& where) {
  queue_lock(queue_);
  if (count_ > 0) {
    --count_;
    queue_unlock(queue_);
    return;
  }
  SyncWaitNode n;
  if (lifo)
    queue_push_front(queue_, &n);
  else
    queue_push_back(queue_, &n);
  queue_block(queue_, n, reason, where);  // the releaser handed us its unit
}

void SyncSema::release(uint32_t n) {
  SyncWaitNode* chain = nullptr;
  SyncWaitNode** link = &chain;
  queue_lock(queue_);
  for (; n > 0; --n) {
    SyncWaitNode* w = queue_pop_front(queue_);
    if (!w) break;
    *link = w;
    link = &w->next;
  }
  count_ += n;  // units nobody was waiting for
  queue_unlock(queue_);
  wake_chain(chain);
}

}  // namespace goro::detail
