// pingpong: two goroutines bounce a value over two unbuffered channels.
// N round trips (GORO_BENCH_N, default 1 000 000); ns per round trip.
#include <goro/goro.hpp>

#include "bench_common.hpp"

int main() {
  long n = bench::env_long("GORO_BENCH_N", 1'000'000);
  auto ping = goro::make_chan<long>();
  auto pong = goro::make_chan<long>();
  auto done = goro::make_chan<double>();
  goro::go([=] {
    for (long i = 0; i < n; ++i) pong.send(ping.recv().value() + 1);
  });
  goro::go([=] {
    auto t0 = std::chrono::steady_clock::now();
    long v = 0;
    for (long i = 0; i < n; ++i) {
      ping.send(v);
      v = pong.recv().value();
    }
    done.send(v == n ? bench::seconds_since(t0) : -1.0);
  });
  double seconds = done.recv().value();
  if (seconds < 0) return 1;
  bench::report("pingpong", n, "ns_per_op", seconds * 1e9 / double(n));
}
