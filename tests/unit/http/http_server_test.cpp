// goro::http server over real loopback sockets: responses and their
// framing, keep-alive, pipelining, chunked bodies both ways, HEAD,
// 100-continue, HTTP/1.0, panics, request contexts, graceful shutdown.
#include <sys/resource.h>

#include "http_test_support.hpp"

using namespace http_test;
using goro::Chan;

namespace {

TEST(HttpServer, AnswersWithContentLengthDateAndDefaultContentType) {
  TestServer ts([](http::ResponseWriter& w, http::Request& r) {
    goro::fmt::fprintf(w, "hello {} {}", r.method, r.url.path);
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET /a/b?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  auto r = read_response(c, carry);
  EXPECT_EQ(r.status, 200) << r.head;
  EXPECT_TRUE(r.head.starts_with("HTTP/1.1 200 OK\r\n")) << r.head;
  EXPECT_EQ(header_value(r.head, "Content-Length"), "14");
  EXPECT_EQ(header_value(r.head, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_TRUE(header_value(r.head, "Date").ends_with(" GMT")) << r.head;
  EXPECT_EQ(r.body, "hello GET /a/b");
  c.close();
}

TEST(HttpServer, RequestFieldsAreFilledIn) {
  Chan<std::string> seen = goro::make_chan<std::string>(1);
  TestServer ts([seen](http::ResponseWriter& w, http::Request& r) {
    seen.send(r.method + "|" + r.target + "|" + r.url.path + "|" + r.url.query().get("k") + "|" +
              r.header.get("x-custom") + "|" + r.host + "|" + r.proto + "|" +
              (r.remote_addr.starts_with("127.0.0.1:") ? "remote-ok" : r.remote_addr));
    w.write_header(http::StatusNoContent);
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "DELETE /p%20q?k=v%21 HTTP/1.1\r\nHost: example.com\r\nX-Custom: yes\r\n\r\n");
  std::string carry;
  auto r = read_response(c, carry, true);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header_value(r.head, "Content-Length"), "");
  EXPECT_EQ(*seen.recv(), "DELETE|/p%20q?k=v%21|/p q|v!|yes|example.com|HTTP/1.1|remote-ok");
  c.close();
}

TEST(HttpServer, KeepAliveReusesOneConnection) {
  TestServer ts([](http::ResponseWriter& w, http::Request&) { w.write("ok"); });
  ts.start();
  http::Client client;
  for (int i = 0; i < 5; ++i) {
    auto r = client.get(ts.url("/"));
    EXPECT_EQ(body_of(r), "ok");
  }
  EXPECT_EQ(client.dial_count(), 1u);
  EXPECT_EQ(ts.new_conns.load(), 1);
  client.close_idle_connections();
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  TestServer ts([](http::ResponseWriter& w, http::Request& r) {
    if (r.url.path == "/slow") goro::sleep(100ms);
    w.write(r.url.path);
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c,
       "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
       "POST /post HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
       "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  EXPECT_EQ(read_response(c, carry).body, "/slow");
  EXPECT_EQ(read_response(c, carry).body, "/post");
  EXPECT_EQ(read_response(c, carry).body, "/fast");
  EXPECT_EQ(ts.new_conns.load(), 1);
  c.close();
}

TEST(HttpServer, LargeOrFlushedResponsesAreChunked) {
  TestServer ts([](http::ResponseWriter& w, http::Request& r) {
    if (r.url.path == "/flush") {
      w.write("first");
      w.flush();
      w.write("second");
      return;
    }
    std::string piece(1000, 'x');
    for (int i = 0; i < 10; ++i) w.write(piece);
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET /flush HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  auto r = read_response(c, carry);
  EXPECT_EQ(header_value(r.head, "Transfer-Encoding"), "chunked") << r.head;
  EXPECT_EQ(r.body, "5\r\nfirst\r\n6\r\nsecond\r\n0\r\n\r\n");
  c.close();

  // The client decodes it.
  http::Client client;
  auto resp = client.get(ts.url("/big"));
  ASSERT_TRUE(resp.has_value()) << resp.error();
  EXPECT_EQ(resp->transfer_encoding, std::vector<std::string>{"chunked"});
  EXPECT_EQ(resp->content_length, -1);
  EXPECT_EQ(body_of(resp), std::string(10000, 'x'));
  client.close_idle_connections();
}

TEST(HttpServer, ChunkedRequestBodyIsDecoded) {
  TestServer ts([](http::ResponseWriter& w, http::Request& r) {
    auto body = goro::io::read_all(r.body);
    ASSERT_TRUE(body.has_value()) << body.error();
    goro::fmt::fprintf(w, "{}:{}:{}", r.content_length, body->size(), *body);
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c,
       "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
       "3\r\nabc\r\n5;ext=1\r\ndefgh\r\n0\r\n\r\n");
  std::string carry;
  EXPECT_EQ(read_response(c, carry).body, "-1:8:abcdefgh");
  c.close();

  // A body of unknown length sent by the client goes chunked.
  http::Client client;
  std::string payload(100000, 'z');
  auto src = http::Body(payload);  // readable once, through a plain reader below
  struct Once {
    std::string data;
    std::size_t pos = 0;
    goro::Result<std::size_t> read(std::span<std::byte> b) {
      if (pos == data.size()) return goro::fail(goro::io::eof);
      std::size_t n = std::min(b.size(), std::min<std::size_t>(777, data.size() - pos));
      std::memcpy(b.data(), data.data() + pos, n);
      pos += n;
      return n;
    }
  };
  auto resp = client.post(ts.url("/"), "text/plain", http::Body::from_reader(Once{payload}));
  EXPECT_EQ(body_of(resp), "-1:100000:" + payload);
  client.close_idle_connections();
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  TestServer ts([](http::ResponseWriter& w, http::Request&) { w.write("bye"); });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  std::string carry;
  auto r = read_response(c, carry);
  EXPECT_EQ(r.body, "bye");
  EXPECT_EQ(header_value(r.head, "Connection"), "close");
  EXPECT_TRUE(closed_by_peer(c));
}

TEST(HttpServer, HeadSendsHeadersButNoBody) {
  TestServer ts([](http::ResponseWriter& w, http::Request&) { w.write("twelve bytes"); });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  auto h = read_response(c, carry, true);
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(header_value(h.head, "Content-Length"), "12");
  auto g = read_response(c, carry);  // the body did not come after the HEAD response
  EXPECT_EQ(g.body, "twelve bytes");
  c.close();

  http::Client client;
  auto resp = client.head(ts.url("/"));
  ASSERT_TRUE(resp.has_value()) << resp.error();
  EXPECT_EQ(resp->content_length, 12);
  EXPECT_EQ(body_of(resp), "");
  client.close_idle_connections();
}

TEST(HttpServer, ExpectContinueIsAnsweredWhenTheBodyIsRead) {
  TestServer ts([](http::ResponseWriter& w, http::Request& r) {
    auto body = goro::io::read_all(r.body);
    w.write("got " + (body ? *body : body.error().message()));
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "PUT / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  std::string carry;
  auto interim = read_until(c, "\r\n\r\n", carry);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  send(c, "data");
  EXPECT_EQ(read_response(c, carry).body, "got data");
  c.close();
}

TEST(HttpServer, Http10GetsCloseDelimitedOrLengthFramedResponses) {
  TestServer ts([](http::ResponseWriter& w, http::Request& r) {
    w.write("part1 ");
    if (r.url.path == "/flush") w.flush();
    w.write("part2");
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET /flush HTTP/1.0\r\n\r\n");
  std::string carry;
  auto r = read_response(c, carry);
  EXPECT_EQ(header_value(r.head, "Transfer-Encoding"), "");
  EXPECT_EQ(header_value(r.head, "Connection"), "close");
  EXPECT_EQ(r.body, "part1 part2");  // read until EOF

  auto k = dial(ts.addr);
  send(k, "GET /small HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  std::string carry2;
  auto s = read_response(k, carry2);
  EXPECT_EQ(header_value(s.head, "Content-Length"), "11");
  EXPECT_EQ(header_value(s.head, "Connection"), "keep-alive");
  EXPECT_EQ(s.body, "part1 part2");
  k.close();
}

TEST(HttpServer, PanicInHandlerIsLoggedAndClosesOnlyThatConnection) {
  TestServer ts([](http::ResponseWriter& w, http::Request& r) {
    if (r.url.path == "/panic") throw std::runtime_error("boom");
    w.write("fine");
  });
  ts.start();
  auto other = dial(ts.addr);
  send(other, "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  EXPECT_EQ(read_response(other, carry).body, "fine");

  auto c = dial(ts.addr);
  send(c, "GET /panic HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_TRUE(closed_by_peer(c));
  EXPECT_TRUE(eventually([&] { return ts.log.all().find("boom") != std::string::npos; }));
  std::string log = ts.log.all();
  EXPECT_NE(log.find("http: panic serving 127.0.0.1:"), std::string::npos) << log;
  EXPECT_NE(log.find(": boom"), std::string::npos) << log;

  // The other connection still works.
  send(other, "GET /again HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(read_response(other, carry).body, "fine");
  other.close();
}

TEST(HttpServer, RequestContextIsCancelledWhenTheClientGoesAway) {
  auto outcome = goro::make_chan<std::string>(1);
  auto entered = goro::make_chan<int>(1);
  TestServer ts([outcome, entered](http::ResponseWriter&, http::Request& r) {
    entered.send(1);
    std::string what = "timeout";
    goro::select(goro::recv(r.context().done(), [&](auto) { what = r.context().err().message(); }),
                 goro::recv(goro::time::after(10s)));
    outcome.send(what);
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  entered.recv();
  auto start = std::chrono::steady_clock::now();
  c.close();
  EXPECT_EQ(*outcome.recv(), "context canceled");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(HttpServer, GracefulShutdownLetsInFlightRequestsFinish) {
  auto entered = goro::make_chan<int>(4);
  TestServer ts([entered](http::ResponseWriter& w, http::Request&) {
    entered.send(1);
    goro::sleep(300ms);
    w.write("finished");
  });
  ts.start();
  // An idle keep-alive connection and two in-flight requests.
  auto warm = dial(ts.addr);
  send(warm, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  EXPECT_EQ(read_response(warm, carry).body, "finished");
  entered.recv();
  auto results = goro::make_chan<std::string>(2);
  for (int i = 0; i < 2; ++i) {
    goro::go([&ts, results] {
      http::Client cl;
      auto r = cl.get(ts.url("/"));
      results.send(body_of(r));
      cl.close_idle_connections();
    });
  }
  entered.recv();
  entered.recv();
  auto start = std::chrono::steady_clock::now();
  goro::Error err = ts.srv.shutdown(goro::context::background());
  EXPECT_FALSE(err) << err;
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  EXPECT_EQ(*results.recv(), "finished");
  EXPECT_EQ(*results.recv(), "finished");
  EXPECT_EQ(*ts.done.recv(), http::err_server_closed);
  ts.started = false;
  // New connections are refused.
  EXPECT_FALSE(net::dial("tcp", ts.addr).has_value());
  EXPECT_TRUE(closed_by_peer(warm));  // the idle connection was closed
}

TEST(HttpServer, ShutdownReturnsTheContextErrorWhenItEndsFirst) {
  auto entered = goro::make_chan<int>(1);
  auto release = goro::make_chan<int>();
  TestServer ts([entered, release](http::ResponseWriter& w, http::Request& r) {
    entered.send(1);
    goro::select(goro::recv(release), goro::recv(r.context().done()));
    w.write("late");
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  entered.recv();
  auto [ctx, cancel] = goro::context::with_timeout(goro::context::background(), 100ms);
  goro::Error err = ts.srv.shutdown(ctx);
  cancel();
  EXPECT_EQ(err, goro::context::deadline_exceeded);
  // close() ends the handler through its context.
  EXPECT_EQ(ts.stop(), http::err_server_closed);
  EXPECT_TRUE(closed_by_peer(c));
}

std::int64_t max_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

TEST(HttpServer, HundredMegabyteBodiesStreamBothWays) {
  const std::int64_t total = sanitized ? (20 << 20) : (100 << 20);
  TestServer ts([total](http::ResponseWriter& w, http::Request& r) {
    if (r.method == "POST") {
      // Count without keeping it.
      std::vector<std::byte> buf(32 * 1024);
      std::int64_t n = 0;
      for (;;) {
        auto got = r.body.read(buf);
        if (!got) break;
        n += std::int64_t(*got);
      }
      goro::fmt::fprintf(w, "{}", n);
      return;
    }
    std::string piece(64 * 1024, 'q');
    for (std::int64_t sent = 0; sent < total; sent += std::int64_t(piece.size())) {
      if (!w.write(piece)) return;
    }
  });
  ts.start();
  std::int64_t rss_before = max_rss_kb();

  struct Zeros {
    std::int64_t left;
    goro::Result<std::size_t> read(std::span<std::byte> b) {
      if (left == 0) return goro::fail(goro::io::eof);
      std::size_t n = std::size_t(std::min<std::int64_t>(left, std::int64_t(b.size())));
      std::memset(b.data(), 0, n);
      left -= std::int64_t(n);
      return n;
    }
  };
  http::Client client;
  auto up =
      client.post(ts.url("/up"), "application/octet-stream", http::Body::from_reader(Zeros{total}));
  EXPECT_EQ(body_of(up), std::to_string(total));

  auto down = client.get(ts.url("/down"));
  ASSERT_TRUE(down.has_value()) << down.error();
  std::vector<std::byte> buf(32 * 1024);
  std::int64_t got = 0;
  for (;;) {
    auto n = down->body.read(buf);
    if (!n) {
      EXPECT_EQ(n.error(), goro::io::eof);
      break;
    }
    got += std::int64_t(*n);
  }
  EXPECT_EQ(got, total);
  // Neither side held the body in memory (generous bound).
  EXPECT_LT(max_rss_kb() - rss_before, 40 * 1024) << "KiB grown";
  client.close_idle_connections();
}

}  // namespace
