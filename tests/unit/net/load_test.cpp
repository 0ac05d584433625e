// Many connections at once on loopback: 10 000 clients (fewer when the fd
// hard limit does not allow it; sanitizer builds use 1 000) all connected
// at the same time, each echoing a unique message, nothing lost; and a slow
// reader (a writer parked on a full socket) does not hold up others.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "net_test_support.hpp"

using namespace std::chrono_literals;
using goro::net::Conn;
using net_test::bytes;
using net_test::in_goroutine;
using net_test::read_n;

namespace {

// Raise the soft fd limit to the hard one; returns the limit now in force.
rlim_t raise_fd_limit() {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

void echo(Conn c) {
  char buf[256];
  for (;;) {
    auto n = c.read(std::as_writable_bytes(std::span(buf)));
    if (!n) break;
    if (!c.write(std::as_bytes(std::span(buf, *n)))) break;
  }
  c.close();
}

// n clients against addr, all connected before any talks; each echoes a
// unique 64-byte message. Returns how many round trips came back intact.
long run_clients(const std::string& addr, long n) {
  goro::WaitGroup connected, finished;
  auto start = goro::make_chan<int>();
  std::atomic<long> ok{0}, dial_errors{0};
  for (long i = 0; i < n; ++i) {
    connected.add(1);
    finished.add(1);
    goro::go([&, i] {
      auto c = goro::net::dial("tcp", addr);
      connected.done();
      if (!c) {
        if (dial_errors++ == 0) std::fprintf(stderr, "dial: %s\n", c.error().message().c_str());
        finished.done();
        return;
      }
      start.recv();  // every connection is open before anyone talks
      char msg[65];
      std::snprintf(msg, sizeof msg, "%064ld", i);
      std::string m(msg, 64);
      if (c->write(bytes(m)) && read_n(*c, 64) == m) ok++;
      c->close();
      finished.done();
    });
  }
  connected.wait();
  start.close();
  finished.wait();
  return ok.load();
}

}  // namespace

// The client half of TenThousandConnectionsEchoAtOnce when the fd limit
// does not let one process hold both ends: run in a child process.
TEST(LoadHelper, Clients) {
  const char* addr = std::getenv("GORO_NET_LOAD_ADDR");
  const char* count = std::getenv("GORO_NET_LOAD_N");
  if (!addr || !count) GTEST_SKIP() << "only run as TenThousandConnectionsEchoAtOnce's child";
  raise_fd_limit();
  long n = std::atol(count);
  EXPECT_EQ(run_clients(addr, n), n);
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }, 60s));
}

TEST(Load, TenThousandConnectionsEchoAtOnce) {
  const long n = sanitized ? 1000 : 10000;
  rlim_t limit = raise_fd_limit();
  ASSERT_GT(long(limit), n + 256) << "RLIMIT_NOFILE hard limit too low for " << n << " connections";
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln);
  std::string addr = ln->addr().string();
  std::atomic<long> accepted{0};
  goro::go([&accepted, l = *ln]() mutable {
    for (;;) {
      auto c = l.accept();
      if (!c) return;
      accepted++;
      goro::go(echo, *c);
    }
  });
  if (long(limit) > 2 * n + 256) {
    EXPECT_EQ(run_clients(addr, n), n);
  } else {
    // Both ends do not fit in one process's fd table: the clients run in a
    // child process (this binary, running LoadHelper.Clients).
    std::printf("note: RLIMIT_NOFILE %lu < 2 x %ld: clients run in a child process\n",
                (unsigned long)limit, n);
    std::fflush(stdout);
    std::string cmd = "GORO_NET_LOAD_ADDR=" + addr + " GORO_NET_LOAD_N=" + std::to_string(n) +
                      " /proc/" + std::to_string(getpid()) +
                      "/exe --gtest_filter=LoadHelper.Clients >/dev/null";
    int status = goro::blocking([&] { return std::system(cmd.c_str()); });
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "client process failed";
  }
  EXPECT_EQ(accepted.load(), n);
  ln->close();
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }, 60s));
}

TEST(Load, SlowReaderDoesNotBlockOtherConnections) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    // The server floods every connection it accepts until the write fails.
    std::atomic<bool> flood_done{false};
    auto slow = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(slow);
    auto flooded = ln->accept();
    ASSERT_TRUE(flooded);
    goro::go([&flood_done, c = *flooded]() mutable {
      std::string chunk(1 << 16, 'f');
      while (c.write(bytes(chunk))) {
      }
      flood_done = true;
    });
    // Meanwhile an ordinary echo connection works normally.
    goro::go([l = *ln]() mutable {
      auto c = l.accept();
      if (c) echo(*c);
    });
    auto fast = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(fast);
    for (int i = 0; i < 200; ++i) {
      std::string m = "round " + std::to_string(i);
      ASSERT_TRUE(fast->write(bytes(m)));
      ASSERT_EQ(read_n(*fast, m.size()), m);
    }
    EXPECT_FALSE(flood_done.load()) << "the flooding writer should still be parked";
    fast->close();
    slow->close();  // the parked writer fails (peer closed) and ends
    ASSERT_TRUE(eventually([&] { return flood_done.load(); }));
    ln->close();
  });
}
