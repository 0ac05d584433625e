// timer-ops: the cost of the timer operations themselves, measured in a
// goroutine: new_timer(1h) + stop, reset + stop of one Timer, and
// after_func(1h) + stop. N of each (GORO_BENCH_N, default 1 000 000); ns
// per create+stop (or reset+stop) pair.
#include <goro/goro.hpp>

#include "bench_common.hpp"

namespace {

template <class F>
double ns_per_op(long n, F op) {
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) op();
  return bench::seconds_since(t0) * 1e9 / double(n);
}

}  // namespace

int main() {
  long n = bench::env_long("GORO_BENCH_N", 1'000'000);
  auto results = goro::make_chan<double>(3);
  goro::go([=] {
    using goro::time::Hour;
    results.send(ns_per_op(n, [] { goro::time::new_timer(Hour).stop(); }));
    auto t = goro::time::new_timer(Hour);
    results.send(ns_per_op(n, [&] {
      t.reset(Hour);
      t.stop();
    }));
    results.send(ns_per_op(n, [] { goro::time::after_func(Hour, [] {}).stop(); }));
  });
  bench::report("timer-create-stop", n, "ns_per_op", results.recv().value());
  bench::report("timer-reset-stop", n, "ns_per_op", results.recv().value());
  bench::report("after-func-create-stop", n, "ns_per_op", results.recv().value());
}
