// gopl.io/ch8/cake/cake.go
#include "cake.hpp"

#include <cstdio>
#include <mutex>
#include <random>

namespace cake {

using namespace goro;

namespace {

// Go's rand.NormFloat64 draws from a global source guarded by a lock; so
// does this.
Mutex rand_mu;
std::mt19937_64 rand_source{std::random_device{}()};

double norm_float64() {
  std::lock_guard lock(rand_mu);
  return std::normal_distribution<double>()(rand_source);
}

// work blocks the calling goroutine for a period of time
// that is normally distributed around d
// with a standard deviation of stddev.
void work(Duration d, Duration stddev, bool spin) {
  Duration delay = d + Duration(int64_t(norm_float64() * double(stddev.nanoseconds())));
  if (!spin) {
    time::sleep(delay);
    return;
  }
  // goro addition (-spin): keep the processor busy instead, as real work
  // would; the runtime preempts a goroutine that computes for long.
  auto start = time::now();
  while (time::since(start) < delay) {
  }
}

}  // namespace

void Shop::baker(SendChan<cake> baked) {
  for (int i = 0; i < cakes; i++) {
    cake c = cake(i);
    if (verbose) {
      std::printf("baking %d\n", c);
    }
    ::cake::work(bake_time, bake_std_dev, spin);  // Go: work(...): Shop::work is Go's Work
    baked.send(c);
  }
  baked.close();
}

void Shop::icer(SendChan<cake> iced, RecvChan<cake> baked) {
  for (cake c : baked) {
    if (verbose) {
      std::printf("icing %d\n", c);
    }
    ::cake::work(ice_time, ice_std_dev, spin);  // Go: work(...): Shop::work is Go's Work
    iced.send(c);
  }
}

void Shop::inscriber(RecvChan<cake> iced) {
  for (int i = 0; i < cakes; i++) {
    cake c = *iced.recv();
    if (verbose) {
      std::printf("inscribing %d\n", c);
    }
    ::cake::work(inscribe_time, inscribe_std_dev, spin);  // Go: work(...): Shop::work is Go's Work
    if (verbose) {
      std::printf("finished %d\n", c);
    }
  }
}

// Work runs the simulation 'runs' times.
void Shop::work(int runs) {
  for (int run = 0; run < runs; run++) {
    auto baked = make_chan<cake>(bake_buf);
    auto iced = make_chan<cake>(ice_buf);
    go(&Shop::baker, this, baked);  // Go: go s.baker(baked)
    for (int i = 0; i < num_icers; i++) {
      go(&Shop::icer, this, iced, baked);  // Go: go s.icer(iced, baked)
    }
    inscriber(iced);
  }
}

}  // namespace cake
