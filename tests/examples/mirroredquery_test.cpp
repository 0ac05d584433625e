// End-to-end: mirroredQuery (gopl ch8 §8.4.4) returns the quickest mirror's
// response; with the book's buffered channel the slower goroutines end
// (num_goroutine() back to 1), with -unbuffered they leak.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

std::string line_with(const std::string& out, const std::string& prefix) {
  auto at = out.find(prefix);
  if (at == std::string::npos) return "";
  return out.substr(at, out.find('\n', at) - at);
}

TEST(MirroredQuery, QuickestMirrorWinsAndNoGoroutineLeaks) {
  struct Case {
    const char* latencies;
    const char* winner;
  };
  for (Case c : {Case{"300ms,20ms,150ms", "europe.gopl.io answered in 20ms"},
                 Case{"20ms,300ms,150ms", "asia.gopl.io answered in 20ms"},
                 Case{"300ms,150ms,20ms", "americas.gopl.io answered in 20ms"}}) {
    SCOPED_TRACE(c.latencies);
    auto t0 = std::chrono::steady_clock::now();
    ProcessResult r =
        run_process({example_path("mirroredquery"), "-latencies", c.latencies}, "", 60s);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("quickest response: " + std::string(c.winner) + " ("), std::string::npos)
        << r.out;
    EXPECT_EQ(line_with(r.out, "goroutines after the slower mirrors answered:"),
              "goroutines after the slower mirrors answered: 1")
        << r.out;
    EXPECT_NE(r.out.find("no goroutine leak"), std::string::npos) << r.out;
    // main waited for the slowest mirror (300ms) before it counted.
    EXPECT_GE(seconds, 0.3);
  }
}

TEST(MirroredQuery, UnbufferedChannelLeaksTheTwoSlowerGoroutines) {
  ProcessResult r = run_process(
      {example_path("mirroredquery"), "-latencies", "300ms,20ms,150ms", "-unbuffered"}, "", 60s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_NE(r.out.find("quickest response: europe.gopl.io answered in 20ms ("), std::string::npos)
      << r.out;
  EXPECT_EQ(line_with(r.out, "goroutines after the slower mirrors answered:"),
            "goroutines after the slower mirrors answered: 3")
      << r.out;
  EXPECT_NE(r.out.find("goroutine leak: 2 goroutines blocked forever"), std::string::npos) << r.out;
}

// "45.004099ms" -> 45.004099 (the program prints Go's Duration form; with
// latencies in [10ms, 400ms] they are all in ms).
double millis(const std::string& d) {
  EXPECT_TRUE(d.ends_with("ms")) << d;
  return std::stod(d.substr(0, d.size() - 2));
}

TEST(MirroredQuery, RandomLatenciesTheQuickestWins) {
  ProcessResult r =
      run_process({example_path("mirroredquery"), "-min", "10ms", "-max", "400ms"}, "", 60s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  // "mirror asia.gopl.io     latency 45.004099ms", one line per mirror.
  double least = 1e9;
  int mirrors = 0;
  for (std::size_t at = 0; (at = r.out.find("mirror ", at)) != std::string::npos; ++at) {
    if (at > 0 && r.out[at - 1] != '\n') continue;
    std::string line = r.out.substr(at, r.out.find('\n', at) - at);
    double ms = millis(line.substr(line.rfind(' ') + 1));
    EXPECT_GE(ms, 10.0) << line;
    EXPECT_LE(ms, 400.0) << line;
    least = std::min(least, ms);
    ++mirrors;
  }
  EXPECT_EQ(mirrors, 3) << r.out;
  // "quickest response: asia.gopl.io answered in 45.004099ms (mirroredQuery ...)"
  std::string winner = line_with(r.out, "quickest response: ");
  auto in = winner.find(" answered in ");
  ASSERT_NE(in, std::string::npos) << r.out;
  in += std::string(" answered in ").size();
  double won = millis(winner.substr(in, winner.find(' ', in) - in));
  // The quickest mirror wins (give or take timer jitter between near-equal latencies).
  EXPECT_LE(won, least + 50.0) << r.out;
  EXPECT_EQ(line_with(r.out, "goroutines after the slower mirrors answered:"),
            "goroutines after the slower mirrors answered: 1")
      << r.out;
}

TEST(MirroredQuery, BadLatenciesFlagIsAnError) {
  ProcessResult r =
      run_process({example_path("mirroredquery"), "-latencies", "300ms,fast"}, "", 30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("-latencies"), std::string::npos) << r.err;
}

}  // namespace
