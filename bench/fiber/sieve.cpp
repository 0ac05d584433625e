// sieve, Boost.Fiber twin of bench/sieve.cpp: the concurrent prime sieve over
// unbuffered channels, first N primes; ms. The last prime is checked.
#include <memory>

#include "../nth_prime.hpp"
#include "fiber_common.hpp"

namespace {
using Chan = boost::fibers::unbuffered_channel<long>;
}

int main() {
  fbench::Runtime runtime;
  long n = fbench::env_long("GORO_BENCH_N", 3000);
  auto t0 = std::chrono::steady_clock::now();
  auto ch = std::make_shared<Chan>();
  fbench::go([out = ch] {
    for (long i = 2;; ++i) out->push(i);
  });
  long prime = 0;
  for (long i = 0; i < n; ++i) {
    prime = ch->value_pop();
    auto next = std::make_shared<Chan>();
    fbench::go([in = ch, out = next, prime] {
      for (;;) {
        long v = in->value_pop();
        if (v % prime != 0) out->push(v);
      }
    });
    ch = next;
  }
  double seconds = fbench::seconds_since(t0);
  if (prime != bench::nth_prime(n)) return 1;
  fbench::report("sieve", n, "ms", seconds * 1e3);
  std::_Exit(0);  // the generator and the filters stay blocked forever
}
