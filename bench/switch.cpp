// Benchmark: cost of one Fiber::switch_to, measured as a ping-pong between
// the thread's own (adopted) fiber and one goroutine fiber on a pool stack.
// This is the raw register and stack switch (plus the sanitizer hooks, which
// are empty in a normal build), not a trip through the scheduler: that one is
// bench/yield.cpp. Measure on one quiet CPU: taskset -c 1.
//
// Owns: its two fibers and one stack. Single-threaded; no locks.
// Output: one JSON line
//   {"bench":"switch","impl":"goro","procs":1,"n":N,"metric":"ns_per_op","value":X}
// where N switches (N/2 round trips) are timed five times and X is the median
// ns per switch. N comes from GORO_BENCH_N (default 10,000,000).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "arch/fiber.hpp"
#include "stack/stack_pool.hpp"

namespace {

using goro::rt::Fiber;

struct PingPong {
  Fiber main;
  Fiber fiber;
  bool stop = false;
};

void pong(void* p) {
  auto* s = static_cast<PingPong*>(p);
  while (!s->stop) Fiber::switch_to(s->fiber, s->main);
  Fiber::switch_to(s->fiber, s->main, /*exiting=*/true);
}

std::uint64_t bench_n() {
  if (const char* env = std::getenv("GORO_BENCH_N"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(env, &end, 10);
    if (end != env && *end == '\0' && v >= 2) return v;
    std::fprintf(stderr, "switch: ignoring invalid GORO_BENCH_N=%s\n", env);
  }
  return 10'000'000;
}

}  // namespace

int main() {
  const std::uint64_t n = bench_n();
  const std::uint64_t rounds = n / 2;  // each round trip is two switches
  goro::rt::StackSpan stack = goro::rt::stack_alloc();
  if (!stack) {
    std::fprintf(stderr, "switch: cannot allocate a stack\n");
    return 1;
  }
  PingPong s;
  s.main.adopt_current_thread();
  s.fiber.prepare(stack.lo, stack.size, &pong, &s);

  // Warm-up: first entry, caches, branch predictors.
  for (std::uint64_t i = 0; i < std::min<std::uint64_t>(rounds, 100'000); ++i) {
    Fiber::switch_to(s.main, s.fiber);
  }

  std::vector<double> runs;
  for (int run = 0; run < 5; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < rounds; ++i) Fiber::switch_to(s.main, s.fiber);
    const auto t1 = std::chrono::steady_clock::now();
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    runs.push_back(ns / static_cast<double>(2 * rounds));
  }
  s.stop = true;
  Fiber::switch_to(s.main, s.fiber);  // lets pong exit
  s.fiber.release();
  s.main.release();
  goro::rt::stack_free(stack);

  std::sort(runs.begin(), runs.end());
  std::printf(
      "{\"bench\":\"switch\",\"impl\":\"goro\",\"procs\":1,\"n\":%llu,\"metric\":\"ns_per_op\","
      "\"value\":%.3f}\n",
      static_cast<unsigned long long>(n), runs[runs.size() / 2]);
  return 0;
}
