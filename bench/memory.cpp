// memory: resident memory per parked goroutine. Parks N goroutines (default
// 1 000 000, env GORO_BENCH_N) in a long sleep and reports the growth of the
// process's RSS divided by N, as one JSON line.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <goro/goro.hpp>

using namespace std::chrono_literals;

namespace {

long rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

int main() {
  long n = 1'000'000;
  if (const char* env = std::getenv("GORO_BENCH_N")) n = std::atol(env);
  std::atomic<long> parked{0};
  goro::go([] {});  // start the runtime before the baseline
  std::this_thread::sleep_for(50ms);
  long before = rss_bytes();
  for (long i = 0; i < n; ++i)
    goro::go([&parked] {
      parked.fetch_add(1, std::memory_order_relaxed);
      goro::sleep(1h);
    });
  while (parked.load() < n) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(100ms);
  long after = rss_bytes();
  std::printf(
      "{\"bench\":\"memory\",\"impl\":\"goro\",\"procs\":%d,\"n\":%ld,\"metric\":\"bytes_per_"
      "goroutine\",\"value\":%.1f}\n",
      goro::gomaxprocs(), n, double(after - before) / double(n));
  std::fflush(stdout);
  std::_Exit(0);  // a million sleepers need no teardown
}
