// End-to-end: examples/tokencache (article "Applications of Goroutines &
// Channels in Go", server-level processing): a refresher process keeps a
// token fresh and answers GetToken's futures; client goroutines print what
// they got; a panicking refresh is recovered, logged and retried; repeated
// panics make the refresher give up and the program exit 1; shutdown is
// clean either way (no goroutine left, GetToken reports the shutdown).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
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

int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

constexpr int clients = 3;
constexpr int requests = 4;

struct Outcome {
  ProcessResult r;
  std::chrono::steady_clock::duration elapsed;
  std::vector<std::string> out;
  // client -> the results of its requests 1..requests, in order
  std::map<int, std::vector<std::string>> results;
  std::map<std::string, std::string> special;  // "impatient", "cancelled", "after shutdown"
};

Outcome run_tokencache(std::vector<std::string> args) {
  std::vector<std::string> argv{example_path("tokencache"), "-clients", std::to_string(clients),
                                "-requests", std::to_string(requests)};
  argv.insert(argv.end(), args.begin(), args.end());
  Outcome run;
  auto t0 = std::chrono::steady_clock::now();
  run.r = run_process(argv, "", 60s);
  run.elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(run.r.timed_out) << "tokencache did not shut down";
  run.out = lines(run.r.out);
  for (const std::string& l : run.out) {
    int id = 0, n = 0, pos = 0;
    if (std::sscanf(l.c_str(), "client %d request %d: %n", &id, &n, &pos) == 2 && pos > 0) {
      // "client <id> request <n>: <result>"
      auto& v = run.results[id];
      EXPECT_EQ(n, int(v.size()) + 1) << "requests out of order: " << l;
      v.push_back(l.substr(std::size_t(pos)));
      continue;
    }
    bool special = false;
    for (std::string who : {"impatient", "cancelled", "after shutdown"}) {
      if (l.starts_with(who + ": ")) {
        EXPECT_EQ(run.special.count(who), 0u) << "reported twice: " << l;
        run.special[who] = l.substr(who.size() + 2);
        special = true;
      }
    }
    if (!special) {
      EXPECT_TRUE(l.starts_with("goroutines left: ")) << "unexpected line: " << l;
    }
  }
  // Every client made all its requests; the shutdown came last.
  EXPECT_EQ(run.results.size(), std::size_t(clients)) << run.r.out;
  for (auto& [id, v] : run.results) EXPECT_EQ(v.size(), std::size_t(requests)) << "client " << id;
  EXPECT_EQ(run.out.size(), std::size_t(clients * requests + 4)) << run.r.out;
  if (run.out.size() >= 2) {
    EXPECT_EQ(run.out[run.out.size() - 2], "after shutdown: error: tokencache: shut down");
    EXPECT_EQ(run.out.back(), "goroutines left: 1") << "goroutines leaked";
  }
  EXPECT_TRUE(run.special.count("impatient")) << run.r.out;
  EXPECT_TRUE(run.special.count("cancelled")) << run.r.out;
  return run;
}

// The tokens each client got, as numbers ("token-7" -> 7); fails on errors.
std::map<int, std::vector<int>> tokens(const Outcome& run) {
  std::map<int, std::vector<int>> t;
  for (auto& [id, v] : run.results) {
    for (const std::string& res : v) {
      int n = 0;
      bool ok =
          std::sscanf(res.c_str(), "token-%d", &n) == 1 && res == "token-" + std::to_string(n);
      EXPECT_TRUE(ok) << "client " << id << " got " << res;
      if (ok) t[id].push_back(n);
    }
  }
  return t;
}

// Tokens are refreshed while the clients run, and no client ever goes back
// to an older token.
void expect_refreshed(const Outcome& run) {
  std::set<int> distinct;
  for (auto& [id, v] : tokens(run)) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      distinct.insert(v[i]);
      if (i > 0) {
        EXPECT_LE(v[i - 1], v[i]) << "client " << id << " got an older token";
      }
    }
  }
  EXPECT_GE(distinct.size(), 2u) << "the token was never refreshed:\n" << run.r.out;
}

TEST(TokenCache, ClientsGetFreshTokensAndShutdownIsClean) {
  // Tokens live 600 ms; each client asks every 300 ms for 1.2 s. The
  // remote call's latency is long enough that the impatient caller's timeout
  // (latency/5) ends well before the first token arrives, even when timers
  // fire late on a loaded machine.
  Outcome run = run_tokencache({"-refresh", "600ms", "-latency", "300ms"});
  EXPECT_TRUE(run.r.ok()) << "exit " << run.r.exit_code << " signal " << run.r.signal << "\n"
                          << run.r.err;
  EXPECT_EQ(run.r.err, "") << "nothing should be logged without panics";
  expect_refreshed(run);
  EXPECT_EQ(run.special["impatient"], "error: context deadline exceeded");
  EXPECT_EQ(run.special["cancelled"], "error: context canceled");
  EXPECT_GE(run.elapsed, 1200ms);
  EXPECT_LT(run.elapsed, 10s);
}

TEST(TokenCache, DefaultFlagsWork) {
  Outcome run = run_tokencache({});
  EXPECT_TRUE(run.r.ok()) << "exit " << run.r.exit_code << "\n" << run.r.err;
  EXPECT_EQ(run.r.err, "");
  expect_refreshed(run);  // 1 s tokens, requests every 500 ms for 2 s
  // The impatient caller gives up 20 ms into the 100 ms remote call (checked
  // with a wider margin above; a stall of the whole process could let the
  // token win here).
  const std::string impatient = run.special["impatient"];
  EXPECT_TRUE(impatient == "error: context deadline exceeded" || impatient.starts_with("token-"))
      << impatient;
  EXPECT_EQ(run.special["cancelled"], "error: context canceled");
}

TEST(TokenCache, PanicsInRefreshAreRecoveredLoggedAndRetried) {
  // Every second remote call panics; the retry after it succeeds.
  Outcome run = run_tokencache({"-refresh", "200ms", "-latency", "20ms", "-panic-every", "2"});
  EXPECT_TRUE(run.r.ok()) << "exit " << run.r.exit_code << " signal " << run.r.signal << "\n"
                          << run.r.err;
  // The clients never notice: they all got tokens, refreshed over time.
  expect_refreshed(run);
  EXPECT_EQ(run.special["cancelled"], "error: context canceled");
  const int recovered = count(run.r.err,
                              "tokencache: recovered from panic in refresh: "
                              "auth: malformed response to call ");
  EXPECT_GE(recovered, 1) << run.r.err;
  // Each panic is followed by a retry (except, perhaps, one made for the
  // impatient caller, whose ctx may end first).
  const int retried =
      count(run.r.err, "tokencache: refresh attempt 1 failed, retrying: refresh panicked: ");
  EXPECT_LE(retried, recovered) << run.r.err;
  EXPECT_GE(retried, recovered - 1) << run.r.err;
  EXPECT_EQ(count(run.r.err, "attempt 2"), 0) << "a retry panicked:\n" << run.r.err;
  EXPECT_EQ(count(run.r.err, "gave up"), 0) << run.r.err;
  // Only even-numbered calls panic.
  for (const std::string& l : lines(run.r.err)) {
    auto p = l.rfind(" call ");
    if (p != std::string::npos) {
      EXPECT_EQ(std::stoi(l.substr(p + 6)) % 2, 0) << l;
    }
  }
}

TEST(TokenCache, RefresherGivesUpAfterThreePanicsInARowAndMainExits1) {
  // Every remote call panics: three attempts, then the refresher stops and
  // main shuts down gracefully with a failure status.
  Outcome run = run_tokencache({"-refresh", "200ms", "-latency", "20ms", "-panic-every", "1"});
  EXPECT_EQ(run.r.exit_code, 1) << run.r.err;
  EXPECT_EQ(run.r.signal, 0);
  // (A refresh made for a caller whose ctx ends meanwhile stops retrying
  // early, so there may be more panics than three in all.)
  EXPECT_GE(count(run.r.err, "tokencache: recovered from panic in refresh"), 3) << run.r.err;
  EXPECT_GE(count(run.r.err, "refresh attempt 1 failed, retrying"), 1) << run.r.err;
  EXPECT_GE(count(run.r.err, "refresh attempt 2 failed, retrying"), 1) << run.r.err;
  EXPECT_EQ(count(run.r.err, "attempt 3"), 0) << "no third retry:\n" << run.r.err;
  EXPECT_EQ(count(run.r.err,
                  "tokencache: refresher gave up: refresh failed 3 times in a row: "
                  "refresh panicked: auth: malformed response to call "),
            1)
      << run.r.err;
  // Once the refresher has stopped, a done ctx and the shutdown are both
  // ready in GetToken's select; Go's select picks either.
  const std::string cancelled = run.special["cancelled"];
  EXPECT_TRUE(cancelled == "error: context canceled" || cancelled == "error: tokencache: shut down")
      << cancelled;
  // No client got a token: each got the failure or the shutdown.
  for (auto& [id, v] : run.results) {
    for (const std::string& res : v) {
      EXPECT_TRUE(res == "error: tokencache: shut down" ||
                  res.starts_with("error: refresh failed 3 times in a row"))
          << "client " << id << " got " << res;
    }
  }
}

TEST(TokenCache, BadFlagIsReportedWithUsage) {
  ProcessResult r = run_process({example_path("tokencache"), "-refresh", "soon"}, "", 30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("-refresh"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-panic-every"), std::string::npos) << "usage lists the flags:\n" << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
