// chan-throughput: 4 producers and 4 consumers share one channel of capacity
// GORO_BENCH_CAP (default 0); N ints in all (GORO_BENCH_N, default
// 10 000 000). Messages per second; the sum is checked.
#include <atomic>

#include <goro/goro.hpp>

#include "bench_common.hpp"

int main() {
  long n = bench::env_long("GORO_BENCH_N", 10'000'000);
  long cap = bench::env_long("GORO_BENCH_CAP", 0);
  constexpr int producers = 4, consumers = 4;
  auto ch = goro::make_chan<long>(cap);
  goro::WaitGroup sent, received;
  std::atomic<long> sum{0};
  auto t0 = std::chrono::steady_clock::now();
  sent.add(producers);
  for (int p = 0; p < producers; ++p)
    goro::go([&, p] {
      for (long i = p; i < n; i += producers) ch.send(i);
      sent.done();
    });
  received.add(consumers);
  for (int c = 0; c < consumers; ++c)
    goro::go([&] {
      long local = 0;
      for (long v : ch) local += v;
      sum += local;
      received.done();
    });
  sent.wait();
  ch.close();
  received.wait();
  double seconds = bench::seconds_since(t0);
  if (sum != n * (n - 1) / 2) return 1;
  bench::report(cap == 0 ? "chan-throughput-cap0" : "chan-throughput-cap1024", n, "msgs_per_s",
                double(n) / seconds);
}
