// The goroutine control block (G) and its intrusive queue.
//
// Owns: everything the runtime knows about one goroutine: its fiber and
// stack, its state, why and where it is blocked, and its links.
//
// Invariants: `status` moves Idle -> Runnable -> Running -> (Waiting ->
// Runnable -> Running)* -> Dead; only the M running a G, or the party that
// readies it (Waiting -> Runnable), changes it. `link` belongs to whichever
// queue currently holds the G (a run queue, a free list); a G is in at most
// one queue. Debug fields (wait_*, created_*) are written by the owning G and
// read racily by the goroutine dump, which tolerates torn reads.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <source_location>

#include "arch/fiber.hpp"
#include "stack/stack_pool.hpp"

namespace goro::rt {

struct M;

enum class GStatus : uint8_t { idle, runnable, running, waiting, dead };

struct G {
  Fiber fiber;
  StackSpan stack;
  uint64_t id = 0;
  std::atomic<GStatus> status{GStatus::idle};

  void (*entry)(void*) = nullptr;  // runs the user's closure, then destroys it
  void* closure = nullptr;
  bool closure_on_heap = false;
  std::size_t closure_align = 0;  // heap closures: alignment used to allocate

  G* link = nullptr;      // run queue / free list link
  G* all_link = nullptr;  // registry of every G ever created (dump)
  M* locked_m = nullptr;  // lock_os_thread: the only M that may run this G
  int lock_depth = 0;     // nesting of lock_os_thread calls
  int saved_errno = 0;

  // What the goroutine dump shows.
  const char* wait_reason = "";
  int64_t wait_since_ns = 0;
  std::source_location blocked_at{};
  std::source_location created_at{};
};

// Intrusive FIFO of Gs (for the global run queue and free lists).
// Not thread-safe: its owner's lock protects it.
struct GQueue {
  G* head = nullptr;
  G* tail = nullptr;
  int64_t size = 0;

  bool empty() const { return head == nullptr; }
  void push_back(G* g) {
    g->link = nullptr;
    if (tail)
      tail->link = g;
    else
      head = g;
    tail = g;
    ++size;
  }
  void push_front(G* g) {
    g->link = head;
    head = g;
    if (!tail) tail = g;
    ++size;
  }
  G* pop_front() {
    G* g = head;
    if (!g) return nullptr;
    head = g->link;
    if (!head) tail = nullptr;
    g->link = nullptr;
    --size;
    return g;
  }
};

}  // namespace goro::rt
