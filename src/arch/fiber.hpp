// Fiber: one saved execution context (a goroutine's, or an OS thread's own
// stack when it runs the scheduler), and the switch between two of them.
//
// Owns: the architecture-specific register switch (switch_x86_64.S,
// switch_aarch64.S) and the sanitizer bookkeeping that must accompany every
// stack switch (ASan fake stacks and stack bounds, TSan fiber identity).
//
// Invariants: a Fiber is resumed by at most one thread at a time; `switch_to`
// is only called from the fiber that is currently running on this thread
// (`from` must be that fiber). No locks: callers serialise access.
#pragma once

#include <cstddef>

namespace goro::rt {

class Fiber {
 public:
  using Entry = void (*)(void* arg);

  Fiber() = default;
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Adopt the calling thread's own stack as a fiber (the scheduler's g0).
  void adopt_current_thread();
  // Prepare a fresh fiber on [stack_lo, stack_lo + size): the first switch to
  // it calls entry(arg) on that stack. entry must never return; it ends by
  // switching away with exiting = true.
  void prepare(void* stack_lo, std::size_t size, Entry entry, void* arg);
  // Re-arm a fiber whose entry has finished (its last switch had exiting=true)
  // so it can run a new entry on the same stack.
  // (Equivalent to prepare with the same stack.)

  // Save the current context into `from` and resume `to`. Returns when some
  // thread switches back to `from`. When `exiting` is true, `from` will never
  // be resumed again (its sanitizer state is released). Only the callee-saved
  // registers and the stack are switched: the floating-point control state
  // (MXCSR/x87 CW, FPCR) stays with the thread (include/goro/runtime.hpp);
  // a fresh fiber sets the ABI default before calling its entry.
  static void switch_to(Fiber& from, Fiber& to, bool exiting = false);

  void release();  // free sanitizer resources (TSan fiber); safe to call twice

 private:
  void* sp_ = nullptr;  // saved stack pointer while not running
  void* stack_lo_ = nullptr;
  std::size_t stack_size_ = 0;
  void* asan_fake_stack_ = nullptr;
  void* tsan_fiber_ = nullptr;
  bool owns_tsan_fiber_ = false;
};

}  // namespace goro::rt
