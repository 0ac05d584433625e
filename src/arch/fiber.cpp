// Fiber: building a fresh fiber's first frame, adopting a thread's stack, and
// the sanitizer bookkeeping around every stack switch. See fiber.hpp.
//
// Owns: nothing global. Each Fiber owns its TSan fiber when it created it
// (owns_tsan_fiber_) and, while suspended, its ASan fake-stack handle.
//
// Invariants: sp_ points at a switch frame (switch_frame.hpp) whenever the
// fiber is suspended; the register switch itself is in fiber.hpp (x86-64
// inline assembly) and switch_aarch64.S.
// ASan: every switch is bracketed by __sanitizer_start_switch_fiber (on the
// old stack) and __sanitizer_finish_switch_fiber (on the new one, or at the
// start of goro_fiber_main for a fresh fiber). TSan: __tsan_switch_to_fiber is
// the last call before the register switch. No locks: callers serialise.
#include "arch/fiber.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "arch/switch_frame.hpp"

#if defined(GORO_FIBER_ASAN)
#if __has_include(<sanitizer/common_interface_defs.h>) && __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#else
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, std::size_t size);
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old,
                                     std::size_t* size_old);
void* __asan_region_is_poisoned(void* beg, std::size_t size);
void __asan_unpoison_memory_region(const volatile void* addr, std::size_t size);
}
#endif
#endif

#if defined(GORO_FIBER_TSAN)
#if __has_include(<sanitizer/tsan_interface.h>)
#include <sanitizer/tsan_interface.h>
#else
extern "C" {
void* __tsan_get_current_fiber(void);
void* __tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void* fiber);
void __tsan_switch_to_fiber(void* fiber, unsigned flags);
}
#endif
#endif

extern "C" {
// switch_<arch>.S
__attribute__((visibility("hidden"))) void goro_fiber_trampoline();
// Called by goro_fiber_trampoline on the fresh fiber's stack.
__attribute__((visibility("hidden"), noreturn, used)) void goro_fiber_main(
    goro::rt::Fiber::Entry entry, void* arg);
}

void goro_fiber_main(goro::rt::Fiber::Entry entry, void* arg) {
#if defined(GORO_FIBER_ASAN)
  // Complete the switch that brought us here; a fresh fiber has no fake stack.
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
  entry(arg);
  static constexpr char kMsg[] =
      "goro: fatal: a fiber's entry function returned (it must switch away with "
      "exiting=true)\n";
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  std::abort();
}

namespace goro::rt {

namespace {

template <typename T>
void put(unsigned char* frame, std::size_t offset, T value) {
  std::memcpy(frame + offset, &value, sizeof value);
}

}  // namespace

void Fiber::adopt_current_thread() {
  sp_ = nullptr;
#if defined(GORO_FIBER_SANITIZE)
  asan_fake_stack_ = nullptr;
  stack_lo_ = nullptr;
  stack_size_ = 0;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* lo = nullptr;
    std::size_t size = 0;
    if (pthread_attr_getstack(&attr, &lo, &size) == 0) {
      stack_lo_ = lo;
      stack_size_ = size;
    }
    pthread_attr_destroy(&attr);
  }
#endif
#if defined(GORO_FIBER_TSAN)
  if (owns_tsan_fiber_ && tsan_fiber_ != nullptr) __tsan_destroy_fiber(tsan_fiber_);
  tsan_fiber_ = __tsan_get_current_fiber();
  owns_tsan_fiber_ = false;
#endif
}

void Fiber::prepare(void* stack_lo, std::size_t size, Entry entry, void* arg) {
#if defined(GORO_FIBER_SANITIZE)
  stack_lo_ = stack_lo;
  stack_size_ = size;
  asan_fake_stack_ = nullptr;
#endif

#if defined(GORO_FIBER_ASAN)
  // Frames of an earlier fiber on this stack never returned, so their redzones
  // are still poisoned. Checking first keeps untouched shadow pages unmapped.
  if (void* p = __asan_region_is_poisoned(stack_lo, size)) {
    __asan_unpoison_memory_region(
        p, static_cast<std::size_t>(static_cast<unsigned char*>(stack_lo) + size -
                                    static_cast<unsigned char*>(p)));
  }
#endif

  // The trampoline must start with sp % 16 == 0: on x86-64 its `call` then
  // enters goro_fiber_main with rsp % 16 == 8 as the ABI requires; on aarch64
  // sp is always 16-aligned. 16 zero bytes at the top act as a sentinel.
  const std::uintptr_t top =
      (reinterpret_cast<std::uintptr_t>(stack_lo) + size) & ~std::uintptr_t{15};
  const auto entry_bits = reinterpret_cast<std::uintptr_t>(entry);
  const auto arg_bits = reinterpret_cast<std::uintptr_t>(arg);
  const auto tramp_bits = reinterpret_cast<std::uintptr_t>(&goro_fiber_trampoline);
#if defined(__x86_64__)
  // The frame (rbp = 0, resume at the trampoline), then entry and arg.
  const std::uintptr_t sp = top - 16 - (GORO_FRAME_ARG + 8);
  static_assert((GORO_FRAME_ARG + 8) % 16 == 0);
  auto* f = reinterpret_cast<unsigned char*>(sp);
  std::memset(f, 0, GORO_FRAME_ARG + 8 + 16);
  put(f, GORO_FRAME_RIP, tramp_bits);
  put(f, GORO_FRAME_ENTRY, entry_bits);
  put(f, GORO_FRAME_ARG, arg_bits);
#elif defined(__aarch64__)
  const std::uintptr_t sp = top - 16 - frame::kSize;
  auto* f = reinterpret_cast<unsigned char*>(sp);
  std::memset(f, 0, frame::kSize + 16);
  put(f, GORO_FRAME_X19, entry_bits);
  put(f, GORO_FRAME_X19 + 8, arg_bits);
  put(f, GORO_FRAME_X30, tramp_bits);
#endif
  sp_ = f;

#if defined(GORO_FIBER_TSAN)
  // A fresh TSan fiber every time: a fiber whose entry ended by switching
  // away still has its frames on TSan's shadow call stack, which would grow
  // with every reuse until TSan itself overflows.
  if (owns_tsan_fiber_ && tsan_fiber_ != nullptr) __tsan_destroy_fiber(tsan_fiber_);
  tsan_fiber_ = __tsan_create_fiber(0);
  owns_tsan_fiber_ = true;
#endif
}

#if defined(GORO_FIBER_SANITIZE)
void Fiber::before_switch(Fiber& from, Fiber& to, bool exiting) {
#if defined(GORO_FIBER_ASAN)
  __sanitizer_start_switch_fiber(exiting ? nullptr : &from.asan_fake_stack_, to.stack_lo_,
                                 to.stack_size_);
#else
  (void)from;
  (void)exiting;
#endif
#if defined(GORO_FIBER_TSAN)
  __tsan_switch_to_fiber(to.tsan_fiber_, 0);
#endif
}

void Fiber::after_switch(Fiber& from) {
#if defined(GORO_FIBER_ASAN)
  __sanitizer_finish_switch_fiber(from.asan_fake_stack_, nullptr, nullptr);
#else
  (void)from;
#endif
}
#endif  // GORO_FIBER_SANITIZE

void Fiber::release() {
#if defined(GORO_FIBER_TSAN)
  if (owns_tsan_fiber_ && tsan_fiber_ != nullptr) __tsan_destroy_fiber(tsan_fiber_);
#endif
#if defined(GORO_FIBER_SANITIZE)
  tsan_fiber_ = nullptr;
  owns_tsan_fiber_ = false;
#endif
}

}  // namespace goro::rt
