// goro::http::ServeMux: Go's pre-1.22 patterns (exact, subtree, longest
// match), 404, the /tree -> /tree/ and unclean-path redirects, registration
// errors, and the default mux with the package-level handle_func.
#include "http_test_support.hpp"

using namespace http_test;

namespace {

http::Handler says(std::string what) {
  return [what](http::ResponseWriter& w, http::Request&) { w.write(what); };
}

struct NoRedirects {
  http::Client client;
  NoRedirects() {
    client.check_redirect = [](const http::Request&, const std::vector<http::Request>&) {
      return http::err_use_last_response;
    };
  }
  ~NoRedirects() { client.close_idle_connections(); }
};

TEST(HttpMux, ExactAndSubtreePatternsLongestMatchWins) {
  http::ServeMux mux;
  mux.handle("/", says("root"));
  mux.handle("/a", says("exact a"));
  mux.handle("/static/", says("static"));
  mux.handle("/static/img/", says("img"));
  mux.handle_func("/static/img/logo.png",
                  [](http::ResponseWriter& w, http::Request&) { w.write("logo"); });
  TestServer ts(mux);
  ts.start();
  NoRedirects nr;
  auto get = [&](std::string_view p) {
    auto r = nr.client.get(ts.url(p));
    return body_of(r);
  };
  EXPECT_EQ(get("/"), "root");
  EXPECT_EQ(get("/nothing/here"), "root");
  EXPECT_EQ(get("/a"), "exact a");
  EXPECT_EQ(get("/a/b"), "root");  // "/a" is exact only
  EXPECT_EQ(get("/static/"), "static");
  EXPECT_EQ(get("/static/css/x.css"), "static");
  EXPECT_EQ(get("/static/img/"), "img");
  EXPECT_EQ(get("/static/img/other.png"), "img");
  EXPECT_EQ(get("/static/img/logo.png"), "logo");
  EXPECT_EQ(get("/static/img/logo.png?v=2"), "logo");
}

TEST(HttpMux, UnmatchedPathsGet404) {
  http::ServeMux mux;
  mux.handle("/only", says("only"));
  TestServer ts(mux);
  ts.start();
  NoRedirects nr;
  auto r = nr.client.get(ts.url("/other"));
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->status_code, 404);
  EXPECT_EQ(r->status, "404 Not Found");
  EXPECT_EQ(r->header.get("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(body_of(r), "404 page not found\n");
}

TEST(HttpMux, SubtreeWithoutSlashRedirects301) {
  http::ServeMux mux;
  mux.handle("/static/", says("static"));
  TestServer ts(mux);
  ts.start();
  NoRedirects nr;
  auto r = nr.client.get(ts.url("/static?x=1"));
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(r->status_code, 301);
  EXPECT_EQ(r->header.get("Location"), "/static/?x=1");
  body_of(r);
  // Unclean paths are redirected to their clean form.
  auto u = nr.client.get(ts.url("/static/a/../b"));
  ASSERT_TRUE(u.has_value()) << u.error();
  EXPECT_EQ(u->status_code, 301);
  EXPECT_EQ(u->header.get("Location"), "/static/b");
  body_of(u);
  // A client following redirects lands on the handler.
  http::Client follow;
  auto f = follow.get(ts.url("/static"));
  EXPECT_EQ(body_of(f), "static");
  follow.close_idle_connections();
}

TEST(HttpMux, BadRegistrationsPanicLikeGo) {
  http::ServeMux mux;
  mux.handle("/x", says("x"));
  EXPECT_EQ(panic_message([&] { mux.handle("/x", says("again")); }),
            "http: multiple registrations for /x");
  EXPECT_EQ(panic_message([&] { mux.handle("", says("e")); }), "http: invalid pattern");
  EXPECT_EQ(panic_message([&] { mux.handle("/n", nullptr); }), "http: nil handler");
}

TEST(HttpMux, DefaultMuxServesPackageLevelHandlers) {
  http::handle_func("/default-mux-test",
                    [](http::ResponseWriter& w, http::Request&) { w.write("from default"); });
  TestServer ts(nullptr);  // empty handler: default_serve_mux()
  ts.start();
  http::Client c;
  auto r = c.get(ts.url("/default-mux-test"));
  EXPECT_EQ(body_of(r), "from default");
  c.close_idle_connections();
}

}  // namespace
