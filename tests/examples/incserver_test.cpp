// End-to-end: seed 000's incserver answers concurrent GET /inc with exact,
// distinct counts (its counter is race-free), sleeping at random meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <goro/goro.hpp>
#include <goro/http.hpp>
#include <set>
#include <string>

#include "example_http_support.hpp"
#include "support/checks.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
namespace http = goro::http;

namespace {

TEST(Incserver, ConcurrentIncrementsGetDistinctConsecutiveCounts) {
  int port = example_http::free_port();
  ChildProcess server({example_path("incserver"), "-port", std::to_string(port)});
  ASSERT_TRUE(example_http::wait_listening(port)) << server.err();
  const int n = 20;
  auto bodies = goro::make_chan<std::string>(n);
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/inc";
  for (int i = 0; i < n; ++i) {
    goro::go([url, bodies] {
      auto r = http::get(url);
      if (!r) {
        bodies.send(r.error().message());
        return;
      }
      auto b = goro::io::read_all(r->body);
      bodies.send(b ? *b : b.error().message());
    });
  }
  std::set<std::string> got;
  for (int i = 0; i < n; ++i) got.insert(*bodies.recv());
  std::set<std::string> want;
  for (int i = 1; i <= n; ++i) want.insert("The count is: " + std::to_string(i));
  EXPECT_EQ(got, want);
  // The server logged each sleep and count.
  for (int i = 0; i < n; ++i) {
    auto line = server.read_line_until("Sleeping for: ", 10s);
    ASSERT_TRUE(line.has_value()) << "only " << i << " sleeps logged";
  }
  EXPECT_TRUE(server.running());
  server.terminate();
  server.wait(10s);
  http::default_client().close_idle_connections();
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Incserver, UnusablePortIsReportedAndExitsNonZero) {
  ProcessResult r = run_process({example_path("incserver"), "-port", "99999"}, "", 10s);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("99999"), std::string::npos) << r.err;
}

}  // namespace
