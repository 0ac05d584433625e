// goro::http server limits with real sockets, answered as Go answers them:
// 431 for oversized headers, 400 for malformed requests and for
// Content-Length with Transfer-Encoding, silent close for the read-header,
// idle and read timeouts, failed writes after the write timeout, and a
// slowloris client cut off while others are served.
#include "http_test_support.hpp"

using namespace http_test;

namespace {

void ok_handler(http::ResponseWriter& w, http::Request&) { w.write("ok"); }

TEST(HttpLimits, HeadersOverMaxHeaderBytesGet431AndClose) {
  TestServer ts(ok_handler);
  ts.srv.max_header_bytes = 4096;
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n");
  std::string carry;
  auto r = read_response(c, carry);
  EXPECT_EQ(r.status, 431) << r.head;
  EXPECT_EQ(header_value(r.head, "Connection"), "close");
  EXPECT_NE(r.body.find("431 Request Header Fields Too Large"), std::string::npos) << r.body;
  EXPECT_TRUE(closed_by_peer(c));

  // Just under the limit is fine.
  auto d = dial(ts.addr);
  send(d, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(3000, 'a') + "\r\n\r\n");
  std::string carry2;
  EXPECT_EQ(read_response(d, carry2).status, 200);
  d.close();
}

TEST(HttpLimits, DefaultMaxHeaderBytesIsOneMegabyte) {
  TestServer ts(ok_handler);
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(900 * 1024, 'a') + "\r\n\r\n");
  std::string carry;
  EXPECT_EQ(read_response(c, carry).status, 200);
  auto d = dial(ts.addr);
  // The server stops reading at the limit; the rest may be refused (reset).
  d.write("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(1100 * 1024, 'a') + "\r\n\r\n");
  std::string carry2;
  EXPECT_EQ(read_response(d, carry2).status, 431);
  c.close();
  d.close();
}

TEST(HttpLimits, MalformedRequestsGet400) {
  TestServer ts(ok_handler);
  ts.start();
  for (std::string bad : {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n",
                          "GET / HTTP/9.9x\r\n\r\n", "GET / HTTP/1.1\r\n\r\n" /* no Host */}) {
    auto c = dial(ts.addr);
    send(c, bad);
    std::string carry;
    auto r = read_response(c, carry);
    EXPECT_EQ(r.status, 400) << bad << " -> " << r.head;
    EXPECT_TRUE(r.body.starts_with("400 Bad Request")) << r.body;
    EXPECT_TRUE(closed_by_peer(c)) << bad;
  }
}

TEST(HttpLimits, ContentLengthWithTransferEncodingGets400) {
  std::atomic<int> handled{0};
  TestServer ts([&handled](http::ResponseWriter& w, http::Request&) {
    handled++;
    w.write("ok");
  });
  ts.start();
  auto c = dial(ts.addr);
  send(c,
       "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
       "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  auto r = read_response(c, carry);
  EXPECT_EQ(r.status, 400) << r.head;
  EXPECT_TRUE(closed_by_peer(c));
  EXPECT_EQ(handled.load(), 0);
}

TEST(HttpLimits, ReadHeaderTimeoutClosesASilentConnection) {
  TestServer ts(ok_handler);
  ts.srv.read_header_timeout = 200ms;
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHo");
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(closed_by_peer(c));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 150ms);
  EXPECT_LT(took, 3s);
}

TEST(HttpLimits, SlowlorisIsCutOffWhileOthersAreServed) {
  TestServer ts(ok_handler);
  ts.srv.read_header_timeout = 1500ms;
  ts.start();
  auto gone = goro::make_chan<std::chrono::milliseconds>(1);
  goro::go([&ts, gone] {
    // One header byte per second.
    auto c = net::dial("tcp", ts.addr);
    if (!c) {
      gone.send(std::chrono::milliseconds(-1));
      return;
    }
    auto start = std::chrono::steady_clock::now();
    std::string req = "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: abcdefghijklmnopqrstuvwxyz\r\n\r\n";
    for (char ch : req) {
      if (!c->write(std::string_view(&ch, 1))) break;
      goro::sleep(1s);
      // Stop once the server has closed on us.
      c->set_read_deadline(std::chrono::steady_clock::now() + 1ms);
      std::byte b[64];
      auto r = c->read(b);
      if (!r && !r.error().timeout()) break;
      if (r) break;  // a response would be a failure; stop too
    }
    gone.send(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start));
    c->close();
  });
  // Meanwhile other clients are served promptly.
  http::Client client;
  for (int i = 0; i < 10; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = client.get(ts.url("/"));
    EXPECT_EQ(body_of(r), "ok");
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    goro::sleep(100ms);
  }
  auto took = *gone.recv();
  EXPECT_GE(took, 1400ms);
  EXPECT_LT(took, 5000ms);
  client.close_idle_connections();
}

TEST(HttpLimits, IdleTimeoutClosesKeepAliveConnections) {
  TestServer ts(ok_handler);
  ts.srv.idle_timeout = 200ms;
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string carry;
  EXPECT_EQ(read_response(c, carry).body, "ok");
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(closed_by_peer(c));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);

  // The client notices the closed pooled connection and retries on a new one.
  http::Client client;
  auto first = client.get(ts.url("/"));
  EXPECT_EQ(body_of(first), "ok");
  goro::sleep(400ms);
  auto again = client.get(ts.url("/"));
  EXPECT_EQ(body_of(again), "ok");
  EXPECT_EQ(client.dial_count(), 2u);
  client.close_idle_connections();
}

TEST(HttpLimits, WriteTimeoutFailsLateWrites) {
  auto write_err = goro::make_chan<std::string>(1);
  TestServer ts([write_err](http::ResponseWriter& w, http::Request&) {
    goro::sleep(400ms);
    w.write("late");
    auto e = w.flush();
    write_err.send(e ? e.message() : "no error");
  });
  ts.srv.write_timeout = 150ms;
  ts.start();
  auto c = dial(ts.addr);
  send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(write_err.recv()->find("i/o timeout"), std::string::npos);
  std::string carry;
  auto r = read_response(c, carry);
  EXPECT_EQ(r.status, 0) << "no response expected: " << r.head;
  c.close();
}

TEST(HttpLimits, ReadTimeoutCutsASlowBody) {
  auto body_err = goro::make_chan<std::string>(1);
  TestServer ts([body_err](http::ResponseWriter& w, http::Request& r) {
    auto b = goro::io::read_all(r.body);
    body_err.send(b ? "read " + *b : b.error().message());
    w.write("x");
  });
  ts.srv.read_timeout = 300ms;
  ts.start();
  auto c = dial(ts.addr);
  send(c, "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly-ten!!");
  std::string e = *body_err.recv();
  EXPECT_NE(e.find("i/o timeout"), std::string::npos) << e;
  c.close();
}

}  // namespace
