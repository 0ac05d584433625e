// End-to-end: the tour (examples/tour) runs every scenario as a user would
// with scripts/tour, exits 0, and prints for each scenario the seed's claim
// and what goro measured. The numbers of the crawl, greet and netcat
// scenarios are checked against what their seeds claim.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = s.find('\n', pos)) != std::string::npos; pos = nl + 1)
    out.push_back(s.substr(pos, nl - pos));
  return out;
}

// The "   goro: " lines of the scenario whose heading contains `title`.
std::vector<std::string> measured_lines(const std::string& out, const std::string& title) {
  std::vector<std::string> got;
  bool in = false;
  for (const std::string& l : split_lines(out)) {
    if (l.starts_with("== ")) in = l.find(title) != std::string::npos;
    // "   goro: ..." or "   goro (GORO_MAXPROCS=2): ..."
    if (in && l.starts_with("   goro") && l.find(": ") != std::string::npos)
      got.push_back(l.substr(l.find(": ") + 2));
  }
  return got;
}

void check_every_scenario_reported(const std::string& out) {
  EXPECT_TRUE(out.ends_with("\nTour finished.\n")) << out;
  // Every scenario states the seed's claim and reports at least one measurement.
  std::vector<std::string> titles;
  for (const std::string& l : split_lines(out))
    if (l.starts_with("== ")) titles.push_back(l.substr(3));
  EXPECT_GE(titles.size(), 20u) << out;
  for (const std::string& t : titles) {
    EXPECT_FALSE(measured_lines(out, t).empty()) << t;
    EXPECT_NE(out.find("== " + t + "\n   seed: "), std::string::npos) << t;
  }
  for (const char* t : {"8.4.1 netcat", "8.6 concurrent web crawler", "003 greet servers"})
    EXPECT_NE(std::find(titles.begin(), titles.end(), t), titles.end()) << t;
}

void check_crawl(const std::string& out) {
  std::vector<std::string> got = measured_lines(out, "8.6 concurrent web crawler");
  std::regex crawl_re(
      R"((crawl\d)( with ulimit -n 40)?: printed (\d+) URLs \((\d+) distinct\) of (\d+) reachable )"
      R"(pages; the server saw (\d+) requests, at most (\d+) in flight; (\d+) fetches failed with )"
      R"("too many open files"; (.*) after [0-9.]+ s)");
  std::vector<std::string> runs;
  for (const std::string& l : got) {
    std::smatch m;
    if (!std::regex_match(l, m, crawl_re)) continue;
    SCOPED_TRACE(l);
    std::string name = m[1];
    bool limited = m[2].matched;
    runs.push_back(name + (limited ? " limited" : ""));
    int printed = std::stoi(m[3]), distinct = std::stoi(m[4]), reachable = std::stoi(m[5]),
        requests = std::stoi(m[6]), peak = std::stoi(m[7]), no_fds = std::stoi(m[8]);
    std::string ending = m[9];
    EXPECT_GT(reachable, 100);
    EXPECT_EQ(printed, distinct);  // no URL crawled twice
    if (name == "crawl1" && limited) {
      // The book's "socket: too many open files": some fetches fail, so
      // their pages' links are never seen.
      EXPECT_GT(no_fds, 0);
      EXPECT_LT(requests, reachable);
    } else {
      EXPECT_EQ(no_fds, 0);
      EXPECT_EQ(printed, reachable);
      EXPECT_EQ(requests, reachable);
    }
    if (name == "crawl1") {
      if (!limited) {
        EXPECT_GT(peak, 20) << "crawl1 has no limit";
      }
    } else {
      EXPECT_LE(peak, 20);
      EXPECT_GT(peak, 1);
    }
    if (name == "crawl2") {
      EXPECT_EQ(ending, "exited with status 0");
    } else {
      EXPECT_EQ(ending, "ended by goro's deadlock detector (status 2)");
    }
  }
  std::vector<std::string> want_runs = {"crawl1", "crawl2", "crawl3"};
#if !defined(__SANITIZE_ADDRESS__)  // the tour skips them under ASan + UBSan
  want_runs.insert(want_runs.end(), {"crawl1 limited", "crawl2 limited"});
#endif
  EXPECT_EQ(runs, want_runs) << out;
}

// The greeting times of one greet line, in arrival order.
std::vector<double> greeting_times(const std::string& line) {
  std::vector<double> t;
  std::regex at_re(R"("Hello, \w+" at ([0-9.]+) s)");
  for (std::sregex_iterator it(line.begin(), line.end(), at_re), end; it != end; ++it)
    t.push_back(std::stod((*it)[1]));
  return t;
}

void check_greet(const std::string& out) {
  std::vector<std::string> got = measured_lines(out, "003 greet servers");
  ASSERT_EQ(got.size(), 2u) << out;
  ASSERT_TRUE(got[0].starts_with("greet1: ")) << got[0];
  ASSERT_TRUE(got[1].starts_with("greet2: ")) << got[1];
  std::vector<double> greet1 = greeting_times(got[0]), greet2 = greeting_times(got[1]);
  ASSERT_EQ(greet1.size(), 3u) << got[0];
  ASSERT_EQ(greet2.size(), 3u) << got[1];
  // greet1 does no work: every greeting comes long before greet2's first.
  for (double t : greet1) EXPECT_LT(t, 0.9) << got[0];
  // greet2: one second of CPU per job, one job at a time.
  EXPECT_GE(greet2[0], 0.95) << got[1];
  EXPECT_GE(greet2[1] - greet2[0], 0.9) << got[1];
  EXPECT_GE(greet2[2] - greet2[1], 0.9) << got[1];
}

void check_netcat(const std::string& out) {
  std::vector<std::string> got = measured_lines(out, "8.4.1 netcat");
  ASSERT_EQ(got.size(), 2u) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(got[0], m, std::regex(R"(printed (\d+) time lines)"))) << got[0];
  EXPECT_GE(std::stoi(m[1]), 3) << got[0];  // a line every 100 ms for 1 s
  EXPECT_LE(std::stoi(m[1]), 11) << got[0];
  EXPECT_NE(got[1].find("printed 3 echo lines (last \"\t hello?\"), logged \"done\" from its "
                        "copying goroutine, exited with status 0"),
            std::string::npos)
      << got[1];
}

// One run of the tour (about half a minute) for all the checks.
TEST(Tour, RunsEveryScenarioAndReportsWhatTheSeedsClaim) {
  ProcessResult r = run_process({example_path("tour")}, "", 280s);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n"
                      << r.err << "\n"
                      << r.out;
  {
    SCOPED_TRACE("every scenario");
    check_every_scenario_reported(r.out);
  }
  {
    SCOPED_TRACE(
        "8.6 crawl1-3: every reachable page once, at most 20 in flight for crawl2/3, "
        "crawl1 runs out of file descriptors");
    check_crawl(r.out);
  }
  {
    SCOPED_TRACE("003: greet2 serializes 1 s CPU jobs, greet1 answers at once");
    check_greet(r.out);
  }
  {
    SCOPED_TRACE("8.4.1: netcat1 shows the clock, netcat3 waits for the whole echo");
    check_netcat(r.out);
  }
}

}  // namespace
