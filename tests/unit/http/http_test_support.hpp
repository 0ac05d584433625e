// Helpers shared by the goro::http tests: a server on a loopback port that
// serves from a goroutine, raw-socket request/response helpers, and a log
// collector.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/http.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "support/checks.hpp"

namespace http_test {

using namespace std::chrono_literals;
namespace http = goro::http;
namespace net = goro::net;

// Collects Server::error_log lines.
struct LogSink {
  std::mutex mu;
  std::vector<std::string> lines;
  std::function<void(std::string_view)> fn() {
    return [this](std::string_view s) {
      std::lock_guard lock(mu);
      lines.emplace_back(s);
    };
  }
  std::string all() {
    std::lock_guard lock(mu);
    std::string out;
    for (auto& l : lines) out += l + "\n";
    return out;
  }
};

// A Server on 127.0.0.1:<free port>, serving in a goroutine, counting the
// connections it accepted.
struct TestServer {
  http::Server srv;
  std::string addr;
  std::atomic<int> new_conns{0};
  std::atomic<int> closed_conns{0};
  LogSink log;
  goro::Chan<goro::Error> done = goro::make_chan<goro::Error>(1);
  bool started = false;

  explicit TestServer(http::Handler h) {
    srv.handler = std::move(h);
    srv.error_log = log.fn();
    srv.conn_state = [this](const net::Conn&, http::ConnState s) {
      if (s == http::StateNew) new_conns++;
      if (s == http::StateClosed) closed_conns++;
    };
  }
  void start() {
    auto ln = net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln.has_value()) << ln.error();
    addr = ln->addr().string();
    started = true;
    auto d = done;
    goro::go([this, d, l = *ln] { d.send(srv.serve(l)); });
  }
  std::string url(std::string_view path) const { return "http://" + addr + std::string(path); }
  // Closes the server and returns what serve() returned.
  goro::Error stop() {
    if (!started) return {};
    started = false;
    srv.close();
    return *done.recv();
  }
  ~TestServer() {
    stop();
    EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }))
        << "goroutines left: " << goro::num_goroutine();
  }
};

inline net::Conn dial(const std::string& addr) {
  auto c = net::dial("tcp", addr);
  EXPECT_TRUE(c.has_value()) << c.error();
  return c ? *c : net::Conn();
}

inline void send(net::Conn& c, std::string_view s) {
  auto w = c.write(s);
  EXPECT_TRUE(w.has_value()) << w.error();
}

// Reads until `marker` has been seen (included), EOF or an error; "" + what
// was read on failure.
inline std::string read_until(net::Conn& c, std::string_view marker, std::string& carry) {
  for (;;) {
    auto pos = carry.find(marker);
    if (pos != std::string::npos) {
      std::string out = carry.substr(0, pos + marker.size());
      carry.erase(0, pos + marker.size());
      return out;
    }
    char buf[4096];
    auto r = c.read(std::as_writable_bytes(std::span(buf)));
    if (!r) {
      std::string out = std::move(carry);
      carry.clear();
      return out;
    }
    carry.append(buf, *r);
  }
}

// One response (head + body framed by Content-Length or chunked) read raw.
struct RawResponse {
  std::string head;  // status line and headers
  std::string body;  // as on the wire for chunked
  int status = 0;
};

inline std::string header_value(const std::string& head, std::string_view key) {
  std::string lower_head = head;
  for (auto& ch : lower_head) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  std::string k = "\r\n" + std::string(key) + ": ";
  for (auto& ch : k) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  auto p = lower_head.find(k);
  if (p == std::string::npos) return "";
  auto e = head.find("\r\n", p + k.size());
  return head.substr(p + k.size(), e - p - k.size());
}

inline RawResponse read_response(net::Conn& c, std::string& carry, bool head_request = false) {
  RawResponse r;
  r.head = read_until(c, "\r\n\r\n", carry);
  if (r.head.size() >= 12) r.status = std::atoi(r.head.c_str() + 9);
  if (head_request) return r;
  std::string cl = header_value(r.head, "Content-Length");
  if (!cl.empty()) {
    std::size_t n = std::stoul(cl);
    while (carry.size() < n) {
      char buf[4096];
      auto x = c.read(std::as_writable_bytes(std::span(buf)));
      if (!x) break;
      carry.append(buf, *x);
    }
    r.body = carry.substr(0, n);
    carry.erase(0, std::min(n, carry.size()));
  } else if (header_value(r.head, "Transfer-Encoding") == "chunked") {
    r.body = read_until(c, "\r\n0\r\n\r\n", carry);
  } else {
    r.body = read_until(c, std::string(1, '\0') + "never", carry);  // until EOF
  }
  return r;
}

// Whether the peer closed the connection (read gives EOF or an error) within limit.
inline bool closed_by_peer(net::Conn& c, std::chrono::milliseconds limit = 5000ms) {
  c.set_read_deadline(std::chrono::steady_clock::now() + limit);
  char buf[256];
  for (;;) {
    auto r = c.read(std::as_writable_bytes(std::span(buf)));
    if (!r) return !r.error().timeout();
  }
}

inline std::string body_of(goro::Result<http::Response>& r) {
  if (!r) return "<error: " + r.error().message() + ">";
  auto b = goro::io::read_all(r->body);
  return b ? *b : "<body error: " + b.error().message() + ">";
}

}  // namespace http_test
