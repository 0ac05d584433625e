// Goroutine birth and death: reserving a G (from the P's cache, the global
// cache, or fresh with a new stack), starting it, and recycling it.
//
// Invariants: a G in a free list is Dead and keeps its stack; its fiber is
// re-prepared on every reuse. A G is placed at the top of its stack's
// mapping (g->stack is the usable part below it) and the closure right below
// the G (no allocation per goroutine) unless it is too large, then on the
// heap.
// Sched::lock guards the global free list; a P's free list and goroutine-id
// batch are touched only by the M holding the P.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <typeinfo>

#include "debug/fatal.hpp"
#include "goro/go.hpp"
#include "goro/panic.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

constexpr int64_t per_p_free_max = 64;
constexpr std::size_t max_closure_on_stack = 4096;

void register_g(G* g) {
  Sched& s = sched();
  s.allg_lock.lock();
  g->all_link = s.allg;
  s.allg = g;
  s.allg_lock.unlock();
}

G* take_free_g(Sched& s, P* p) {
  if (p) {
    if (G* g = p->free_gs.pop_back()) return g;  // the most recently used: warm
  }
  if (s.free_gs_size.load(std::memory_order_relaxed) == 0) return nullptr;
  s.lock.lock();
  G* g = s.free_gs.pop_back();
  for (int i = 0; p && i < per_p_free_max / 2 && !s.free_gs.empty(); ++i)
    p->free_gs.push_back(s.free_gs.pop_back());
  s.free_gs_size.store(s.free_gs.size(), std::memory_order_relaxed);
  s.lock.unlock();
  return g;
}

// Bytes at the top of a stack's mapping taken by its G (cache-line aligned).
constexpr std::size_t g_footprint = (sizeof(G) + 63) & ~std::size_t(63);
// Stacks are a fixed stride apart, so without an offset every G and every
// stack top would sit at the same offset within its page and compete for
// the same few cache sets (L1 sets are chosen by address bits 6-11). Each new
// G is placed one of kColors cache lines lower than the previous one; the
// largest offset (2 KiB) still leaves a parked goroutine's frames in the top
// page (bench_memory).
constexpr std::size_t kColors = 32;
std::atomic<std::size_t> next_color{0};

// A new G lives at the top of its own stack's mapping, above the usable
// stack: no heap allocation, and the G, the closure below it and the
// goroutine's first frames share one page (one page fault, one TLB entry,
// adjacent cache lines). The stack pool never releases a stack's top page
// and Gs are never freed (dead ones keep their stack for reuse).
G* allocate_g() {
  StackSpan stack = stack_alloc();
  if (!stack) fatal_error("runtime: cannot allocate goroutine stack (out of memory or mappings)");
  const std::size_t color = next_color.fetch_add(1, std::memory_order_relaxed) % kColors;
  const std::size_t reserved = g_footprint + color * 64;
  char* top = static_cast<char*>(stack.lo) + stack.size;
  G* g = ::new (top - reserved) G;
  g->stack = StackSpan{stack.lo, stack.size - reserved};
  register_g(g);
  return g;
}

// Goroutine ids come from the P in batches, so spawning does not bounce a
// shared counter between Ms.
constexpr uint64_t goid_batch = 16;

uint64_t next_goid(Sched& s, P* p) {
  if (!p) return s.next_goid.fetch_add(1, std::memory_order_relaxed);
  if (p->goid_next == p->goid_end) {
    p->goid_next = s.next_goid.fetch_add(goid_batch, std::memory_order_relaxed);
    p->goid_end = p->goid_next + goid_batch;
  }
  return p->goid_next++;
}

// The first function on a new goroutine's stack. The closure comes as the
// fiber's start argument, not from the G, whose second line a goroutine's
// first run then never reads (the spawner, often on another core, wrote it).
void goroutine_main(void* closure) {
  run_after_switch();
  M* m = current_m();
  G* g = m->curg;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  m->in_runtime = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  try {
    g->entry(closure);
  } catch (const std::exception& e) {
    fatal_panic(g, e.what());
  } catch (...) {
    fatal_panic(g, "non-std exception escaped the goroutine");
  }
  if (g->closure_on_heap) ::operator delete(closure, std::align_val_t(g->closure_align));
  exit_current();
}

}  // namespace

void recycle_g(G* g) {
  g->entry = nullptr;
  g->closure = nullptr;
  g->closure_on_heap = false;
  g->wait_reason = "";
  M* m = current_m();
  P* p = m ? m->p : nullptr;
  if (p) {
    p->free_gs.push_back(g);
    if (p->free_gs.size() <= per_p_free_max) return;
    Sched& s = sched();
    s.lock.lock();
    // The oldest (coldest) go to the global list; the warm ones stay.
    while (p->free_gs.size() > per_p_free_max / 2) s.free_gs.push_back(p->free_gs.pop_front());
    s.free_gs_size.store(s.free_gs.size(), std::memory_order_relaxed);
    s.lock.unlock();
    return;
  }
  Sched& s = sched();
  s.lock.lock();
  s.free_gs.push_back(g);
  s.free_gs_size.store(s.free_gs.size(), std::memory_order_relaxed);
  s.lock.unlock();
}

}  // namespace goro::rt

namespace goro::detail {

using namespace goro::rt;

SpawnSlot spawn_reserve(std::size_t size, std::size_t align, const std::source_location& where) {
  Sched& s = sched();
  G* g;
  uint64_t id;
  {
    RuntimeSection section;
    P* p = section.m() ? section.m()->p : nullptr;
    g = take_free_g(s, p);
    id = next_goid(s, p);
  }
  if (!g) g = allocate_g();
  g->id = id;
  g->created_at = where;
  char* top = static_cast<char*>(g->stack.lo) + g->stack.size;
  if (size <= max_closure_on_stack && align <= 64) {
    auto storage = (reinterpret_cast<uintptr_t>(top) - size) & ~uintptr_t(63);
    g->closure = reinterpret_cast<void*>(storage);
    g->closure_on_heap = false;
  } else {
    g->closure = ::operator new(size, std::align_val_t(align));
    g->closure_on_heap = true;
    g->closure_align = uint32_t(align);
  }
  return {g, g->closure};
}

void spawn_abort(void* handle) {
  G* g = static_cast<G*>(handle);
  if (g->closure_on_heap) ::operator delete(g->closure, std::align_val_t(g->closure_align));
  g->status.store(GStatus::dead);
  RuntimeSection section;
  recycle_g(g);
}

void spawn_commit(void* handle, void (*run)(void*)) {
  G* g = static_cast<G*>(handle);
  g->entry = run;
  char* stack_top = g->closure_on_heap ? static_cast<char*>(g->stack.lo) + g->stack.size
                                       : static_cast<char*>(g->closure);
  auto usable = std::size_t(reinterpret_cast<uintptr_t>(stack_top) & ~uintptr_t(15)) -
                reinterpret_cast<uintptr_t>(g->stack.lo);
  g->fiber.prepare(g->stack.lo, usable, &goroutine_main, g->closure);
  RuntimeSection section;
  count_goroutine_start(section.m() ? section.m()->p : nullptr);
  ready(g, true);
  // A spawner that sysmon's hand-off left without a P (it kept running user
  // code while work waited) would otherwise queue every further goroutine
  // globally: take a free P back, or yield to the global queue until one
  // picks it up.
  if (M* m = section.m(); m && m->curg && !m->p) [[unlikely]]
    reacquire_p(m);
}

}  // namespace goro::detail
