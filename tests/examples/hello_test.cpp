// End-to-end: examples/hello answers every path with "Hello, World!" over
// keep-alive connections (the HTTP benchmark's server).
#include <gtest/gtest.h>

#include <goro/goro.hpp>
#include <goro/http.hpp>
#include <string>

#include "example_http_support.hpp"
#include "support/checks.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
namespace http = goro::http;

namespace {

TEST(Hello, AnswersHelloWorldOnKeepAliveConnections) {
  int port = example_http::free_port();
  ChildProcess server({example_path("hello"), "-port", std::to_string(port)});
  ASSERT_TRUE(example_http::wait_listening(port)) << server.err();
  http::Client client;
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  for (int i = 0; i < 50; ++i) {
    auto r = client.get(base + (i % 2 ? "/" : "/any/path"));
    ASSERT_TRUE(r.has_value()) << r.error();
    EXPECT_EQ(r->status_code, 200);
    EXPECT_EQ(r->header.get("Content-Length"), "14");
    auto body = goro::io::read_all(r->body);
    ASSERT_TRUE(body.has_value());
    EXPECT_EQ(*body, "Hello, World!\n");
  }
  EXPECT_EQ(client.dial_count(), 1u);
  client.close_idle_connections();
  server.terminate();
  server.wait(10s);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

}  // namespace
