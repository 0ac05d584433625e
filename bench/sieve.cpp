// sieve: the concurrent prime sieve. A generator sends 2, 3, 4, ... and each
// prime found adds a filter goroutine to the chain (unbuffered channels).
// Milliseconds to find the first N primes (GORO_BENCH_N, default 3000); the
// last one is checked against a sequential sieve (3000th prime = 27449).
#include <goro/goro.hpp>

#include "bench_common.hpp"
#include "nth_prime.hpp"

int main() {
  long n = bench::env_long("GORO_BENCH_N", 3000);
  auto [seconds, last] = bench::run_in_goroutine([n] {
    auto t0 = std::chrono::steady_clock::now();
    auto ch = goro::make_chan<long>();
    goro::go([out = ch] {
      for (long i = 2;; ++i) out.send(i);
    });
    long prime = 0;
    for (long i = 0; i < n; ++i) {
      prime = ch.recv().value();
      auto next = goro::make_chan<long>();
      goro::go([in = ch, out = next, prime] {
        for (;;) {
          long v = in.recv().value();
          if (v % prime != 0) out.send(v);
        }
      });
      ch = next;
    }
    return std::pair{bench::seconds_since(t0), prime};
  });
  if (last != bench::nth_prime(n)) return 1;
  bench::report("sieve", n, "ms", seconds * 1e3);
  std::fflush(stdout);
  std::_Exit(0);  // the generator and the filters stay blocked forever
}
