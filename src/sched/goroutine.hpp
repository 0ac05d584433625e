// The goroutine control block (G) and the queue that holds Gs.
//
// Owns: everything the runtime knows about one goroutine: its fiber and
// stack, its state, why and where it is blocked, and its links. A G lives at
// the top of its own stack's mapping, above `stack` (spawn.cpp), and is never
// freed.
//
// Invariants: `status` moves Idle -> Runnable -> Running -> (Waiting ->
// Runnable -> Running)* -> Dead; only the M running a G, or the party that
// readies it (Waiting -> Runnable), changes it. A G is in at most one queue
// (a run queue, a free list) at a time. Debug fields (wait_*, created_*) are written by the owning
// G and read racily by the goroutine dump, which tolerates torn reads.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <source_location>

#include "arch/fiber.hpp"
#include "stack/stack_pool.hpp"

namespace goro::rt {

struct M;
struct P;

enum class GStatus : uint8_t { idle, runnable, running, waiting, dead };

// Field order: the first cache line holds everything a switch and a park
// touch (status, saved_errno, locked_m, the wait_* fields a park writes and,
// without sanitizers a Fiber being one word, the saved stack pointer), so
// that resuming a cold G and parking one cost one line each.
struct G {
  std::atomic<GStatus> status{GStatus::idle};
  bool closure_on_heap = false;
  int saved_errno = 0;
  M* locked_m = nullptr;  // lock_os_thread: the only M that may run this G

  // What the goroutine dump shows.
  const char* wait_reason = "";
  int64_t wait_since_ns = 0;
  std::source_location blocked_at{};
  Fiber fiber;
  // The P this G last ran on: written at every switch to it, read by the
  // waker of a parked G (ready_handoff sends it home; scheduler.hpp).
  std::atomic<P*> last_p{nullptr};
  // Runs the user's closure (the fiber's start argument), then destroys it.
  // In this line: a goroutine's first run then reads no other line of its G.
  void (*entry)(void*) = nullptr;

  std::source_location created_at{};
  StackSpan stack;
  uint64_t id = 0;
  void* closure = nullptr;

  G* all_link = nullptr;       // registry of every G ever created (dump)
  G* inbox_link = nullptr;     // next in a P's inbox (P::inbox)
  int lock_depth = 0;          // nesting of lock_os_thread calls
  uint32_t closure_align = 0;  // heap closures: alignment used to allocate
};
#if !defined(GORO_FIBER_ASAN) && !defined(GORO_FIBER_TSAN)
static_assert(sizeof(G) <= 128, "two cache lines: keep the G's footprint on its stack small");
#endif

// Queue of Gs (the global run queue, free lists): a growable ring of
// pointers, so moving a batch never chases links through cold Gs (each such
// hop was a cache miss taken while holding Sched::lock).
// Not thread-safe: its owner's lock protects it.
class GQueue {
 public:
  GQueue() = default;
  GQueue(const GQueue&) = delete;
  GQueue& operator=(const GQueue&) = delete;
  ~GQueue() { delete[] slots_; }

  bool empty() const { return size_ == 0; }
  int64_t size() const { return int64_t(size_); }

  void push_back(G* g) {
    if (size_ == cap_) grow();
    slots_[(head_ + size_) & (cap_ - 1)] = g;
    ++size_;
  }
  void push_front(G* g) {
    if (size_ == cap_) grow();
    head_ = (head_ - 1) & (cap_ - 1);
    slots_[head_] = g;
    ++size_;
  }
  G* pop_front() {
    if (size_ == 0) return nullptr;
    G* g = slots_[head_];
    head_ = (head_ + 1) & (cap_ - 1);
    --size_;
    return g;
  }
  G* pop_back() {
    if (size_ == 0) return nullptr;
    --size_;
    return slots_[(head_ + size_) & (cap_ - 1)];
  }

 private:
  void grow() {
    uint64_t cap = cap_ ? cap_ * 2 : 64;
    G** slots = new G*[cap];
    for (uint64_t i = 0; i < size_; ++i) slots[i] = slots_[(head_ + i) & (cap_ - 1)];
    delete[] slots_;
    slots_ = slots;
    cap_ = cap;
    head_ = 0;
  }

  G** slots_ = nullptr;
  uint64_t cap_ = 0;  // a power of two (or 0)
  uint64_t head_ = 0;
  uint64_t size_ = 0;
};

}  // namespace goro::rt
