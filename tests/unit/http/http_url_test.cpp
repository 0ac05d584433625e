// goro::url parsing, escaping and reference resolution, and http::Header's
// canonical keys — the pure helpers under the client and the server.
#include <gtest/gtest.h>

#include <goro/http.hpp>
#include <goro/url.hpp>

namespace url = goro::url;
namespace http = goro::http;

namespace {

TEST(Url, ParsesAbsoluteUrls) {
  auto u = url::parse("http://User@Example.com:8080/a%20b/c?x=1&y=%2F#frag");
  ASSERT_TRUE(u.has_value()) << u.error();
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "Example.com:8080");
  EXPECT_EQ(u->hostname(), "Example.com");
  EXPECT_EQ(u->port(), "8080");
  EXPECT_EQ(u->path, "/a b/c");
  EXPECT_EQ(u->raw_query, "x=1&y=%2F");
  EXPECT_EQ(u->fragment, "frag");
  EXPECT_EQ(u->request_uri(), "/a%20b/c?x=1&y=%2F");
  EXPECT_EQ(u->query().get("y"), "/");
  auto v6 = url::parse("http://[::1]:80/");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->hostname(), "::1");
  EXPECT_EQ(v6->port(), "80");
  auto bare = url::parse("HTTP://h");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->scheme, "http");
  EXPECT_EQ(bare->request_uri(), "/");
}

TEST(Url, RejectsBadUrlsWithGoMessages) {
  auto a = url::parse("http://h t/");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().message(), "parse \"http://h t/\": invalid character \" \" in host name");
  auto b = url::parse("http://h:8x/");
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().message(), "parse \"http://h:8x/\": invalid port \":8x\" after host");
  auto c = url::parse("/a%zz");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message(), "parse \"/a%zz\": invalid URL escape \"%zz\"");
  EXPECT_FALSE(url::parse(":nope").has_value());
  EXPECT_FALSE(url::parse("http://x/\x01").has_value());
  EXPECT_FALSE(url::parse_request_uri("relative").has_value());
  EXPECT_TRUE(url::parse_request_uri("*").has_value());
}

TEST(Url, ResolvesReferencesLikeRfc3986) {
  auto base = *url::parse("http://a/b/c/d?q");
  auto r = [&](std::string_view ref) { return base.resolve_reference(*url::parse(ref)).string(); };
  EXPECT_EQ(r("g"), "http://a/b/c/g");
  EXPECT_EQ(r("./g"), "http://a/b/c/g");
  EXPECT_EQ(r("g/"), "http://a/b/c/g/");
  EXPECT_EQ(r("/g"), "http://a/g");
  EXPECT_EQ(r("//other/x"), "http://other/x");
  EXPECT_EQ(r("?y"), "http://a/b/c/d?y");
  EXPECT_EQ(r("../g"), "http://a/b/g");
  EXPECT_EQ(r("../../../g"), "http://a/g");
  EXPECT_EQ(r("http://z/w"), "http://z/w");
}

TEST(Url, QueryStringsRoundTrip) {
  auto v = url::parse_query("a=1&b=x+y&a=2&c=%26");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->values("a"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(v->get("b"), "x y");
  EXPECT_EQ(v->get("c"), "&");
  EXPECT_EQ(v->encode(), "a=1&a=2&b=x+y&c=%26");
  EXPECT_FALSE(url::parse_query("a=%zz").has_value());
  EXPECT_EQ(url::query_escape("a b&c/d"), "a+b%26c%2Fd");
  EXPECT_EQ(*url::query_unescape("a+b%26"), "a b&");
  EXPECT_EQ(url::path_escape("a b/c?"), "a%20b/c%3F");
}

TEST(Header, KeysAreCanonicalised) {
  EXPECT_EQ(http::canonical_header_key("content-type"), "Content-Type");
  EXPECT_EQ(http::canonical_header_key("X-FORWARDED-FOR"), "X-Forwarded-For");
  EXPECT_EQ(http::canonical_header_key("bad key"), "bad key");
  http::Header h;
  h.add("accept", "a");
  h.add("ACCEPT", "b");
  h.set("x-one", "1");
  EXPECT_EQ(h.get("Accept"), "a");
  EXPECT_EQ(h.values("accept"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(h.has("X-One"));
  h.del("x-ONE");
  EXPECT_FALSE(h.has("X-One"));
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(http::status_text(431), "Request Header Fields Too Large");
  EXPECT_EQ(http::status_text(999), "");
}

}  // namespace
