// End-to-end: seed 000's incclient makes -n concurrent requests, prints every
// response and an elapsed time close to the slowest request, not the sum.
#include <gtest/gtest.h>

#include <goro/goro.hpp>
#include <goro/http.hpp>
#include <sstream>
#include <string>

#include "example_http_support.hpp"
#include "support/checks.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
namespace http = goro::http;

namespace {

double elapsed_of(const std::string& out) {
  auto p = out.find("Time elapsed: ");
  if (p == std::string::npos) return -1;
  return std::atof(out.c_str() + p + 14);
}

TEST(Incclient, ConcurrentRequestsTakeAboutAsLongAsTheSlowest) {
  // A server whose every answer takes 150 ms: 10 sequential requests would
  // take 1.5 s.
  http::ServeMux mux;
  mux.handle_func("/inc", [](http::ResponseWriter& w, http::Request&) {
    goro::sleep(150ms);
    w.write("slow answer");
  });
  http::Server srv;
  srv.handler = mux;
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln.has_value());
  std::string url = "http://" + ln->addr().string() + "/inc";
  auto done = goro::make_chan<goro::Error>(1);
  goro::go([&srv, done, l = *ln] { done.send(srv.serve(l)); });

  ProcessResult r = run_process({example_path("incclient"), "-n", "10", "-url", url}, "", 30s);
  EXPECT_TRUE(r.ok()) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int answers = 0;
  while (std::getline(lines, line)) {
    if (line == "slow answer") answers++;
  }
  EXPECT_EQ(answers, 10) << r.out;
  double secs = elapsed_of(r.out);
  EXPECT_GE(secs, 0.14) << r.out;
  EXPECT_LT(secs, 1.0) << r.out;  // the sum would be 1.5 s
  srv.close();
  EXPECT_EQ(*done.recv(), http::err_server_closed);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Incclient, AgainstIncserverPrintsEveryCount) {
  int port = example_http::free_port();
  ChildProcess server({example_path("incserver"), "-port", std::to_string(port)});
  ASSERT_TRUE(example_http::wait_listening(port)) << server.err();
  ProcessResult r = run_process(
      {example_path("incclient"), "-url", "http://localhost:" + std::to_string(port) + "/inc"}, "",
      30s);
  EXPECT_TRUE(r.ok()) << r.err;
  for (int i = 1; i <= 10; ++i) {
    EXPECT_NE(r.out.find("The count is: " + std::to_string(i) + "\n"), std::string::npos) << r.out;
  }
  double secs = elapsed_of(r.out);
  EXPECT_GE(secs, 0.0) << r.out;
  EXPECT_LT(secs, 1.5) << r.out;  // each request sleeps at most 200 ms
  server.terminate();
  server.wait(10s);
}

TEST(Incclient, UnreachableServerIsReportedPerRequest) {
  int port = example_http::free_port();
  ProcessResult r = run_process({example_path("incclient"), "-n", "3", "-url",
                                 "http://127.0.0.1:" + std::to_string(port) + "/inc"},
                                "", 30s);
  EXPECT_TRUE(r.ok()) << r.err;
  std::size_t refused = 0, pos = 0;
  while ((pos = r.out.find("connection refused", pos)) != std::string::npos) {
    refused++;
    pos++;
  }
  EXPECT_EQ(refused, 3u) << r.out;
  EXPECT_NE(r.out.find("Time elapsed: "), std::string::npos);
}

}  // namespace
