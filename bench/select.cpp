// select: one consumer selects over 4 unbuffered channels, each fed by its
// own producer; N messages in all (GORO_BENCH_N, default 1 000 000).
// ns per message received.
#include <array>

#include <goro/goro.hpp>

#include "bench_common.hpp"

int main() {
  long n = bench::env_long("GORO_BENCH_N", 1'000'000);
  std::array<goro::Chan<long>, 4> chans;
  for (auto& c : chans) c = goro::make_chan<long>();
  for (int p = 0; p < 4; ++p)
    goro::go([c = chans[p], n, p] {
      for (long i = p; i < n; i += 4) c.send(i);
    });
  auto done = goro::make_chan<double>();
  goro::go([=] {
    auto t0 = std::chrono::steady_clock::now();
    long sum = 0;
    auto add = [&](std::optional<long> v) { sum += *v; };
    for (long i = 0; i < n; ++i)
      goro::select(goro::recv(chans[0], add), goro::recv(chans[1], add), goro::recv(chans[2], add),
                   goro::recv(chans[3], add));
    done.send(sum == n * (n - 1) / 2 ? bench::seconds_since(t0) : -1.0);
  });
  double seconds = done.recv().value();
  if (seconds < 0) return 1;
  bench::report("select", n, "ns_per_op", seconds * 1e9 / double(n));
}
