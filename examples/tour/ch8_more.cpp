// Tour scenarios for the rest of gopl.io chapter 8 that need no network:
// countdown1, mirroredQuery's buffered channel, the cake shop.
#include <string>

#include "tour.hpp"

namespace tour {

namespace {

std::string line_with(const std::string& text, const std::string& needle) {
  for (const std::string& l : lines(text))
    if (l.find(needle) != std::string::npos) return l;
  return "(no line with \"" + needle + "\")";
}

}  // namespace

void ch8_more_scenarios() {
  heading("8.7 countdown1", "time.Tick drives a countdown, one tick per interval, then launch");
  Run run = run_example("countdown1", {"-tick", "100ms"});
  measured("examples/countdown1 -tick 100ms printed %zu lines ending \"%s\" in %.2f s",
           lines(run.out).size(), lines(run.out).empty() ? "" : lines(run.out).back().c_str(),
           run.seconds);

  heading("8.4.4 mirroredQuery",
          "with a buffer of 3 the quickest mirror wins and the slower goroutines finish; "
          "unbuffered, they leak");
  run = run_example("mirroredquery", {"-latencies", "300ms,20ms,150ms"});
  measured("%s", line_with(run.out, "quickest").c_str());
  measured("%s", line_with(run.out, "leak").c_str());
  run = run_example("mirroredquery", {"-latencies", "300ms,20ms,150ms", "-unbuffered"});
  measured("with -unbuffered: %s", line_with(run.out, "leak").c_str());

  heading("8.4.4 the cake shop",
          "buffers smooth out variable rates; more icers fix a slow icing stage");
  run = run_example("cake", {"-compare"});
  for (const char* name : {"Benchmark ", "BenchmarkVariable ", "BenchmarkVariableBuffers",
                           "BenchmarkSlowIcing ", "BenchmarkSlowIcingManyIcers"})
    measured("%s", line_with(run.out, name).c_str());
}

}  // namespace tour
