// gopl.io/ch8/cake: package cake provides a simulation of
// a concurrent cake shop with numerous parameters.
//
// Use this command to run the benchmarks:
//   $ build/examples/cake -compare        (Go: go test -bench=. gopl.io/ch8/cake)
#pragma once

#include <goro/goro.hpp>

namespace cake {

using goro::time::Duration;

struct Shop {
  bool verbose = false;
  int cakes = 0;              // number of cakes to bake
  Duration bake_time;         // time to bake one cake
  Duration bake_std_dev;      // standard deviation of baking time
  int bake_buf = 0;           // buffer slots between baking and icing
  int num_icers = 0;          // number of cooks doing icing
  Duration ice_time;          // time to ice one cake
  Duration ice_std_dev;       // standard deviation of icing time
  int ice_buf = 0;            // buffer slots between icing and inscribing
  Duration inscribe_time;     // time to inscribe one cake
  Duration inscribe_std_dev;  // standard deviation of inscribing time
  bool spin = false;          // goro addition: work() spins (burns CPU) instead of sleeping

  // Work runs the simulation 'runs' times.
  //
  // The baker and icer goroutines may still be ending (closing baked,
  // seeing it closed) for a moment after work returns; Go's garbage
  // collector keeps the Shop alive for them, here the caller must: keep the
  // Shop alive until the program ends (main keeps its Shops in static
  // storage).
  void work(int runs);

 private:
  using cake = int;  // Go: type cake int

  void baker(goro::SendChan<cake> baked);
  void icer(goro::SendChan<cake> iced, goro::RecvChan<cake> baked);
  void inscriber(goro::RecvChan<cake> iced);
};

}  // namespace cake
