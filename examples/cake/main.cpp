// gopl.io/ch8/cake as a command: runs the cake shop simulation with the
// parameters given as flags (the defaults are the book's benchmark
// defaults) and prints the timing; -compare runs the book's benchmarks
// (gopl.io/ch8/cake/cake_test.go) and prints a table.
//
//   $ build/examples/cake -cakes 20 -icetime 50ms -icers 5
//   $ build/examples/cake -compare
#include <array>
#include <cstdio>
#include <string>

#include <goro/goro.hpp>

#include "cake.hpp"

using namespace goro;

namespace {

struct Timing {
  time::Duration total;  // wall time of all runs
  time::Duration per_run;
  double cakes_per_second;
};

Timing run(cake::Shop& shop, int runs) {
  auto start = time::now();
  shop.work(runs);
  time::Duration total = time::since(start);
  return {total, total / runs, double(shop.cakes) * runs / total.seconds()};
}

std::string describe(const cake::Shop& s) {
  auto step = [](time::Duration d, time::Duration sd) {
    return d.string() + (sd.nanoseconds() != 0 ? "±" + sd.string() : "");
  };
  return std::to_string(s.cakes) + " cakes: bake " + step(s.bake_time, s.bake_std_dev) + ", buf " +
         std::to_string(s.bake_buf) + ", " + std::to_string(s.num_icers) + " icer(s) " +
         step(s.ice_time, s.ice_std_dev) + ", buf " + std::to_string(s.ice_buf) + ", inscribe " +
         step(s.inscribe_time, s.inscribe_std_dev);
}

// The Shops live in static storage: the last goroutines of a run may still
// be ending after Work returns (see cake.hpp).
cake::Shop shop;
std::array<cake::Shop, 6> bench_shops;

// The benchmarks of gopl.io/ch8/cake/cake_test.go, each as a variant of the
// defaults; the last column is the book's time per run (Work(1)) for the
// book's defaults (20 cakes, 10ms per step, 1 icer, no buffers).
void compare(const cake::Shop& defaults, int runs) {
  struct Bench {
    const char* name;
    const char* book;
    void (*vary)(cake::Shop&);
  };
  const Bench benches[] = {
      // Baseline: one baker, one icer, one inscriber.
      // Each step takes exactly 10ms.  No buffers.
      {"Benchmark", "224ms", [](cake::Shop&) {}},
      // Adding buffers has no effect.
      {"BenchmarkBuffers", "224ms",
       [](cake::Shop& s) {
         s.bake_buf = 10;
         s.ice_buf = 10;
       }},
      // Adding variability to rate of each step
      // increases total time due to channel delays.
      {"BenchmarkVariable", "259ms",
       [](cake::Shop& s) {
         s.bake_std_dev = s.bake_time / 4;
         s.ice_std_dev = s.ice_time / 4;
         s.inscribe_std_dev = s.inscribe_time / 4;
       }},
      // Adding channel buffers reduces
      // delays resulting from variability.
      {"BenchmarkVariableBuffers", "244ms",
       [](cake::Shop& s) {
         s.bake_std_dev = s.bake_time / 4;
         s.ice_std_dev = s.ice_time / 4;
         s.inscribe_std_dev = s.inscribe_time / 4;
         s.bake_buf = 10;
         s.ice_buf = 10;
       }},
      // Making the middle stage slower
      // adds directly to the critical path.
      {"BenchmarkSlowIcing", "1.032s", [](cake::Shop& s) { s.ice_time = 50 * time::Millisecond; }},
      // Adding more icing cooks reduces the cost of icing
      // to its sequential component, following Amdahl's Law.
      {"BenchmarkSlowIcingManyIcers", "288ms",
       [](cake::Shop& s) {
         s.ice_time = 50 * time::Millisecond;
         s.num_icers = 5;
       }},
  };
  std::printf("%-28s %12s %10s %8s  %s\n", "benchmark", "time/run", "cakes/s", "book", "shop");
  for (std::size_t i = 0; i < std::size(benches); ++i) {
    cake::Shop& cakeshop = bench_shops[i];  // Go: cakeshop := defaults
    cakeshop = defaults;
    benches[i].vary(cakeshop);
    Timing t = run(cakeshop, runs);  // Go: cakeshop.Work(b.N)
    std::printf("%-28s %12s %10.1f %8s  %s\n", benches[i].name, t.per_run.string().c_str(),
                t.cakes_per_second, benches[i].book, describe(cakeshop).c_str());
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto verbose = flag::boolean("verbose", false, "print each step of each cake");
  auto cakes = flag::integer("cakes", 20, "number of cakes to bake");
  auto bake_time = flag::duration("baketime", 10 * time::Millisecond, "time to bake one cake");
  auto bake_std_dev =
      flag::duration("bakestddev", time::Duration(), "standard deviation of baking time");
  auto bake_buf = flag::integer("bakebuf", 0, "buffer slots between baking and icing");
  auto num_icers = flag::integer("icers", 1, "number of cooks doing icing");
  auto ice_time = flag::duration("icetime", 10 * time::Millisecond, "time to ice one cake");
  auto ice_std_dev =
      flag::duration("icestddev", time::Duration(), "standard deviation of icing time");
  auto ice_buf = flag::integer("icebuf", 0, "buffer slots between icing and inscribing");
  auto inscribe_time =
      flag::duration("inscribetime", 10 * time::Millisecond, "time to inscribe one cake");
  auto inscribe_std_dev =
      flag::duration("inscribestddev", time::Duration(), "standard deviation of inscribing time");
  auto spin = flag::boolean("spin", false, "simulate work by spinning (CPU) instead of sleeping");
  auto runs = flag::integer("runs", 1, "how many times to run the simulation (Go: b.N)");
  auto compare_flag =
      flag::boolean("compare", false, "run the book's benchmark variants and print a table");
  flag::parse(argc, argv);
  if (*cakes < 0 || *bake_buf < 0 || *ice_buf < 0 || *num_icers < 1 || *runs < 1) {
    std::fprintf(stderr,
                 "cake: -cakes, -bakebuf and -icebuf must be >= 0, -icers and -runs >= 1\n");
    return 2;
  }

  shop = cake::Shop{
      .verbose = *verbose,
      .cakes = int(*cakes),
      .bake_time = *bake_time,
      .bake_std_dev = *bake_std_dev,
      .bake_buf = int(*bake_buf),
      .num_icers = int(*num_icers),
      .ice_time = *ice_time,
      .ice_std_dev = *ice_std_dev,
      .ice_buf = int(*ice_buf),
      .inscribe_time = *inscribe_time,
      .inscribe_std_dev = *inscribe_std_dev,
      .spin = *spin,
  };

  if (*compare_flag) {
    compare(shop, int(*runs));
    return 0;
  }
  std::printf("shop: %s\n", describe(shop).c_str());
  Timing t = run(shop, int(*runs));
  std::printf("done: %d run(s) of %d cakes in %s (%s per run, %.1f cakes/s)\n", int(*runs),
              shop.cakes, t.total.string().c_str(), t.per_run.string().c_str(), t.cakes_per_second);
}
