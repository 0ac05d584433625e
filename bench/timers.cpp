// timers: N goroutines (GORO_BENCH_N, default 100 000) each sleep a
// pseudo-random 0-100 ms (bench/sleep_delay.hpp). Three lines: the wall time
// from the first go to the last wake-up (wall_ms), and the median and 99th
// percentile of oversleep, actual minus requested (oversleep_p50_us,
// oversleep_p99_us). A sleep that returns early fails the run.
#include <algorithm>
#include <vector>

#include <goro/goro.hpp>

#include "bench_common.hpp"
#include "sleep_delay.hpp"

int main() {
  using namespace std::chrono;
  long n = bench::env_long("GORO_BENCH_N", 100'000);
  std::vector<double> over_us(size_t(n), 0.0);
  static goro::WaitGroup wg;
  double seconds = bench::run_in_goroutine([n, over = over_us.data()] {
    auto t0 = steady_clock::now();
    wg.add(int(n));
    for (long i = 0; i < n; ++i)
      goro::go([i, over] {
        auto want = microseconds(bench::delay_us(i));
        auto start = steady_clock::now();
        goro::sleep(want);
        over[i] = duration<double, std::micro>(steady_clock::now() - start - want).count();
        wg.done();
      });
    wg.wait();
    return bench::seconds_since(t0);
  });
  std::sort(over_us.begin(), over_us.end());
  if (over_us.front() < 0) return 1;
  bench::report("timers", n, "wall_ms", seconds * 1e3);
  bench::report("timers", n, "oversleep_p50_us", over_us[size_t(n) / 2]);
  bench::report("timers", n, "oversleep_p99_us", over_us[size_t(n) * 99 / 100]);
}
