// Goroutine stack pool: slabs of guarded, lazily committed stacks and the
// global free list. See stack_pool.hpp.
//
// Owns: every slab (one anonymous MAP_NORESERVE mapping holding up to 256
// stacks, never unmapped), the slab registry read by stack_is_guard_address,
// and the free list (intrusive, LIFO, linked through a node at the top of each
// free stack).
//
// Layout of a slab, low to high addresses:
//   [guard | stack 0][guard | stack 1] ... [guard | stack N-1]
// so every stack's guard lies directly below its `lo`, and an overflow of
// stack i hits guard i before it can reach the top of stack i-1.
//
// Size: GORO_STACK_SIZE (bytes, decimal) is read once, clamped to
// [16 KiB, 1 GiB] and rounded up to the page size; invalid values are ignored.
//
// Guard size: 16 KiB (rounded up to the page size). A 4 KiB guard is skipped
// by any frame with more than 4 KiB of locals (a char buf[8192] is enough),
// which silently corrupts the neighbouring stack; gcc does not probe stack
// pages unless -fstack-clash-protection is on. 16 KiB catches frames up to
// that size. With MADV_GUARD_INSTALL the guard costs no memory and no VMA;
// with the mprotect fallback it costs address space only.
//
// Mapping count: guards are installed with madvise(MADV_GUARD_INSTALL)
// (Linux >= 6.13), which does not split the VMA, so a slab is one VMA (and
// adjacent slabs usually merge into one): a million stacks need a handful of
// mappings. On older kernels the fallback mprotect(PROT_NONE) splits every
// guard into its own VMA (two VMAs per stack), so the stack count is then
// bounded by vm.max_map_count / 2 (about 32,000 with the default 65530):
// the million-goroutine figure depends on the kernel. (qemu-user 7.2 accepts
// MADV_GUARD_INSTALL but ignores it, so emulated runs have no guards.)
//
// Preparation: a slab's stacks are readied kPrepareBatch (32) at a time as the
// bump cursor reaches them: their guards are installed and their top pages
// populated, each with one process_madvise(PIDFD_SELF) call (Linux >= 6.15;
// older kernels: one madvise per guard, and the top page is faulted in by its
// first touch). Measured (Linux 6.18 VM, 256 stacks): a guard costs about
// 460 ns batched against 530-640 ns alone, mostly the kernel's page-table
// work; a batched populate costs about two thirds of a first-touch fault.
// The thread that claims a batch readies it outside the lock, keeps its first
// stack and pushes the other 31 onto the free list. Readying batches ahead on
// a background thread was tried and dropped: the kernel work runs only
// partly in parallel (1.35x with two threads) and in bench_timers the other
// CPU is busy running goroutines, so the wall time fell only 3% while p99
// oversleep nearly doubled (bench/NOTES.md).
//
// Memory return: stack_free keeps a stack's pages while the free list holds
// at most kReleaseThreshold (1024) stacks, so recycling costs a lock and two
// stores. Beyond that it madvise(MADV_DONTNEED)s everything but the top page
// (which holds the free-list node and is the first page a new goroutine
// touches). Measured on x86-64 (Linux 6.18 VM), one alloc+touch+free cycle:
// without release 17 ns (stack untouched or 8 KiB used) to 270 ns (256 KiB
// used, pages stay resident); with the madvise 260 ns when only the top page
// was used, 2.6 us for 8 KiB, 19 us for 64 KiB and 64 us for 256 KiB (zap plus
// re-fault of every page on reuse). So the threshold keeps the recycling path
// syscall-free and bounds what an idle pool holds to
// 1024 full stacks plus one page per further free stack.
//
// Who touches what: stack_alloc runs on whichever M spawns a goroutine that
// finds no dead G to reuse (sched/spawn.cpp), so on several threads at once;
// the runtime never calls stack_free (dead Gs keep their stacks); tests do.
// The pool has no thread of its own.
//
// Locking: one std::mutex (g_mu) protects the free list and the bump cursor
// into the newest slab, including slab creation. g_free_count is written
// under it and read without it by stack_free (only to decide whether to
// release memory, so a stale count is harmless). The registry is append-only:
// a slot is written before g_slab_count is incremented with release order, so
// stack_is_guard_address reads it without locks (async-signal-safe); it scans
// the registry linearly (about 3,900 slabs per million stacks), which is fine
// for a fault path. The madvise in stack_free and the readying of a claimed
// batch run outside the lock (holding it there made the other M sleep on it:
// skynet at 2 procs went from about 370 to 2,000 context switches).
#include "stack/stack_pool.hpp"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
#define GORO_STACK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GORO_STACK_ASAN 1
#endif
#endif

#if defined(GORO_STACK_ASAN)
#if __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#else
extern "C" {
void* __asan_region_is_poisoned(void* beg, std::size_t size);
void __asan_unpoison_memory_region(const volatile void* addr, std::size_t size);
}
#endif
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102  // Linux >= 6.13
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux >= 5.14
#endif
#ifndef PIDFD_SELF
#define PIDFD_SELF (-10000)  // Linux >= 6.15: the calling process
#endif

namespace goro::rt {

namespace {

constexpr std::size_t kDefaultStackSize = 256 * 1024;
constexpr std::size_t kMinStackSize = 16 * 1024;
constexpr std::size_t kMaxStackSize = std::size_t{1} << 30;
constexpr std::size_t kGuardSize = 16 * 1024;
constexpr std::size_t kMaxStacksPerSlab = 256;
constexpr std::size_t kMaxSlabBytes = std::size_t{1} << 30;
// Registry capacity: 65536 slabs of up to 256 stacks (16M stacks by default).
constexpr std::size_t kMaxSlabs = std::size_t{1} << 16;
constexpr std::size_t kReleaseThreshold = 1024;
// Stacks readied (guarded, top page populated) at a time by the bump path.
constexpr std::size_t kPrepareBatch = 32;

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

struct Geometry {
  std::size_t page;
  std::size_t stack;       // usable bytes per stack
  std::size_t guard;       // guard bytes below each stack
  std::size_t stride;      // guard + stack
  std::size_t per_slab;    // stacks per slab
  std::size_t slab_bytes;  // per_slab * stride
  std::size_t keep;        // bytes at the top of a free stack never released
};

// Copies of the geometry for the signal-safe lookup, published before the
// first slab (ordered by g_slab_count's release store).
std::atomic<std::size_t> g_sig_stride{0};
std::atomic<std::size_t> g_sig_guard{0};
std::atomic<std::size_t> g_sig_slab_bytes{0};
std::atomic<std::uintptr_t> g_slabs[kMaxSlabs];
std::atomic<std::size_t> g_slab_count{0};

Geometry compute_geometry() {
  Geometry g{};
  const long page = ::sysconf(_SC_PAGESIZE);
  g.page = page > 0 ? static_cast<std::size_t>(page) : 4096;
  std::size_t want = kDefaultStackSize;
  if (const char* env = std::getenv("GORO_STACK_SIZE"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(env, &end, 10);
    if (errno == 0 && end != env && *end == '\0' && v > 0) {
      want = v < kMinStackSize ? kMinStackSize
                               : (v > kMaxStackSize ? kMaxStackSize : static_cast<std::size_t>(v));
    }
  }
  g.stack = round_up(want, g.page);
  g.guard = round_up(kGuardSize, g.page);
  g.stride = g.guard + g.stack;
  g.per_slab = kMaxSlabBytes / g.stride;
  if (g.per_slab > kMaxStacksPerSlab) g.per_slab = kMaxStacksPerSlab;
  if (g.per_slab == 0) g.per_slab = 1;
  g.slab_bytes = g.per_slab * g.stride;
  g.keep = g.page;
  g_sig_stride.store(g.stride, std::memory_order_relaxed);
  g_sig_guard.store(g.guard, std::memory_order_relaxed);
  g_sig_slab_bytes.store(g.slab_bytes, std::memory_order_relaxed);
  return g;
}

const Geometry& geometry() {
  static const Geometry g = compute_geometry();
  return g;
}

struct FreeNode {
  FreeNode* next;
};

std::mutex g_mu;
FreeNode* g_free_head = nullptr;           // guarded by g_mu
std::atomic<std::size_t> g_free_count{0};  // written under g_mu
std::uintptr_t g_cur_slab = 0;             // guarded by g_mu
std::size_t g_cur_next = 0;                // guarded by g_mu; next stack index
// Kernel capabilities, learnt once (relaxed: a stale read only costs a
// failed syscall).
std::atomic<bool> g_guard_fallback{false};  // use mprotect
std::atomic<bool> g_vector_madvise{true};   // process_madvise(PIDFD_SELF) works

FreeNode* node_of(void* lo, std::size_t size) {
  // The node sits in the top page, 16-byte aligned just below the top.
  return reinterpret_cast<FreeNode*>(reinterpret_cast<std::uintptr_t>(lo) + size - 16);
}

bool install_guard(void* addr, std::size_t len) {
  if (!g_guard_fallback.load(std::memory_order_relaxed)) {
    if (::madvise(addr, len, MADV_GUARD_INSTALL) == 0) return true;
    if (errno != EINVAL) return false;
    g_guard_fallback.store(true, std::memory_order_relaxed);  // no guard regions
  }
  return ::mprotect(addr, len, PROT_NONE) == 0;
}

// One process_madvise(PIDFD_SELF) call for all of iov: true when the whole
// range was advised. Turns itself off for good when the kernel cannot do it
// (no process_madvise, no PIDFD_SELF, or `advice` not allowed there: Linux
// < 6.15); callers then fall back.
bool vector_madvise(iovec* iov, std::size_t n, int advice) {
#if defined(SYS_process_madvise)
  if (!g_vector_madvise.load(std::memory_order_relaxed)) return false;
  std::size_t want = 0;
  for (std::size_t i = 0; i < n; ++i) want += iov[i].iov_len;
  const long r = ::syscall(SYS_process_madvise, PIDFD_SELF, iov, n, advice, 0u);
  if (r >= 0) return static_cast<std::size_t>(r) == want;
  if (errno == EINVAL || errno == EBADF || errno == ENOSYS || errno == EPERM || errno == ESRCH)
    g_vector_madvise.store(false, std::memory_order_relaxed);
  return false;
#else
  (void)iov;
  (void)n;
  (void)advice;
  return false;
#endif
}

// Readies stacks [first, first + count) of `slab`: installs their
// guards and, when the kernel can do it in one call, populates their top
// pages (the page a new goroutine's closure and first frames land on: one
// batched populate costs about a third less than a page fault per stack, and
// it holds at most kPrepareBatch - 1 not yet used pages). Runs without g_mu:
// the batch is claimed (the cursor moved past it) but not yet published.
bool prepare_stacks(const Geometry& g, std::uintptr_t slab, std::size_t first, std::size_t count) {
  iovec iov[kPrepareBatch];
  auto* base = reinterpret_cast<unsigned char*>(slab);
  for (std::size_t i = 0; i < count; ++i) iov[i] = iovec{base + (first + i) * g.stride, g.guard};
  if (g_guard_fallback.load(std::memory_order_relaxed) ||
      !vector_madvise(iov, count, MADV_GUARD_INSTALL)) {
    for (std::size_t i = 0; i < count; ++i)
      if (!install_guard(iov[i].iov_base, g.guard)) return false;
  }
  for (std::size_t i = 0; i < count; ++i)
    iov[i] = iovec{base + (first + i + 1) * g.stride - g.page, g.page};
  (void)vector_madvise(iov, count, MADV_POPULATE_WRITE);  // else: faults
  return true;
}

// Maps and registers a new slab (its stacks are guarded in batches as the
// bump cursor reaches them). Caller holds g_mu.
bool new_slab_locked(const Geometry& g) {
  const std::size_t n = g_slab_count.load(std::memory_order_relaxed);
  if (n >= kMaxSlabs) return false;
  void* p = ::mmap(nullptr, g.slab_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  // One touched page must not pull in a 2 MiB huge page (large stack sizes
  // would otherwise be committed whole). Applies to the whole VMA, so no
  // split; failure (THP compiled out) is harmless.
  (void)::madvise(p, g.slab_bytes, MADV_NOHUGEPAGE);
  g_slabs[n].store(reinterpret_cast<std::uintptr_t>(p), std::memory_order_relaxed);
  g_slab_count.store(n + 1, std::memory_order_release);
  g_cur_slab = reinterpret_cast<std::uintptr_t>(p);
  g_cur_next = 0;
  return true;
}

}  // namespace

std::size_t stack_size() { return geometry().stack; }

std::size_t stack_guard_size() { return geometry().guard; }

StackSpan stack_alloc() {
  const Geometry& g = geometry();
  std::uintptr_t slab;
  std::size_t first, count;
  {
    std::lock_guard lock(g_mu);
    if (FreeNode* node = g_free_head) {
      g_free_head = node->next;
      g_free_count.store(g_free_count.load(std::memory_order_relaxed) - 1,
                         std::memory_order_relaxed);
      const std::uintptr_t lo = reinterpret_cast<std::uintptr_t>(node) + 16 - g.stack;
      return StackSpan{reinterpret_cast<void*>(lo), g.stack};
    }
    if (g_cur_slab == 0 || g_cur_next == g.per_slab) {
      if (!new_slab_locked(g)) return StackSpan{};
    }
    // Claim a batch; it is readied outside the lock (tens of microseconds of
    // syscalls that other Ms allocating stacks must not wait for).
    slab = g_cur_slab;
    first = g_cur_next;
    count = std::min(kPrepareBatch, g.per_slab - first);
    g_cur_next += count;
  }
  if (!prepare_stacks(g, slab, first, count)) return StackSpan{};
  auto stack_at = [&](std::size_t i) {
    return StackSpan{reinterpret_cast<void*>(slab + i * g.stride + g.guard), g.stack};
  };
  // Keep the first; the rest go to the free list, lowest address on top.
  if (count > 1) {
    FreeNode* head = nullptr;
    FreeNode* tail = node_of(stack_at(first + count - 1).lo, g.stack);
    for (std::size_t i = first + count - 1; i > first; --i) {
      FreeNode* node = node_of(stack_at(i).lo, g.stack);
      node->next = head;
      head = node;
    }
    std::lock_guard lock(g_mu);
    tail->next = g_free_head;
    g_free_head = head;
    g_free_count.store(g_free_count.load(std::memory_order_relaxed) + (count - 1),
                       std::memory_order_relaxed);
  }
  return stack_at(first);
}

void stack_free(StackSpan s) {
  if (!s) return;
  const Geometry& g = geometry();
#if defined(GORO_STACK_ASAN)
  // Frames that never returned leave poisoned redzones behind; hand out clean
  // stacks (and keep the free-list write below legal).
  if (void* p = __asan_region_is_poisoned(s.lo, s.size)) {
    __asan_unpoison_memory_region(
        p, static_cast<std::size_t>(static_cast<unsigned char*>(s.lo) + s.size -
                                    static_cast<unsigned char*>(p)));
  }
#endif
  // Approximate count is fine: it only decides whether to return memory.
  if (g_free_count.load(std::memory_order_relaxed) >= kReleaseThreshold && s.size > g.keep) {
    (void)::madvise(s.lo, s.size - g.keep, MADV_DONTNEED);
  }
  FreeNode* node = node_of(s.lo, s.size);
  std::lock_guard lock(g_mu);
  node->next = g_free_head;
  g_free_head = node;
  g_free_count.store(g_free_count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

bool stack_is_guard_address(const void* addr) {
  const std::size_t n = g_slab_count.load(std::memory_order_acquire);
  if (n == 0) return false;
  const std::size_t stride = g_sig_stride.load(std::memory_order_relaxed);
  const std::size_t guard = g_sig_guard.load(std::memory_order_relaxed);
  const std::size_t slab_bytes = g_sig_slab_bytes.load(std::memory_order_relaxed);
  const auto a = reinterpret_cast<std::uintptr_t>(addr);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uintptr_t off = a - g_slabs[i].load(std::memory_order_relaxed);
    if (off < slab_bytes) return off % stride < guard;
  }
  return false;
}

}  // namespace goro::rt
