// The tour: runs the seed programs' scenarios and prints, for each, what the
// seed claims and what goro just measured on this machine.
#include <cstdio>

#include <goro/goro.hpp>

#include "tour.hpp"

int main() {
  std::printf(
      "goro tour — seed claims next to what goro measures on this machine (%d processors)\n",
      goro::gomaxprocs());
  tour::spinner_scenario();
  tour::handoff_scenario();
  tour::many_goroutines_scenario();
  tour::pipeline_scenario();
  tour::deadlock_scenario();
  tour::ch8_more_scenarios();
  tour::seed001_scenarios();
  tour::network_scenarios();
  tour::crawl_scenario();
  tour::greet_scenario();
  std::printf("\nTour finished.\n");
}
