// goro::WaitGroup slow paths (Go's algorithm): the state word holds the
// counter (high half) and the number of blocked waiters (low half); waiters
// sleep on a SyncSema and the add that brings the counter to zero resets the
// word and releases one unit per waiter.
#include "goro/panic.hpp"
#include "goro/sync.hpp"

namespace goro {

void WaitGroup::add_slow(int delta, uint64_t state) {
  const auto v = int32_t(uint32_t(state >> 32));
  const auto w = uint32_t(state);
  if (v < 0) {
    state_.fetch_sub(uint64_t(int64_t(delta)) << 32, std::memory_order_relaxed);  // undo
    panic("sync: negative WaitGroup counter");
  }
  if (w != 0 && delta > 0 && v == delta)
    panic("sync: WaitGroup misuse: Add called concurrently with Wait");
  if (v > 0 || w == 0) return;
  // The counter is zero with waiters: nobody may change the state now (no
  // add, no new wait) but this call, which resets it for reuse.
  if (state_.load(std::memory_order_relaxed) != state)
    panic("sync: WaitGroup misuse: Add called concurrently with Wait");
  state_.store(0, std::memory_order_relaxed);
  sema_.release(w);
}

void WaitGroup::wait(std::source_location where) {
  uint64_t s = state_.load(std::memory_order_acquire);
  for (;;) {
    if ((s >> 32) == 0) return;  // counter is zero
    if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel,
                                     std::memory_order_acquire)) {
      sema_.acquire(false, "sync.WaitGroup.Wait", where);
      if (state_.load(std::memory_order_relaxed) != 0)
        panic("sync: WaitGroup is reused before previous Wait has returned");
      return;
    }
  }
}

}  // namespace goro
