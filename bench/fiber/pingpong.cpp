// pingpong, Boost.Fiber twin of bench/pingpong.cpp: two fibers bounce a value
// over two unbuffered channels; ns per round trip.
#include "fiber_common.hpp"

int main() {
  fbench::Runtime runtime;
  long n = fbench::env_long("GORO_BENCH_N", 1'000'000);
  boost::fibers::unbuffered_channel<long> ping, pong;
  fbench::go([&] {
    for (long i = 0; i < n; ++i) pong.push(ping.value_pop() + 1);
  });
  auto t0 = std::chrono::steady_clock::now();
  long v = 0;
  for (long i = 0; i < n; ++i) {
    ping.push(v);
    v = pong.value_pop();
  }
  double seconds = fbench::seconds_since(t0);
  if (v != n) return 1;
  fbench::report("pingpong", n, "ns_per_op", seconds * 1e9 / double(n));
}
