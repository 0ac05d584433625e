// timers, Boost.Fiber twin of bench/timers.cpp: N fibers sleep 0-100 ms each
// (bench/sleep_delay.hpp); wall ms and oversleep p50/p99 in us.
#include <algorithm>

#include "../sleep_delay.hpp"
#include "fiber_common.hpp"

int main() {
  using namespace std::chrono;
  fbench::Runtime runtime;
  long n = fbench::env_long("GORO_BENCH_N", 100'000);
  std::vector<double> over_us(size_t(n), 0.0);
  fbench::WaitGroup wg;
  auto t0 = steady_clock::now();
  wg.add(n);
  for (long i = 0; i < n; ++i)
    fbench::go([i, over = over_us.data(), &wg] {
      auto want = microseconds(bench::delay_us(i));
      auto start = steady_clock::now();
      boost::this_fiber::sleep_for(want);
      over[i] = duration<double, std::micro>(steady_clock::now() - start - want).count();
      wg.done();
    });
  wg.wait();
  double seconds = fbench::seconds_since(t0);
  std::sort(over_us.begin(), over_us.end());
  if (over_us.front() < 0) return 1;
  fbench::report("timers", n, "wall_ms", seconds * 1e3);
  fbench::report("timers", n, "oversleep_p50_us", over_us[size_t(n) / 2]);
  fbench::report("timers", n, "oversleep_p99_us", over_us[size_t(n) * 99 / 100]);
}
