// spawn: N goroutines (GORO_BENCH_N, default 1 000 000), each bumping a
// counter and calling Done on one WaitGroup; ns per goroutine, from the first
// go to the end of Wait. The counter is checked.
#include <atomic>

#include <goro/goro.hpp>

#include "bench_common.hpp"

int main() {
  long n = bench::env_long("GORO_BENCH_N", 1'000'000);
  static std::atomic<long> ran{0};
  static goro::WaitGroup wg;
  double seconds = bench::run_in_goroutine([n] {
    auto t0 = std::chrono::steady_clock::now();
    wg.add(int(n));
    for (long i = 0; i < n; ++i)
      goro::go([] {
        ran.fetch_add(1, std::memory_order_relaxed);
        wg.done();
      });
    wg.wait();
    return bench::seconds_since(t0);
  });
  if (ran.load() != n) return 1;
  bench::report("spawn", n, "ns_per_op", seconds * 1e9 / double(n));
}
