// Fiber: one saved execution context (a goroutine's, or an OS thread's own
// stack when it runs the scheduler), and the switch between two of them.
//
// Owns: the architecture-specific register switch (inline assembly below on
// x86-64, switch_aarch64.S on aarch64; the fresh-fiber trampolines are in
// switch_<arch>.S) and the sanitizer bookkeeping that must accompany every
// stack switch (ASan fake stacks and stack bounds, TSan fiber identity; in
// fiber.cpp, and compiled out of normal builds).
//
// Invariants: a Fiber is resumed by at most one thread at a time; `switch_to`
// is only called from the fiber that is currently running on this thread
// (`from` must be that fiber). A suspended fiber's sp_ points at a switch
// frame (switch_frame.hpp). No locks: callers serialise access.
//
// Why the x86-64 switch is inline assembly (measured on a 2-core KVM guest,
// Xeon family 6 model 207, taskset -c 1): a switch routine that ends in `ret`
// returns to another stack's call site, which the return-stack buffer (RSB)
// predicts only when both contexts entered the switch from the same call site
// (as scheduler paths do; not in bench/switch.cpp's ping-pong between two
// different loops: 12-14 ns per switch there). Ending the routine with
// `pop; jmp *reg` instead made that ping-pong ~2 ns but left its `call`
// unmatched on the RSB, so every return after a switch between two identical
// call paths was mispredicted (2.5x slower than `ret` in that test). Entering
// the switch with `jmp` at the call site and resuming with `jmp` leaves the
// RSB alone: returns after a switch between identical paths stay predicted,
// and the resume jump is predicted from branch history.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define GORO_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GORO_FIBER_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define GORO_FIBER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GORO_FIBER_TSAN 1
#endif
#endif

#if defined(GORO_FIBER_ASAN) || defined(GORO_FIBER_TSAN)
#define GORO_FIBER_SANITIZE 1
#endif

#if defined(__aarch64__)
// switch_aarch64.S
extern "C" __attribute__((visibility("hidden"))) void goro_switch_context(void** save_sp,
                                                                          void* load_sp);
#endif

namespace goro::rt {

namespace detail {

// Save the running context's stack pointer at *save_sp (with a switch frame
// below it) and resume the context whose frame is at load_sp.
[[gnu::always_inline]] inline void switch_context(void** save_sp, void* load_sp) {
#if defined(__x86_64__)
  // Frame (switch_frame.hpp): rbp, then the resume address. Every other
  // register is declared clobbered, so the compiler saves only what is live
  // here. The red zone below rsp may hold the caller's data: step over it.
  asm volatile(
      "leaq -128(%%rsp), %%rsp\n\t"
      "leaq 1f(%%rip), %%rax\n\t"
      "pushq %%rax\n\t"
      "pushq %%rbp\n\t"
      "movq %%rsp, (%%rdi)\n\t"
      "movq %%rsi, %%rsp\n\t"
      "popq %%rbp\n\t"
      "popq %%rax\n\t"
      "jmpq *%%rax\n"
      "1:\n\t"
      "leaq 128(%%rsp), %%rsp"
      : "+D"(save_sp), "+S"(load_sp)
      :
      : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "xmm0",
        "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
        "xmm12", "xmm13", "xmm14", "xmm15",
#if defined(__AVX512F__)
        "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25",
        "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31", "k0", "k1", "k2", "k3", "k4", "k5",
        "k6", "k7",
#endif
        "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "mm0", "mm1", "mm2",
        "mm3", "mm4", "mm5", "mm6", "mm7", "cc", "memory");
#elif defined(__aarch64__)
  goro_switch_context(save_sp, load_sp);
#else
#error "goro: unsupported architecture (x86-64 and aarch64 only)"
#endif
}

}  // namespace detail

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
  // be resumed again (its sanitizer state is released). Only the registers
  // and the stack are switched: the floating-point control state (MXCSR/x87
  // CW, FPCR) stays with the thread (include/goro/runtime.hpp); a fresh fiber
  // sets the ABI default before calling its entry.
  [[gnu::always_inline]] static void switch_to(Fiber& from, Fiber& to, bool exiting = false) {
#if defined(GORO_FIBER_SANITIZE)
    before_switch(from, to, exiting);
#else
    (void)exiting;
#endif
    detail::switch_context(&from.sp_, to.sp_);
    // Resumed: some thread switched back to `from`.
#if defined(GORO_FIBER_SANITIZE)
    after_switch(from);
#endif
  }

  void release();  // free sanitizer resources (TSan fiber); safe to call twice

 private:
#if defined(GORO_FIBER_SANITIZE)
  // Tell the sanitizers about the switch (fiber.cpp).
  static void before_switch(Fiber& from, Fiber& to, bool exiting);
  static void after_switch(Fiber& from);
#endif

  void* sp_ = nullptr;  // saved stack pointer while not running
#if defined(GORO_FIBER_SANITIZE)
  // The sanitizers' view of the fiber; without them a Fiber is one word
  // (the G's first cache line holds everything a switch touches).
  void* stack_lo_ = nullptr;
  std::size_t stack_size_ = 0;
  void* asan_fake_stack_ = nullptr;
  void* tsan_fiber_ = nullptr;
  bool owns_tsan_fiber_ = false;
#endif
};

}  // namespace goro::rt
