// Channels (Go's hchan): make, send, receive, close, len, cap.
//
// Data: a lock; a ring buffer of cap slots holding `count` constructed
// elements from recvx (buffered channels only); FIFO queues of blocked
// senders (sendq) and receivers (recvq), whose records (Sudogs) live on the
// blocked parties' stacks.
//
// Invariants, under the lock (ignoring select Sudogs whose select already
// fired elsewhere and that have not been unlinked yet):
// - at least one of sendq and recvq is empty;
// - count > 0 implies recvq is empty (receivers take from the buffer first);
// - count < cap implies sendq is empty (senders fill the buffer first);
// - closed implies sendq is empty (close wakes every sender; they panic).
//
// Hand-over rule (Go's): the party completing an operation removes the
// partner's Sudog from its queue, moves the value into (or out of) the
// partner's slot and sets `success`, all under the channel lock; it releases
// the lock and only then wakes the partner. A blocked sender therefore
// returns only after a receiver has taken its value.
#include <new>

#include "chan/chan_impl.hpp"
#include "goro/panic.hpp"

namespace goro::detail {

namespace {

void unlock_chan(void* arg) { static_cast<ChanCore*>(arg)->lock.unlock(); }

// With c locked: queue the caller on q with its value slot `elem`, release
// the lock and block until a partner or close completes the operation.
// Returns whether it completed (false: the channel was closed).
bool wait_in_queue(ChanCore* c, WaitQueue& q, void* elem, const char* reason,
                   const std::source_location& where) {
  rt::Waiter w;
  Sudog me;
  me.waiter = &w;
  me.chan = c;
  me.elem = elem;
  q.push_back(&me);
  w.block(reason, unlock_chan, c, where);
  return me.success;
}
void unlock_nothing(void*) {}

constexpr std::size_t round_up(std::size_t n, std::size_t align) {
  return (n + align - 1) / align * align;
}

std::size_t header_size(const ElemOps* ops) {
  return round_up(sizeof(ChanCore),
                  ops->align < alignof(ChanCore) ? alignof(ChanCore) : ops->align);
}

std::align_val_t chan_align(const ElemOps* ops) {
  return std::align_val_t(ops->align < alignof(ChanCore) ? alignof(ChanCore) : ops->align);
}

}  // namespace

void block_forever(const char* reason, const std::source_location& where) {
  rt::Waiter w;
  for (;;) w.block(reason, unlock_nothing, nullptr, where);  // nobody ever wakes it
}

ChanCore* chan_make(const ElemOps* ops, long long cap) {
  constexpr std::size_t max_bytes = std::size_t(1) << 40;
  if (cap < 0 || (ops->size != 0 && std::size_t(cap) > max_bytes / ops->size))
    panic("makechan: size out of range");
  const std::size_t header = header_size(ops);
  void* mem = ::operator new(header + std::size_t(cap) * ops->size, chan_align(ops));
  auto* c = ::new (mem) ChanCore;
  c->ops = ops;
  c->cap = std::size_t(cap);
  c->buf = static_cast<unsigned char*>(mem) + header;
  return c;
}

void chan_retain(ChanCore* c) noexcept { c->refs.fetch_add(1, std::memory_order_relaxed); }

void chan_release(ChanCore* c) noexcept {
  if (c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // Nobody else can reach the channel: no waiters (they hold references).
  if (c->on_free) c->on_free(c->on_free_arg);
  for (std::size_t i = 0, n = c->size(); i < n; ++i)
    c->destroy_elem(c->slot((c->recvx + i) % c->cap));
  const std::align_val_t align = chan_align(c->ops);
  c->~ChanCore();
  ::operator delete(static_cast<void*>(c), align);
}

bool chan_send(ChanCore* c, void* src, bool block, const std::source_location& where) {
  if (!c) {
    if (!block) return false;
    block_forever("chan send (nil chan)", where);
  }
  // Go's fast path: a non-blocking send that cannot proceed fails without
  // the lock. Not closed (read after the fullness check) and full at that
  // moment: a closed channel never reopens, so both held at once.
  if (!block && !send_ready_hint(c) && !c->is_closed()) return false;
  c->lock.lock();
  if (c->is_closed()) {
    c->lock.unlock();
    panic("send on closed channel");
  }
  if (Sudog* r = c->recvq.dequeue()) {
    Sudog* partner = send_to_receiver(c, r, src);
    c->lock.unlock();
    wake_partner(partner);
    return true;
  }
  if (c->size() < c->cap) {
    buffer_put(c, src);
    c->lock.unlock();
    return true;
  }
  if (!block) {
    c->lock.unlock();
    return false;
  }
  // The waker unlinked us and recorded the outcome before waking us.
  if (!wait_in_queue(c, c->sendq, src, "chan send", where)) panic("send on closed channel");
  return true;
}

RecvStatus chan_recv(ChanCore* c, void* dst, bool block, const std::source_location& where) {
  if (!c) {
    if (!block) return RecvStatus::would_block;
    block_forever("chan receive (nil chan)", where);
  }
  // Go's fast path: empty and (read after that) not closed means nothing
  // could be received at that moment.
  if (!block && !recv_ready_hint(c) && !c->is_closed()) return RecvStatus::would_block;
  c->lock.lock();
  if (c->is_closed() && c->size() == 0) {
    c->lock.unlock();
    return RecvStatus::closed;
  }
  if (Sudog* s = c->sendq.dequeue()) {
    Sudog* partner = recv_from_sender(c, s, dst);
    c->lock.unlock();
    wake_partner(partner);
    return RecvStatus::received;
  }
  if (c->size() > 0) {
    buffer_take(c, dst);
    c->lock.unlock();
    return RecvStatus::received;
  }
  if (!block) {
    c->lock.unlock();
    return RecvStatus::would_block;
  }
  return wait_in_queue(c, c->recvq, dst, "chan receive", where) ? RecvStatus::received
                                                                : RecvStatus::closed;
}

void chan_close(ChanCore* c, const std::source_location&) {
  if (!c) panic("close of nil channel");
  c->lock.lock();
  if (c->is_closed()) {
    c->lock.unlock();
    panic("close of closed channel");
  }
  c->closed.store(true, std::memory_order_relaxed);
  // Collect every waiter in FIFO order (receivers get "closed", senders
  // will panic), chained through their now unused `next` links (dequeue
  // cleared them), and wake them after unlocking.
  Sudog* wake_list = nullptr;
  Sudog** tail = &wake_list;
  for (WaitQueue* q : {&c->recvq, &c->sendq}) {
    while (Sudog* s = q->dequeue()) {
      s->success = false;
      *tail = s;
      tail = &s->next;
    }
  }
  c->lock.unlock();
  while (wake_list) {
    Sudog* s = wake_list;
    wake_list = s->next;  // read before waking: s dies with its owner's frame
    s->waiter->wake();
  }
}

std::size_t chan_len(const ChanCore* c) noexcept { return c ? c->size() : 0; }
std::size_t chan_cap(const ChanCore* c) noexcept { return c ? c->cap : 0; }

}  // namespace goro::detail
