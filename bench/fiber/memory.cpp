// memory, Boost.Fiber twin of bench/memory.cpp: RSS growth per fiber parked
// in a long sleep, at N fibers (64 KiB malloc'd stacks, see fiber_common.hpp).
#include <unistd.h>

#include <fstream>

#include "fiber_common.hpp"

namespace {

long rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

int main() {
  using namespace std::chrono_literals;
  fbench::Runtime runtime;
  long n = fbench::env_long("GORO_BENCH_N", 1'000'000);
  static std::atomic<long> parked{0};
  boost::this_fiber::sleep_for(50ms);
  long before = rss_bytes();
  for (long i = 0; i < n; ++i)
    fbench::go([] {
      parked.fetch_add(1, std::memory_order_relaxed);
      boost::this_fiber::sleep_for(1h);
    });
  while (parked.load() < n) boost::this_fiber::sleep_for(10ms);
  boost::this_fiber::sleep_for(100ms);
  long after = rss_bytes();
  fbench::report("memory", n, "bytes_per_goroutine", double(after - before) / double(n));
  std::_Exit(0);  // a million sleepers need no teardown
}
