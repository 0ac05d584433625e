// goro::http client against a goro server on loopback: get/post, the
// package-level functions from a plain thread, redirects (following, method
// rewriting, body replay, the limit of 10), timeouts, connection errors,
// the https error, and the per-host keep-alive pool.
#include "http_test_support.hpp"

using namespace http_test;

namespace {

http::ServeMux redirect_mux() {
  http::ServeMux mux;
  mux.handle_func("/r/", [](http::ResponseWriter& w, http::Request& r) {
    int n = std::atoi(r.url.path.c_str() + 3);
    if (n <= 0) {
      w.write("arrived " + r.method);
      return;
    }
    http::redirect(w, r, "/r/" + std::to_string(n - 1), http::StatusFound);
  });
  mux.handle_func("/loop", [](http::ResponseWriter& w, http::Request& r) {
    http::redirect(w, r, "/loop", http::StatusFound);
  });
  mux.handle_func("/see-other", [](http::ResponseWriter& w, http::Request& r) {
    http::redirect(w, r, "/echo", http::StatusSeeOther);
  });
  mux.handle_func("/temporary", [](http::ResponseWriter& w, http::Request& r) {
    http::redirect(w, r, "/echo", http::StatusTemporaryRedirect);
  });
  mux.handle_func("/echo", [](http::ResponseWriter& w, http::Request& r) {
    auto b = goro::io::read_all(r.body);
    w.write(r.method + ":" + (b ? *b : b.error().message()));
  });
  mux.handle_func("/slow", [](http::ResponseWriter& w, http::Request& r) {
    goro::select(goro::recv(goro::time::after(3s)), goro::recv(r.context().done()));
    w.write("slow");
  });
  mux.handle_func("/slow-body", [](http::ResponseWriter& w, http::Request& r) {
    w.write("start");
    w.flush();
    goro::select(goro::recv(goro::time::after(3s)), goro::recv(r.context().done()));
    w.write("end");
  });
  return mux;
}

TEST(HttpClient, GetAndPostFromAPlainThread) {
  TestServer ts(redirect_mux());
  ts.start();
  auto g = http::get(ts.url("/r/0"));
  ASSERT_TRUE(g.has_value()) << g.error();
  EXPECT_EQ(g->status_code, 200);
  EXPECT_EQ(g->status, "200 OK");
  EXPECT_EQ(g->proto, "HTTP/1.1");
  EXPECT_EQ(g->content_length, 11);
  EXPECT_EQ(body_of(g), "arrived GET");
  auto p = http::post(ts.url("/echo"), "text/plain", "payload");
  EXPECT_EQ(body_of(p), "POST:payload");
  http::default_client().close_idle_connections();
}

TEST(HttpClient, FollowsRedirectsUpToTen) {
  TestServer ts(redirect_mux());
  ts.start();
  http::Client c;
  // Go's policy: at most 10 requests in all, so 9 redirects are followed.
  auto r = c.get(ts.url("/r/9"));
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->request.url.path, "/r/0");
  EXPECT_EQ(body_of(r), "arrived GET");
  // Redirect responses gave their connection back: one connection in all.
  EXPECT_EQ(c.dial_count(), 1u);

  auto loop = c.get(ts.url("/loop"));
  ASSERT_FALSE(loop.has_value());
  EXPECT_EQ(loop.error().message(), "Get \"" + ts.url("/loop") + "\": stopped after 10 redirects");
  auto ten = c.get(ts.url("/r/10"));
  ASSERT_FALSE(ten.has_value());
  EXPECT_EQ(ten.error().message(), "Get \"" + ts.url("/r/0") + "\": stopped after 10 redirects");
  c.close_idle_connections();
}

TEST(HttpClient, SeeOtherTurnsPostIntoGetAnd307ReplaysTheBody) {
  TestServer ts(redirect_mux());
  ts.start();
  http::Client c;
  auto a = c.post(ts.url("/see-other"), "text/plain", "data");
  EXPECT_EQ(body_of(a), "GET:");
  auto b = c.post(ts.url("/temporary"), "text/plain", "data");
  EXPECT_EQ(body_of(b), "POST:data");
  c.close_idle_connections();
}

TEST(HttpClient, TimeoutCoversHeadersAndBody) {
  TestServer ts(redirect_mux());
  ts.start();
  http::Client c;
  c.timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  auto r = c.get(ts.url("/slow"));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().timeout()) << r.error();
  EXPECT_NE(r.error().message().find("Client.Timeout exceeded"), std::string::npos) << r.error();
  EXPECT_TRUE(r.error().message().starts_with("Get \"" + ts.url("/slow") + "\": ")) << r.error();
  EXPECT_GE(took, 150ms);
  EXPECT_LT(took, 2s);

  auto sb = c.get(ts.url("/slow-body"));
  ASSERT_TRUE(sb.has_value()) << sb.error();
  auto body = goro::io::read_all(sb->body);
  ASSERT_FALSE(body.has_value());
  EXPECT_TRUE(body.error().timeout()) << body.error();
  c.close_idle_connections();
}

TEST(HttpClient, ClearErrorsForHttpsBadUrlsAndRefusedConnections) {
  auto s = http::get("https://example.com/");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(),
            "Get \"https://example.com/\": unsupported protocol scheme \"https\"");
  auto bad = http::get("http://exa mple.com/");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("invalid character \" \" in host name"), std::string::npos)
      << bad.error();
  // A port nobody listens on.
  auto ln = net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln.has_value());
  std::string addr = ln->addr().string();
  ln->close();
  auto refused = http::get("http://" + addr + "/");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("connection refused"), std::string::npos)
      << refused.error();
  auto nohost = http::get("http:///path");
  ASSERT_FALSE(nohost.has_value());
  EXPECT_NE(nohost.error().message().find("no Host"), std::string::npos) << nohost.error();
}

TEST(HttpClient, PoolKeepsConnectionsPerHostForConcurrentGoroutines) {
  TestServer ts(redirect_mux());
  ts.start();
  http::Client c;
  c.max_idle_conns_per_host = 4;
  for (int round = 0; round < 3; ++round) {
    goro::WaitGroup wg;
    std::atomic<int> ok{0};
    for (int i = 0; i < 4; ++i) {
      wg.add(1);
      goro::go([&] {
        auto r = c.get(ts.url("/r/0"));
        if (body_of(r) == "arrived GET") ok++;
        wg.done();
      });
    }
    wg.wait();
    EXPECT_EQ(ok.load(), 4);
  }
  EXPECT_LE(c.dial_count(), 8u);  // rounds after the first reuse pooled connections
  EXPECT_GE(c.dial_count(), 1u);
  c.close_idle_connections();
}

TEST(HttpClient, ClosingABodyEarlyDropsTheConnectionButReadingItKeepsIt) {
  TestServer ts(redirect_mux());
  ts.start();
  http::Client c;
  auto a = c.get(ts.url("/r/0"));
  ASSERT_TRUE(a.has_value());
  body_of(a);  // read to EOF: pooled
  auto b = c.get(ts.url("/r/0"));
  EXPECT_EQ(c.dial_count(), 1u);
  ASSERT_TRUE(b.has_value());
  b->body.close();  // not read: the connection is closed
  auto d = c.get(ts.url("/r/0"));
  EXPECT_EQ(body_of(d), "arrived GET");
  EXPECT_EQ(c.dial_count(), 2u);
  c.close_idle_connections();
}

}  // namespace
