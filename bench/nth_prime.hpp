// The n-th prime by a plain sequential sieve: the reference answer of the
// sieve benchmarks (goro's and Boost.Fiber's). nth_prime(3000) == 27449.
#pragma once

#include <vector>

namespace bench {

inline long nth_prime(long n) {
  for (long limit = 64;; limit *= 2) {
    std::vector<bool> composite(limit + 1, false);
    long count = 0;
    for (long i = 2; i <= limit; ++i) {
      if (composite[i]) continue;
      if (++count == n) return i;
      for (long j = i * i; j <= limit; j += i) composite[j] = true;
    }
  }
}

}  // namespace bench
