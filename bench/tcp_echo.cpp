// tcp-echo, goro's server: echoes 64-byte messages on 127.0.0.1 port
// GORO_BENCH_PORT (default 18081), one goroutine per connection, until
// killed. bench/compare drives it with the same client as Go's server
// (`bench-go tcp-echo-client`: 50 connections, round trips per second and
// p99 latency), so the two servers are measured by one instrument.
#include <cstdio>
#include <string>

#include <goro/goro.hpp>

#include "bench_common.hpp"

namespace {

constexpr std::size_t msg_size = 64;

bool read_full(goro::net::Conn& c, std::byte* p, std::size_t n) {
  while (n > 0) {
    auto r = c.read(std::span(p, n));
    if (!r) return false;
    p += *r;
    n -= *r;
  }
  return true;
}

void serve(goro::net::Conn c) {
  std::byte buf[msg_size];
  while (read_full(c, buf, msg_size))
    if (!c.write(std::span<const std::byte>(buf, msg_size))) break;
  c.close();
}

}  // namespace

int main() {
  long port = bench::env_long("GORO_BENCH_PORT", 18081);
  auto ln = goro::net::listen("tcp", "127.0.0.1:" + std::to_string(port));
  if (!ln) {
    std::fprintf(stderr, "tcp-echo: %s\n", ln.error().message().c_str());
    return 1;
  }
  for (;;) {
    auto c = ln->accept();
    if (!c) {
      std::fprintf(stderr, "tcp-echo: %s\n", c.error().message().c_str());
      return 1;
    }
    goro::go(serve, *c);
  }
}
