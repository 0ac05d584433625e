// spawn, Boost.Fiber twin of bench/spawn.cpp: N fibers, each bumping a
// counter and calling done on one WaitGroup; ns per fiber.
#include "fiber_common.hpp"

int main() {
  fbench::Runtime runtime;
  long n = fbench::env_long("GORO_BENCH_N", 1'000'000);
  static std::atomic<long> ran{0};
  static fbench::WaitGroup wg;
  auto t0 = std::chrono::steady_clock::now();
  wg.add(n);
  for (long i = 0; i < n; ++i)
    fbench::go([] {
      ran.fetch_add(1, std::memory_order_relaxed);
      wg.done();
    });
  wg.wait();
  double seconds = fbench::seconds_since(t0);
  if (ran.load() != n) return 1;
  fbench::report("spawn", n, "ns_per_op", seconds * 1e9 / double(n));
}
