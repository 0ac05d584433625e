// Goroutine stacks: reserved large, committed lazily by the kernel, guarded
// against overflow, and recycled.
//
// Owns: the virtual-memory slabs stacks are carved from and the global free
// list. Per-P caching is the scheduler's business (a dead goroutine keeps its
// stack while it sits in a P's free-goroutine cache).
//
// Invariants: every stack has a guard region directly below `lo` that faults
// on access; the guard never costs a separate kernel mapping when
// MADV_GUARD_INSTALL is available (Linux >= 6.13); otherwise mprotect is the
// fallback. The pool's lock protects the free list and slab list only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace goro::rt {

struct StackSpan {
  void* lo = nullptr;    // lowest usable byte (just above the guard)
  std::size_t size = 0;  // usable bytes; the stack grows down from lo + size
  explicit operator bool() const { return lo != nullptr; }
};

// Usable size of every goroutine stack (GORO_STACK_SIZE env var, bytes,
// rounded to pages; default 256 KiB).
std::size_t stack_size();
std::size_t stack_guard_size();

// Returns a stack, or an empty span when the address space or the mapping
// count is exhausted (the caller reports it as a fatal error).
StackSpan stack_alloc();
// Returns a stack to the pool. The pool may MADV_DONTNEED / MADV_FREE part of
// its pages so an idle pool does not hold memory.
void stack_free(StackSpan s);

// True when `addr` lies in the guard region of some stack handed out by this
// pool; used by the SIGSEGV handler to report a goroutine stack overflow.
// Async-signal-safe (no locks, no allocation).
bool stack_is_guard_address(const void* addr);

}  // namespace goro::rt
