// End-to-end: examples/deadline (article "Applications of Goroutines &
// Channels in Go"): three workers do 100 ms units of work until the
// context's deadline closes ctx.Done(), then clean up and return; main waits
// for them and prints ctx.Err().
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

// Runs deadline with args; checks the output's shape and that it stopped
// within [deadline, deadline + slack]; returns each worker's units of work.
std::vector<int> check_deadline(std::vector<std::string> args, std::chrono::milliseconds deadline) {
  std::vector<std::string> argv{example_path("deadline")};
  argv.insert(argv.end(), args.begin(), args.end());
  auto t0 = std::chrono::steady_clock::now();
  ProcessResult r = run_process(argv, "", 30s);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_GE(elapsed, deadline);
  EXPECT_LT(elapsed, deadline + 3s) << "the workers did not stop at the deadline";

  std::vector<std::string> out = lines(r.out);
  EXPECT_EQ(out.size(), 4u) << r.out;
  if (out.size() != 4) return {};
  EXPECT_EQ(out.back(), "context deadline exceeded");
  std::set<int> ids;
  std::vector<int> units;
  for (int i = 0; i < 3; ++i) {
    int id = 0, n = -1;
    // "worker <id>: stopping after <n> units of work", and nothing else
    bool parsed = std::sscanf(out[i].c_str(), "worker %d: stopping after %d units", &id, &n) == 2 &&
                  out[i] == "worker " + std::to_string(id) + ": stopping after " +
                                std::to_string(n) + " units of work";
    EXPECT_TRUE(parsed) << out[i];
    if (parsed) {
      EXPECT_TRUE(id >= 1 && id <= 3) << out[i];
      ids.insert(id);
      units.push_back(n);
    }
  }
  EXPECT_EQ(ids, (std::set<int>{1, 2, 3})) << "each worker reports exactly once:\n" << r.out;
  // A unit takes 100 ms, so no worker can finish more than deadline/100ms.
  for (int u : units) EXPECT_LE(u, int(deadline / 100ms)) << r.out;
  return units;
}

TEST(Deadline, WorkersStopAtTheDefaultOneSecondDeadline) {
  std::vector<int> units = check_deadline({}, 1s);
  // They did work until the deadline (at least half of what fits in 1 s).
  for (int u : units) EXPECT_GE(u, 5);
}

TEST(Deadline, ShorterDeadlineFromTheFlag) {
  std::vector<int> units = check_deadline({"-deadline", "300ms"}, 300ms);
  ASSERT_EQ(units.size(), 3u);
}

TEST(Deadline, DeadlineAlreadyPassedStopsTheWorkersAtOnce) {
  std::vector<int> units = check_deadline({"-deadline=-1s"}, 0ms);
  EXPECT_EQ(units, (std::vector<int>{0, 0, 0}));
}

}  // namespace
