// Close racing with blocked and running operations: readers, writers and
// accepts on sockets closed from other goroutines and threads, repeatedly.
// Nothing may crash, hang, or touch a closed (possibly reused) fd; every
// blocked party ends with an error value. Run under ASan and TSan too.
#include <atomic>
#include <thread>

#include "net_test_support.hpp"

using namespace std::chrono_literals;
using goro::net::Conn;
using net_test::bytes;

TEST(CloseRace, ConcurrentReadWriteAndClose) {
  const int rounds = sanitized ? 50 : 300;
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln);
  std::atomic<int> ended{0};
  for (int r = 0; r < rounds; ++r) {
    auto c = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(c) << c.error();
    auto s = ln->accept();
    ASSERT_TRUE(s) << s.error();
    goro::go([&ended, conn = *c]() mutable {  // reader: parks, then is woken by close
      char buf[512];
      while (conn.read(std::as_writable_bytes(std::span(buf)))) {
      }
      ended++;
    });
    goro::go([&ended, conn = *c]() mutable {  // writer: fills the socket and parks
      std::string chunk(1 << 14, 'w');
      while (conn.write(bytes(chunk))) {
      }
      ended++;
    });
    goro::go([&ended, conn = *s, r]() mutable {  // the peer closes at varying times
      char buf[256];
      for (int i = 0; i < r % 7; ++i)
        if (!conn.read(std::as_writable_bytes(std::span(buf)))) break;
      conn.close();
      ended++;
    });
    if (r % 2) goro::sleep(std::chrono::microseconds(r % 5 * 100));
    // Two closers race; exactly one succeeds.
    std::atomic<int> ok{0};
    std::thread closer([&ok, conn = *c]() mutable { ok += conn.close() ? 0 : 1; });
    ok += c->close() ? 0 : 1;
    closer.join();
    EXPECT_EQ(ok.load(), 1);
  }
  ASSERT_TRUE(eventually([&] { return ended.load() == 3 * rounds; }));
  ln->close();
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(CloseRace, ListenerClosedUnderManyAccepts) {
  const int rounds = sanitized ? 20 : 100;
  for (int r = 0; r < rounds; ++r) {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    std::atomic<int> closed_errors{0};
    goro::WaitGroup wg;
    for (int i = 0; i < 4; ++i) {
      wg.add(1);
      goro::go([&, l = *ln]() mutable {
        for (;;) {
          auto c = l.accept();
          if (!c) {
            if (goro::errors::is(c.error(), goro::net::err_closed)) closed_errors++;
            break;
          }
          c->close();
        }
        wg.done();
      });
    }
    for (int i = 0; i < r % 5; ++i) {
      auto c = goro::net::dial("tcp", ln->addr().string());
      ASSERT_TRUE(c);
    }
    ln->close();
    wg.wait();
    EXPECT_EQ(closed_errors.load(), 4);
  }
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}
