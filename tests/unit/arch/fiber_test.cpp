// Fiber unit tests: switching, state preservation across switches, migration
// between OS threads, re-preparing a finished fiber, the floating-point
// environment (the thread's, reset for fresh fibers), deep recursion, and the abort when an entry
// function returns.
//
// Owns: nothing shared; every test builds its own fibers on pool stacks.
// Invariants: a fiber's entry always ends with switch_to(..., exiting=true).
#include "arch/fiber.hpp"

#include <execinfo.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cfenv>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include "stack/stack_pool.hpp"

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace goro::rt {
namespace {

// Owns a pool stack for the duration of a test.
struct TestStack {
  StackSpan span = stack_alloc();
  TestStack() { EXPECT_TRUE(span); }
  ~TestStack() { stack_free(span); }
  TestStack(const TestStack&) = delete;
  TestStack& operator=(const TestStack&) = delete;
};

// --- ping-pong -------------------------------------------------------------

struct PingPong {
  Fiber main;
  Fiber fiber;
  int rounds = 0;
  std::uint64_t counter = 0;
};

void ping_pong_entry(void* p) {
  auto* s = static_cast<PingPong*>(p);
  for (int i = 0; i < s->rounds; ++i) {
    ++s->counter;
    Fiber::switch_to(s->fiber, s->main);
  }
  Fiber::switch_to(s->fiber, s->main, /*exiting=*/true);
}

TEST(FiberTest, SwitchBackAndForthManyTimes) {
  TestStack st;
  PingPong s;
  s.rounds = 100000;
  s.main.adopt_current_thread();
  s.fiber.prepare(st.span.lo, st.span.size, &ping_pong_entry, &s);
  for (int i = 0; i < s.rounds; ++i) {
    Fiber::switch_to(s.main, s.fiber);
    ASSERT_EQ(s.counter, static_cast<std::uint64_t>(i + 1));
  }
  Fiber::switch_to(s.main, s.fiber);  // lets the entry finish and exit
  EXPECT_EQ(s.counter, static_cast<std::uint64_t>(s.rounds));
  s.fiber.release();
  s.main.release();
}

// --- values on the fiber stack ---------------------------------------------

struct StackValues {
  Fiber main;
  Fiber fiber;
  bool ok = false;
  const void* local_addr = nullptr;
};

void stack_values_entry(void* p) {
  auto* s = static_cast<StackValues*>(p);
  volatile std::uint64_t local[64];
  for (int i = 0; i < 64; ++i) local[i] = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(i);
  // The frame, not &local[0]: ASan's use-after-return mode moves arrays to a
  // fake stack (whose contents must then survive the switches too).
  s->local_addr = __builtin_frame_address(0);
  std::uint64_t a = 1, b = 1;  // kept in callee-saved registers or on the stack
  bool ok = true;
  for (int round = 0; round < 50; ++round) {
    Fiber::switch_to(s->fiber, s->main);
    for (int i = 0; i < 64; ++i) {
      ok = ok && local[i] == 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(i) + round;
      local[i] = local[i] + 1;
    }
    const std::uint64_t c = a + b;
    a = b;
    b = c;
  }
  s->ok = ok && b == 32951280099ull;  // fib(52)
  Fiber::switch_to(s->fiber, s->main, true);
}

TEST(FiberTest, ValuesOnFiberStackSurviveSwitches) {
  TestStack st;
  StackValues s;
  s.main.adopt_current_thread();
  s.fiber.prepare(st.span.lo, st.span.size, &stack_values_entry, &s);
  for (int round = 0; round <= 50; ++round) {
    // Scribble over this (main) stack between switches.
    volatile char noise[4096];
    for (std::size_t k = 0; k < sizeof noise; ++k) noise[k] = static_cast<char>(round + k);
    Fiber::switch_to(s.main, s.fiber);
  }
  EXPECT_TRUE(s.ok);
  const auto addr = reinterpret_cast<std::uintptr_t>(s.local_addr);
  const auto lo = reinterpret_cast<std::uintptr_t>(st.span.lo);
  EXPECT_GE(addr, lo);
  EXPECT_LT(addr, lo + st.span.size);
  s.fiber.release();
  s.main.release();
}

// --- migration between OS threads ------------------------------------------

struct Migrate {
  Fiber fiber;
  Fiber* back = nullptr;  // the fiber to return to; set by whoever resumes us
  std::atomic<int> step{0};
  int value = 0;
};

void migrate_entry(void* p) {
  auto* s = static_cast<Migrate*>(p);
  int local = 41;
  s->step.store(1);
  Fiber::switch_to(s->fiber, *s->back);
  ++local;
  s->value = local;
  s->step.store(2);
  Fiber::switch_to(s->fiber, *s->back, true);
}

TEST(FiberTest, ResumeOnAnotherThread) {
  TestStack st;
  Migrate s;
  s.fiber.prepare(st.span.lo, st.span.size, &migrate_entry, &s);
  // Thread A starts the fiber; thread B resumes it.
  std::thread a([&] {
    Fiber g0;
    g0.adopt_current_thread();
    s.back = &g0;
    Fiber::switch_to(g0, s.fiber);
    g0.release();
  });
  a.join();
  EXPECT_EQ(s.step.load(), 1);
  std::thread b([&] {
    Fiber g0;
    g0.adopt_current_thread();
    s.back = &g0;
    Fiber::switch_to(g0, s.fiber);
    g0.release();
  });
  b.join();
  EXPECT_EQ(s.step.load(), 2);
  EXPECT_EQ(s.value, 42);
  s.fiber.release();
}

TEST(FiberTest, CreatedOnOneThreadFirstRunOnAnother) {
  TestStack st;
  Migrate s;
  Fiber main;
  main.adopt_current_thread();
  s.fiber.prepare(st.span.lo, st.span.size, &migrate_entry, &s);
  std::thread b([&] {
    Fiber g0;
    g0.adopt_current_thread();
    s.back = &g0;
    Fiber::switch_to(g0, s.fiber);
    g0.release();
  });
  b.join();
  EXPECT_EQ(s.step.load(), 1);
  s.back = &main;
  Fiber::switch_to(main, s.fiber);  // finish on the creating thread
  EXPECT_EQ(s.value, 42);
  s.fiber.release();
  main.release();
}

// --- re-prepare after exit -------------------------------------------------

struct Recycle {
  Fiber main;
  Fiber fiber;
  int runs = 0;
  int last_arg = 0;
};

struct RecycleArg {
  Recycle* r;
  int n;
};

void recycle_entry_a(void* p) {
  auto* a = static_cast<RecycleArg*>(p);
  ++a->r->runs;
  a->r->last_arg = a->n;
  Fiber::switch_to(a->r->fiber, a->r->main, true);
}

void recycle_entry_b(void* p) {
  auto* a = static_cast<RecycleArg*>(p);
  volatile char big[16 * 1024];  // different stack usage from entry_a
  big[0] = 1;
  big[sizeof big - 1] = 2;
  ++a->r->runs;
  a->r->last_arg = -a->n + big[0] + big[sizeof big - 1] - 3;
  Fiber::switch_to(a->r->fiber, a->r->main);  // one intermediate switch
  Fiber::switch_to(a->r->fiber, a->r->main, true);
}

TEST(FiberTest, PrepareAgainAfterExit) {
  TestStack st;
  Recycle r;
  r.main.adopt_current_thread();
  for (int i = 0; i < 1000; ++i) {
    RecycleArg arg{&r, i};
    if (i % 2 == 0) {
      r.fiber.prepare(st.span.lo, st.span.size, &recycle_entry_a, &arg);
      Fiber::switch_to(r.main, r.fiber);
      ASSERT_EQ(r.last_arg, i);
    } else {
      r.fiber.prepare(st.span.lo, st.span.size, &recycle_entry_b, &arg);
      Fiber::switch_to(r.main, r.fiber);
      Fiber::switch_to(r.main, r.fiber);
      ASSERT_EQ(r.last_arg, -i);
    }
  }
  EXPECT_EQ(r.runs, 1000);
  r.fiber.release();
  r.fiber.release();  // safe twice
  r.main.release();
}

// --- many fibers, round robin ----------------------------------------------

struct Ring {
  Fiber main;
  std::vector<Fiber> fibers;
  std::vector<int> hits;
  int rounds = 0;
};

struct RingArg {
  Ring* ring;
  std::size_t index;
};

void ring_entry(void* p) {
  auto* a = static_cast<RingArg*>(p);
  Ring& r = *a->ring;
  const std::size_t next = a->index + 1;
  for (int i = 0; i < r.rounds; ++i) {
    ++r.hits[a->index];
    Fiber& to = next == r.fibers.size() ? r.main : r.fibers[next];
    Fiber::switch_to(r.fibers[a->index], to);
  }
  Fiber& to = next == r.fibers.size() ? r.main : r.fibers[next];
  Fiber::switch_to(r.fibers[a->index], to, true);
}

TEST(FiberTest, RingOfFibers) {
  constexpr std::size_t kFibers = 64;
  Ring r;
  r.rounds = 100;
  r.fibers = std::vector<Fiber>(kFibers);
  r.hits.assign(kFibers, 0);
  std::vector<StackSpan> stacks;
  std::vector<RingArg> args(kFibers);
  r.main.adopt_current_thread();
  for (std::size_t i = 0; i < kFibers; ++i) {
    stacks.push_back(stack_alloc());
    ASSERT_TRUE(stacks.back());
    args[i] = RingArg{&r, i};
    r.fibers[i].prepare(stacks[i].lo, stacks[i].size, &ring_entry, &args[i]);
  }
  for (int i = 0; i <= r.rounds; ++i) Fiber::switch_to(r.main, r.fibers[0]);
  for (std::size_t i = 0; i < kFibers; ++i) {
    EXPECT_EQ(r.hits[i], r.rounds);
    r.fibers[i].release();
    stack_free(stacks[i]);
  }
  r.main.release();
}

// --- floating point --------------------------------------------------------
//
// The floating-point environment belongs to the thread, as in Go
// (include/goro/runtime.hpp): a switch neither saves nor restores it, a fresh
// fiber starts with the ABI default, and FP values live across a switch (in
// callee-saved d8-d15 on aarch64) survive.

struct FpState {
  Fiber main;
  Fiber fiber;
  int initial_round = -1;
  unsigned initial_sse_round = ~0u;
  double sum = 0;
  double up = 0;
  double down = 0;
};

double divide(double a, double b) {
  volatile double x = a;
  volatile double y = b;
  return x / y;
}

void fp_entry(void* p) {
  auto* s = static_cast<FpState*>(p);
  s->initial_round = std::fegetround();
#if defined(__x86_64__)
  s->initial_sse_round = _mm_getcsr() & 0x6000u;  // MXCSR.RC (fegetround reads x87)
#endif
  double acc = 0.5;  // live across switches
  for (int i = 0; i < 10; ++i) {
    Fiber::switch_to(s->fiber, s->main);
    acc = acc * 1.5 + 0.25;
  }
  // A non-default mode, used between two switches as the rule asks.
  std::fesetround(FE_DOWNWARD);
  s->down = divide(1.0, 3.0);
  std::fesetround(FE_UPWARD);
  s->up = divide(1.0, 3.0);
  std::fesetround(FE_TONEAREST);
  s->sum = acc;
  Fiber::switch_to(s->fiber, s->main, true);
}

TEST(FiberTest, FloatingPointEnvironmentBelongsToTheThread) {
  TestStack st;
  FpState s;
  const int saved = std::fegetround();
  // A mode the previous code on this thread forgot to restore: a fresh fiber
  // must not inherit it.
  std::fesetround(FE_UPWARD);
  s.main.adopt_current_thread();
  s.fiber.prepare(st.span.lo, st.span.size, &fp_entry, &s);
  double mine = 2.0;
  for (int i = 0; i < 11; ++i) {
    Fiber::switch_to(s.main, s.fiber);
    mine = mine * 0.5 + 1.0;
  }
  // The fiber's trampoline reset the thread's mode; nothing switched it back.
  EXPECT_EQ(std::fegetround(), FE_TONEAREST);
  std::fesetround(saved);

  double expect_acc = 0.5;
  double expect_mine = 2.0;
  for (int i = 0; i < 10; ++i) expect_acc = expect_acc * 1.5 + 0.25;
  for (int i = 0; i < 11; ++i) expect_mine = expect_mine * 0.5 + 1.0;
  EXPECT_EQ(s.initial_round, FE_TONEAREST) << "fresh fibers start with the ABI default";
#if defined(__x86_64__)
  EXPECT_EQ(s.initial_sse_round, 0u) << "fresh fibers start with the default MXCSR";
#endif
  EXPECT_DOUBLE_EQ(s.sum, expect_acc);
  EXPECT_DOUBLE_EQ(mine, expect_mine);
  EXPECT_LT(s.down, s.up);  // 1/3 rounded down vs up differ in the last bit
  s.fiber.release();
  s.main.release();
}

// --- deep recursion --------------------------------------------------------

struct Deep {
  Fiber main;
  Fiber fiber;
  std::uintptr_t lo = 0;
  std::size_t size = 0;
  std::size_t max_used = 0;
  std::uint64_t result = 0;
};

__attribute__((noinline)) std::uint64_t recurse(Deep* d, std::uint64_t depth) {
  volatile unsigned char frame[512];
  frame[0] = static_cast<unsigned char>(depth);
  frame[sizeof frame - 1] = static_cast<unsigned char>(depth >> 8);
  // The frame address, not &frame[0]: under ASan's use-after-return mode the
  // array may live on a heap-allocated fake stack.
  const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  const std::size_t used = d->lo + d->size - here;
  if (used > d->max_used) d->max_used = used;
  std::uint64_t r = depth;
  if (used < d->size * 3 / 4) r += recurse(d, depth + 1);
  asm volatile("" ::: "memory");
  return r + frame[0] - static_cast<unsigned char>(depth);
}

void deep_entry(void* p) {
  auto* d = static_cast<Deep*>(p);
  d->result = recurse(d, 0);
  Fiber::switch_to(d->fiber, d->main, true);
}

TEST(FiberTest, DeepRecursionWithinStack) {
  TestStack st;
  Deep d;
  d.lo = reinterpret_cast<std::uintptr_t>(st.span.lo);
  d.size = st.span.size;
  d.main.adopt_current_thread();
  d.fiber.prepare(st.span.lo, st.span.size, &deep_entry, &d);
  Fiber::switch_to(d.main, d.fiber);
  EXPECT_GE(d.max_used, d.size * 3 / 4);
  EXPECT_LE(d.max_used, d.size);
  EXPECT_GT(d.result, 0u);
  d.fiber.release();
  d.main.release();
}

// --- unwinding ------------------------------------------------------------

struct Unwind {
  Fiber main;
  Fiber fiber;
  int frames = 0;
  bool caught = false;
};

__attribute__((noinline)) void throw_something(int v) {
  if (v >= 0) throw std::runtime_error("from a fiber");
}

void unwind_entry(void* p) {
  auto* u = static_cast<Unwind*>(p);
  void* buf[64];
  u->frames = ::backtrace(buf, 64);  // must stop at the trampoline
  try {
    throw_something(1);
  } catch (const std::runtime_error&) {
    u->caught = true;
  }
  Fiber::switch_to(u->fiber, u->main, true);
}

TEST(FiberTest, UnwindingStopsAtTrampolineAndExceptionsWork) {
  TestStack st;
  Unwind u;
  u.main.adopt_current_thread();
  u.fiber.prepare(st.span.lo, st.span.size, &unwind_entry, &u);
  Fiber::switch_to(u.main, u.fiber);
  EXPECT_GT(u.frames, 0);
  EXPECT_LT(u.frames, 16);  // entry, goro_fiber_main, trampoline (+ inlining slack)
  EXPECT_TRUE(u.caught);
  u.fiber.release();
  u.main.release();
}

// --- an entry that returns aborts ------------------------------------------

void returning_entry(void*) {}

TEST(FiberDeathTest, EntryReturningAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        TestStack st;
        Fiber main;
        Fiber fiber;
        main.adopt_current_thread();
        fiber.prepare(st.span.lo, st.span.size, &returning_entry, nullptr);
        Fiber::switch_to(main, fiber);
      },
      "entry function returned");
}

}  // namespace
}  // namespace goro::rt
