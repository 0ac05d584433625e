// yield: two goroutines call goro::yield() in turn, so each yield is one trip
// through the scheduler (requeue on the global run queue, pick the other
// goroutine, switch). N yields in all (GORO_BENCH_N, default 10 000 000); ns
// per yield. Compare with bench_switch, the raw fiber switch it contains.
// Run it on one CPU (taskset -c 1, or GORO_MAXPROCS=1) to measure the
// hand-off rather than two processors yielding side by side.
#include <goro/goro.hpp>

#include "bench_common.hpp"

int main() {
  const long n = bench::env_long("GORO_BENCH_N", 10'000'000);
  const long per_goroutine = n / 2;
  auto done = goro::make_chan<int>(2);
  auto yielder = [=] {
    for (long i = 0; i < per_goroutine; ++i) goro::yield();
    done.send(0);
  };
  const auto t0 = std::chrono::steady_clock::now();
  goro::go(yielder);
  goro::go(yielder);
  done.recv();
  done.recv();
  const double seconds = bench::seconds_since(t0);
  bench::report("yield", 2 * per_goroutine, "ns_per_op", seconds * 1e9 / double(2 * per_goroutine));
}
