// tcp-echo: 50 client goroutines, each on its own loopback TCP connection,
// send a 64-byte request and wait for the 64-byte echo, N round trips in all
// (GORO_BENCH_N, default 200 000; GORO_BENCH_CONNS, default 50). The server
// runs one goroutine per connection in the same process. Round trips per s.
#include <atomic>
#include <cstring>

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
  long n = bench::env_long("GORO_BENCH_N", 200'000);
  long conns = bench::env_long("GORO_BENCH_CONNS", 50);
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  if (!ln) {
    std::fprintf(stderr, "tcp-echo: %s\n", ln.error().message().c_str());
    return 1;
  }
  goro::go([l = *ln]() mutable {
    for (;;) {
      auto c = l.accept();
      if (!c) return;
      goro::go(serve, *c);
    }
  });
  std::string addr = ln->addr().string();
  std::vector<goro::net::Conn> clients;
  for (long i = 0; i < conns; ++i) {
    auto c = goro::net::dial("tcp", addr);
    if (!c) {
      std::fprintf(stderr, "tcp-echo: %s\n", c.error().message().c_str());
      return 1;
    }
    clients.push_back(*c);
  }
  std::atomic<long> failures{0};
  goro::WaitGroup wg;
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < conns; ++i) {
    long trips = n / conns + (i < n % conns ? 1 : 0);
    wg.add(1);
    goro::go([&, c = clients[i], trips, i]() mutable {
      std::byte req[msg_size], resp[msg_size];
      std::memset(req, int(i), msg_size);
      for (long t = 0; t < trips; ++t) {
        if (!c.write(std::span<const std::byte>(req, msg_size)) || !read_full(c, resp, msg_size) ||
            std::memcmp(req, resp, msg_size) != 0) {
          failures++;
          break;
        }
      }
      wg.done();
    });
  }
  wg.wait();
  double seconds = bench::seconds_since(t0);
  if (failures.load() != 0) return 1;
  bench::report("tcp-echo", n, "round_trips_per_s", double(n) / seconds);
  for (auto& c : clients) c.close();
  ln->close();
}
