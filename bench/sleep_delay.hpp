// The timers benchmarks' sleep lengths: goroutine i sleeps delay_us(i)
// microseconds, uniform-looking in [0, 100 000] (splitmix64 of i), the same
// in the goro, Go and Boost.Fiber programs.
#pragma once

#include <cstdint>

namespace bench {

inline long delay_us(long i) {
  std::uint64_t z = std::uint64_t(i) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return long(z % 100'001);
}

}  // namespace bench
