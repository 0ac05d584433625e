// End-to-end: the gopl.io/ch8/cake shop simulation bakes, ices and
// inscribes every cake, takes the time its pipeline must take, and -compare
// prints the book's benchmark table.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

// Go's Duration form ("224.04911ms", "1.022156563s", "980µs") -> seconds.
double seconds_of(const std::string& d) {
  for (auto [unit, scale] : {std::pair{"ns", 1e-9}, {"µs", 1e-6}, {"us", 1e-6}, {"ms", 1e-3}}) {
    if (d.ends_with(unit)) return std::stod(d.substr(0, d.size() - std::strlen(unit))) * scale;
  }
  if (d.ends_with("s") && !d.empty() && std::isdigit((unsigned char)d[0])) {
    return std::stod(d.substr(0, d.size() - 1));
  }
  ADD_FAILURE() << "not a duration: " << d;
  return -1;
}

// "done: 1 run(s) of 20 cakes in 224.04911ms (224.04911ms per run, 89.3 cakes/s)"
double per_run_seconds(const std::string& out) {
  auto done = out.find("done: ");
  auto open = out.find(" (", done);
  auto per = out.find(" per run, ", open);
  if (done == std::string::npos || open == std::string::npos || per == std::string::npos) {
    ADD_FAILURE() << "no timing line in:\n" << out;
    return -1;
  }
  return seconds_of(out.substr(open + 2, per - open - 2));
}

TEST(Cake, VerboseShowsEveryStepOfEveryCakeInOrder) {
  ProcessResult r = run_process({example_path("cake"), "-verbose", "-cakes", "10", "-baketime",
                                 "2ms", "-icetime", "2ms", "-inscribetime", "2ms"},
                                "", 60s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  // Each cake is baked, iced, inscribed and finished, in that order; with one
  // icer the cakes reach the inscriber in the order they were baked.
  std::map<int, std::vector<std::string>> steps;
  std::vector<int> finished;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    // "baking 3", "icing 3", "inscribing 3", "finished 3"
    std::istringstream words(line);
    std::string step;
    int c = -1;
    if (!(words >> step >> c)) continue;
    if (step != "baking" && step != "icing" && step != "inscribing" && step != "finished") continue;
    steps[c].push_back(step);
    if (step == "finished") finished.push_back(c);
  }
  ASSERT_EQ(steps.size(), 10u) << r.out;
  for (auto& [c, s] : steps) {
    EXPECT_EQ(s, (std::vector<std::string>{"baking", "icing", "inscribing", "finished"}))
        << "cake " << c;
  }
  EXPECT_EQ(finished, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_NE(r.out.find("done: 1 run(s) of 10 cakes in "), std::string::npos) << r.out;
}

TEST(Cake, ManyIcersFinishEveryCakeOnce) {
  ProcessResult r = run_process(
      {example_path("cake"), "-verbose", "-cakes", "30", "-icers", "4", "-icetime", "8ms",
       "-icestddev", "4ms", "-bakebuf", "3", "-baketime", "1ms", "-inscribetime", "1ms"},
      "", 60s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  std::multiset<int> finished;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("finished ")) finished.insert(std::stoi(line.substr(9)));
  }
  EXPECT_EQ(finished.size(), 30u);
  for (int c = 0; c < 30; ++c) EXPECT_EQ(finished.count(c), 1u) << "cake " << c;
}

TEST(Cake, BaselineTakesThePipelinesTime) {
  // 20 cakes, 10ms per step, no buffers: the book's 224ms per run; at
  // least 20*10ms for the slowest stage plus 2*10ms to fill the pipeline.
  ProcessResult r = run_process({example_path("cake"), "-runs", "2"}, "", 60s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_NE(r.out.find("shop: 20 cakes: bake 10ms, buf 0, 1 icer(s) 10ms, buf 0, inscribe 10ms"),
            std::string::npos)
      << r.out;
  double t = per_run_seconds(r.out);
  EXPECT_GE(t, 0.22) << r.out;
  EXPECT_LT(t, 5.0) << r.out;
}

TEST(Cake, SlowIcingIsTheCriticalPathAndMoreIcersHelp) {
  ProcessResult one =
      run_process({example_path("cake"), "-cakes", "10", "-icetime", "50ms"}, "", 60s);
  ProcessResult five = run_process(
      {example_path("cake"), "-cakes", "10", "-icetime", "50ms", "-icers", "5"}, "", 60s);
  ASSERT_TRUE(one.ok()) << one.err;
  ASSERT_TRUE(five.ok()) << five.err;
  double t1 = per_run_seconds(one.out), t5 = per_run_seconds(five.out);
  EXPECT_GE(t1, 10 * 0.050) << one.out;  // ten cakes through one 50ms icer
  EXPECT_GE(t5, 2 * 0.050) << five.out;  // two rounds of five icers
  EXPECT_LT(t5, t1) << one.out << five.out;
}

TEST(Cake, SpinningWorkFinishesToo) {
  ProcessResult r = run_process({example_path("cake"), "-spin", "-cakes", "5", "-baketime", "2ms",
                                 "-icetime", "2ms", "-inscribetime", "2ms"},
                                "", 60s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_GE(per_run_seconds(r.out), 5 * 0.002) << r.out;
}

TEST(Cake, CompareRunsTheBooksBenchmarks) {
  ProcessResult r = run_process({example_path("cake"), "-compare"}, "", 120s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  // One row per benchmark of cake_test.go: name, time per run, cakes/s, book's time.
  std::map<std::string, double> per_run;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    // "BenchmarkBuffers   226.056185ms   88.5   224ms  20 cakes: bake ..."
    if (!line.starts_with("Benchmark")) continue;
    std::istringstream words(line);
    std::string name, time, book;
    double cakes_per_second = 0;
    ASSERT_TRUE(words >> name >> time >> cakes_per_second >> book) << line;
    EXPECT_GT(cakes_per_second, 0) << line;
    EXPECT_NE(line.find("  20 cakes: "), std::string::npos) << line;
    per_run[name] = seconds_of(time);
  }
  ASSERT_EQ(per_run.size(), 6u) << r.out;
  EXPECT_NE(r.out.find("benchmark"), std::string::npos);  // the header
  for (const char* name : {"Benchmark", "BenchmarkBuffers", "BenchmarkVariable",
                           "BenchmarkVariableBuffers", "BenchmarkSlowIcingManyIcers"}) {
    EXPECT_GE(per_run[name], 0.15) << name << "\n" << r.out;  // ~20 x 10ms at least
  }
  // Slow icing: 20 cakes x 50ms through one icer.
  EXPECT_GE(per_run["BenchmarkSlowIcing"], 1.0) << r.out;
  // More icers bring it back toward the baseline (book: 1.032s -> 288ms).
  EXPECT_LT(per_run["BenchmarkSlowIcingManyIcers"], per_run["BenchmarkSlowIcing"]) << r.out;
}

}  // namespace
