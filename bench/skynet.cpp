// skynet: a 10-ary tree of goroutines with N leaves (GORO_BENCH_N, a power
// of 10, default 1 000 000); leaf i sends i to its parent over an unbuffered
// channel, every inner node sends the sum of its children. Milliseconds for
// the whole tree; the root's sum must be N(N-1)/2.
#include <goro/goro.hpp>

#include "bench_common.hpp"

namespace {

void skynet(goro::Chan<long> out, long num, long size) {
  if (size == 1) {
    out.send(num);
    return;
  }
  auto children = goro::make_chan<long>();
  long step = size / 10;
  for (long i = 0; i < 10; ++i) goro::go(skynet, children, num + i * step, step);
  long sum = 0;
  for (long i = 0; i < 10; ++i) sum += children.recv().value();
  out.send(sum);
}

}  // namespace

int main() {
  long n = bench::env_long("GORO_BENCH_N", 1'000'000);
  auto [seconds, sum] = bench::run_in_goroutine([n] {
    auto t0 = std::chrono::steady_clock::now();
    auto root = goro::make_chan<long>();
    goro::go(skynet, root, 0L, n);
    long sum = root.recv().value();
    return std::pair{bench::seconds_since(t0), sum};
  });
  if (sum != n * (n - 1) / 2) return 1;
  bench::report("skynet", n, "ms", seconds * 1e3);
}
