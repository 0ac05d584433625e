// Stack pool unit tests: geometry, reuse, guard lookup, every stack guarded
// (guards are installed in batches), one million coexisting
// stacks within the default vm.max_map_count, memory return on free, and that
// overflowing a fiber stack faults in its guard instead of corrupting the
// neighbouring stack.
//
// Owns: nothing shared. The pool is process-global, so tests never assume it
// starts empty. Death tests run in re-executed children ("threadsafe" style).
#include "stack/stack_pool.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "arch/fiber.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GORO_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GORO_TEST_SANITIZED 1
#endif
#endif

namespace goro::rt {
namespace {

std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::size_t page_size() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

std::size_t maps_count() {
  std::ifstream in("/proc/self/maps");
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

// A field of /proc/self/status in KiB (VmRSS, VmPTE), or 0.
std::size_t status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  const std::string prefix = std::string(field) + ":";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return std::strtoull(line.c_str() + prefix.size(), nullptr, 10);
  }
  return 0;
}

TEST(StackPoolTest, Geometry) {
  const std::size_t page = page_size();
  if (std::getenv("GORO_STACK_SIZE") == nullptr) {
    EXPECT_EQ(stack_size(), 256u * 1024u);
  }
  EXPECT_EQ(stack_size() % page, 0u);
  EXPECT_EQ(stack_guard_size() % page, 0u);
  EXPECT_GE(stack_guard_size(), 16u * 1024u);
}

TEST(StackPoolTest, StackSizeFromEnvironmentRoundedToPages) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The size is read once per process, so check it in a fresh child.
  ::setenv("GORO_STACK_SIZE", "100001", 1);
  const std::size_t page = page_size();
  const std::size_t expect = (100001 + page - 1) / page * page;
  EXPECT_EXIT(
      {
        StackSpan s = stack_alloc();
        const bool ok = s && stack_size() == expect && s.size == expect;
        if (s) static_cast<volatile char*>(s.lo)[0] = 1;  // the low end is usable
        stack_free(s);
        std::_Exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  ::unsetenv("GORO_STACK_SIZE");
}

TEST(StackPoolTest, AllocWriteFreeReuse) {
  StackSpan a = stack_alloc();
  StackSpan b = stack_alloc();
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(a.size, stack_size());
  EXPECT_EQ(addr(a.lo) % page_size(), 0u);
  EXPECT_EQ((addr(a.lo) + a.size) % 16, 0u);
  // Disjoint, with at least a guard between them.
  const auto [low, high] = addr(a.lo) < addr(b.lo) ? std::pair{a, b} : std::pair{b, a};
  EXPECT_GE(addr(high.lo), addr(low.lo) + low.size + stack_guard_size());
  // Every byte is usable and the two stacks do not alias.
  std::memset(a.lo, 0xA5, a.size);
  std::memset(b.lo, 0x5A, b.size);
  const auto* pa = static_cast<const unsigned char*>(a.lo);
  EXPECT_TRUE(std::all_of(pa, pa + a.size, [](unsigned char c) { return c == 0xA5; }));
  stack_free(b);
  StackSpan c = stack_alloc();
  EXPECT_EQ(c.lo, b.lo) << "free list is LIFO: hot stacks are reused first";
  stack_free(c);
  stack_free(a);
  stack_free(StackSpan{});  // no-op
}

TEST(StackPoolTest, GuardAddressLookup) {
  std::vector<StackSpan> spans;
  for (int i = 0; i < 600; ++i) {  // more than two slabs
    spans.push_back(stack_alloc());
    ASSERT_TRUE(spans.back());
  }
  const std::size_t guard = stack_guard_size();
  for (const StackSpan& s : spans) {
    const auto lo = static_cast<const char*>(s.lo);
    EXPECT_TRUE(stack_is_guard_address(lo - 1));
    EXPECT_TRUE(stack_is_guard_address(lo - guard));
    EXPECT_TRUE(stack_is_guard_address(lo - guard / 2));
    EXPECT_FALSE(stack_is_guard_address(lo));
    EXPECT_FALSE(stack_is_guard_address(lo + s.size / 2));
    EXPECT_FALSE(stack_is_guard_address(lo + s.size - 1));
    EXPECT_FALSE(stack_is_guard_address(lo - guard - 1));  // a neighbour's top, or unmapped
  }
  auto heap = std::make_unique<int>(7);
  int local = 0;
  EXPECT_FALSE(stack_is_guard_address(heap.get()));
  EXPECT_FALSE(stack_is_guard_address(&local));
  EXPECT_FALSE(stack_is_guard_address(nullptr));
  EXPECT_FALSE(stack_is_guard_address(reinterpret_cast<const void*>(~std::uintptr_t{0})));
  for (const StackSpan& s : spans) stack_free(s);
}

// True when the kernel faults on reading `p` (a guard region): a pipe write
// from it fails with EFAULT instead of raising SIGSEGV.
bool read_faults(const void* p, int pipe_fds[2]) {
  if (::write(pipe_fds[1], p, 1) == 1) {
    char c;
    EXPECT_EQ(::read(pipe_fds[0], &c, 1), 1);
    return false;
  }
  EXPECT_EQ(errno, EFAULT);
  return true;
}

TEST(StackPoolTest, EveryStackHandedOutIsGuarded) {
  // Guards are installed in batches as the pool's bump cursor advances:
  // enough stacks to cross several batches and a slab boundary, each probed
  // just below lo, at the guard's bottom, and inside the stack.
  constexpr int kStacks = 600;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::vector<StackSpan> spans;
  for (int i = 0; i < kStacks; ++i) {
    spans.push_back(stack_alloc());
    ASSERT_TRUE(spans.back());
  }
  for (int i = 0; i < kStacks; ++i) {
    const auto* lo = static_cast<const char*>(spans[i].lo);
    EXPECT_TRUE(read_faults(lo - 1, fds)) << "stack " << i;
    EXPECT_TRUE(read_faults(lo - stack_guard_size(), fds)) << "stack " << i;
    EXPECT_FALSE(read_faults(lo, fds)) << "stack " << i;
    EXPECT_FALSE(read_faults(lo + spans[i].size - 1, fds)) << "stack " << i;
  }
  for (const StackSpan& s : spans) stack_free(s);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(StackPoolTest, FreeReturnsMemoryBeyondThreshold) {
  // Whatever the pool already holds, freeing 1100 more puts it above its
  // release threshold (1024), so the last ones freed must be released.
  constexpr int kStacks = 1100;
  constexpr int kChecked = 50;
  const std::size_t page = page_size();
  std::vector<StackSpan> spans;
  for (int i = 0; i < kStacks; ++i) {
    spans.push_back(stack_alloc());
    ASSERT_TRUE(spans.back());
  }
  const std::size_t touched = 16 * page;
  for (int i = kStacks - kChecked; i < kStacks; ++i) {
    StackSpan& s = spans[i];
    std::memset(static_cast<char*>(s.lo) + s.size - touched, 0x77, touched);
  }
  for (const StackSpan& s : spans) stack_free(s);
  const std::size_t pages = spans[0].size / page;
  std::vector<unsigned char> vec(pages);
  for (int i = kStacks - kChecked; i < kStacks; ++i) {
    const StackSpan& s = spans[i];
    ASSERT_EQ(::mincore(s.lo, s.size, vec.data()), 0);
    std::size_t resident = 0;
    for (unsigned char v : vec) resident += v & 1;
    EXPECT_LE(resident, 2u) << "stack " << i << " kept " << resident << " pages";
    EXPECT_EQ(vec[pages - 1] & 1, 1) << "the top page stays";
  }
}

TEST(StackPoolTest, OneMillionStacksCoexist) {
#if defined(GORO_TEST_SANITIZED)
  constexpr std::size_t kStacks = 20'000;
#else
  constexpr std::size_t kStacks = 1'000'000;
#endif
  // Detect kernels without MADV_GUARD_INSTALL: there every guard is its own
  // mapping and a million stacks cannot fit in vm.max_map_count.
  {
    std::vector<StackSpan> probe;
    const std::size_t before = maps_count();
    for (int i = 0; i < 600; ++i) probe.push_back(stack_alloc());
    const std::size_t grew = maps_count() - before;
    for (const StackSpan& s : probe) stack_free(s);
    if (grew > 64) GTEST_SKIP() << "guard regions split mappings on this kernel (+" << grew;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t rss0 = status_kib("VmRSS");
  const std::size_t pte0 = status_kib("VmPTE");
  std::vector<StackSpan> spans;
  spans.reserve(kStacks);
  for (std::size_t i = 0; i < kStacks; ++i) {
    StackSpan s = stack_alloc();
    ASSERT_TRUE(s) << "allocation " << i << " failed";
    static_cast<volatile char*>(s.lo)[s.size - 1] = 1;  // commit the top page
    spans.push_back(s);
  }
  const auto t1 = std::chrono::steady_clock::now();
  const std::size_t maps = maps_count();
  const std::size_t rss1 = status_kib("VmRSS");
  const std::size_t pte1 = status_kib("VmPTE");
  std::printf("[ info ] %zu stacks: %zu mappings, RSS +%zu MiB, page tables +%zu MiB, %.2f s\n",
              kStacks, maps, (rss1 - std::min(rss0, rss1)) / 1024,
              (pte1 - std::min(pte0, pte1)) / 1024, std::chrono::duration<double>(t1 - t0).count());
  EXPECT_LT(maps, 2000u) << "stacks must not cost a mapping each";

  // No two stacks overlap, and each is separated by at least a guard.
  std::vector<std::uintptr_t> los;
  los.reserve(spans.size());
  for (const StackSpan& s : spans) los.push_back(addr(s.lo));
  std::sort(los.begin(), los.end());
  for (std::size_t i = 1; i < los.size(); ++i) {
    ASSERT_GE(los[i], los[i - 1] + stack_size() + stack_guard_size());
  }
  for (const StackSpan& s : spans) stack_free(s);
  const auto t2 = std::chrono::steady_clock::now();
  std::printf("[ info ] freed in %.2f s, RSS after free %zu MiB\n",
              std::chrono::duration<double>(t2 - t1).count(), status_kib("VmRSS") / 1024);
}

// --- overflow faults in the guard --------------------------------------------

volatile int g_never = 0;

__attribute__((noinline)) int recurse_forever(int depth) {
  volatile char frame[256];
  frame[0] = static_cast<char>(depth);
  if (g_never != 0) return frame[0];
  const int r = recurse_forever(depth + 1);
  asm volatile("" ::: "memory");
  return r + frame[0];
}

struct Overflow {
  Fiber main;
  Fiber fiber;
};

void overflow_entry(void* p) {
  auto* o = static_cast<Overflow*>(p);
  recurse_forever(0);
  Fiber::switch_to(o->fiber, o->main, true);
}

// Allocates two stacks where `high` sits directly above `low` (its guard
// between them), fills the top of `low` with a pattern and overflows `high`.
constexpr unsigned char kPattern = 0xC3;
StackSpan g_low;

void overflow_into_neighbour() {
  StackSpan low = stack_alloc();
  StackSpan high = stack_alloc();
  for (int tries = 0; addr(high.lo) != addr(low.lo) + low.size + stack_guard_size(); ++tries) {
    if (tries > 1000) std::_Exit(3);  // cannot find adjacent stacks
    low = high;
    high = stack_alloc();
  }
  g_low = low;
  std::memset(static_cast<char*>(low.lo) + low.size - 4096, kPattern, 4096);
  Overflow o;
  o.main.adopt_current_thread();
  o.fiber.prepare(high.lo, high.size, &overflow_entry, &o);
  Fiber::switch_to(o.main, o.fiber);
  std::_Exit(4);  // not reached: the overflow must fault
}

void guard_handler(int, siginfo_t* info, void*) {
  const auto* top = static_cast<const unsigned char*>(g_low.lo) + g_low.size;
  bool intact = true;
  for (const unsigned char* p = top - 4096; p < top; ++p) intact = intact && *p == kPattern;
  if (!stack_is_guard_address(info->si_addr)) ::_exit(5);
  ::_exit(intact ? 42 : 6);
}

TEST(StackPoolDeathTest, OverflowKillsWithSigsegv) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
#if defined(GORO_TEST_SANITIZED)
  // The sanitizer's own SIGSEGV handler reports the overflow and exits.
  EXPECT_DEATH(overflow_into_neighbour(), "stack-overflow");
#else
  EXPECT_EXIT(overflow_into_neighbour(), ::testing::KilledBySignal(SIGSEGV), "");
#endif
}

TEST(StackPoolDeathTest, OverflowFaultsInGuardAndSparesNeighbour) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        static char altstack[256 * 1024];
        stack_t ss{};
        ss.ss_sp = altstack;
        ss.ss_size = sizeof altstack;
        ::sigaltstack(&ss, nullptr);
        struct sigaction sa {};
        sa.sa_sigaction = &guard_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGSEGV, &sa, nullptr);
        overflow_into_neighbour();
      },
      ::testing::ExitedWithCode(42), "");
}

}  // namespace
}  // namespace goro::rt
