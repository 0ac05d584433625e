// goro::net TCP semantics on real loopback sockets: listen/dial/accept,
// addresses, Go-style errors, close waking blocked parties, half-close,
// peer reset, concurrent read and write, and use from plain threads.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "net_test_support.hpp"

using namespace std::chrono_literals;
using goro::net::Conn;
using net_test::bytes;
using net_test::in_goroutine;
using net_test::read_all;
using net_test::read_n;

TEST(Tcp, EchoBetweenGoroutines) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln) << ln.error();
    auto server = *ln;
    goro::go([server]() mutable {
      auto c = server.accept();
      if (!c) return;
      char buf[100];
      for (;;) {
        auto n = c->read(std::as_writable_bytes(std::span(buf)));
        if (!n) break;
        if (!c->write(std::as_bytes(std::span(buf, *n)))) break;
      }
      c->close();
    });
    auto c = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(c) << c.error();
    for (int i = 0; i < 100; ++i) {
      std::string msg = "hello " + std::to_string(i);
      auto w = c->write(bytes(msg));
      ASSERT_TRUE(w) << w.error();
      EXPECT_EQ(*w, msg.size());
      EXPECT_EQ(read_n(*c, msg.size()), msg);
    }
    EXPECT_FALSE(c->close());
    ln->close();
  });
}

TEST(Tcp, AddressesPrintLikeGo) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln) << ln.error();
    int port = ln->addr().port();
    EXPECT_GT(port, 0);
    EXPECT_EQ(ln->addr().string(), "127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(ln->addr().network(), "tcp");
    auto c = goro::net::dial("tcp", "localhost:" + std::to_string(port));
    ASSERT_TRUE(c) << c.error();
    auto s = ln->accept();
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(c->remote_addr().string(), ln->addr().string());
    EXPECT_EQ(s->remote_addr(), c->local_addr());
    EXPECT_EQ(s->local_addr().string(), "127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(c->local_addr().ip(), "127.0.0.1");
  });
}

TEST(Tcp, Ipv6LoopbackPrintsBrackets) {
  auto ln = goro::net::listen("tcp6", "[::1]:0");
  if (!ln) GTEST_SKIP() << "no IPv6 loopback: " << ln.error();
  EXPECT_EQ(ln->addr().string(), "[::1]:" + std::to_string(ln->addr().port()));
  auto c = goro::net::dial("tcp", ln->addr().string());
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->remote_addr().string(), ln->addr().string());
}

TEST(Tcp, WildcardListenAcceptsLoopbackDial) {
  auto ln = goro::net::listen("tcp", ":0");
  ASSERT_TRUE(ln) << ln.error();
  std::string port = std::to_string(ln->addr().port());
  auto c = goro::net::dial("tcp", "127.0.0.1:" + port);
  ASSERT_TRUE(c) << c.error();
  auto s = ln->accept();
  ASSERT_TRUE(s) << s.error();
  // A dual-stack listener reports IPv4 peers as IPv4, as Go does.
  EXPECT_EQ(s->remote_addr().string(), c->local_addr().string());
  auto d = goro::net::dial("tcp", ":" + port);  // Go: empty host dials the local system
  ASSERT_TRUE(d) << d.error();
}

TEST(Tcp, DialRefusedReadsLikeGo) {
  // Find a port with nobody listening: bind one, note it, close it.
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln);
  std::string addr = ln->addr().string();
  ln->close();
  auto c = goro::net::dial("tcp", addr);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message(), "dial tcp " + addr + ": connect: connection refused");
  EXPECT_TRUE(goro::errors::is(c.error(), goro::errors::from_errno(ECONNREFUSED)));
}

TEST(Tcp, MalformedAddressesAreErrors) {
  auto c = goro::net::dial("tcp", "localhost");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message(), "dial tcp: address localhost: missing port in address");
  auto l = goro::net::listen("tcp", "1:2:3");
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().message(), "listen tcp: address 1:2:3: too many colons in address");
  auto u = goro::net::dial("tcpx", "a:1");
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().message(), "dial tcpx: unknown network tcpx");
  auto p = goro::net::dial("tcp", "127.0.0.1:70000");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message(), "dial tcp: address 127.0.0.1:70000: invalid port");
  auto h = goro::net::dial("tcp", "no-such-host.invalid:80");
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().message(), "dial tcp: lookup no-such-host.invalid: no such host");
}

TEST(Tcp, ListenOnBusyPortFails) {
  auto a = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(a);
  auto b = goro::net::listen("tcp", a->addr().string());
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().message(),
            "listen tcp " + a->addr().string() + ": bind: address already in use");
}

TEST(Tcp, CloseWakesBlockedReaderAndAccept) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    auto c = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(c);
    auto s = ln->accept();
    ASSERT_TRUE(s);
    auto errs = goro::make_chan<goro::Error>(2);
    Conn client = *c;
    goro::go([client, errs]() mutable {
      char buf[8];
      auto r = client.read(std::as_writable_bytes(std::span(buf)));
      errs.send(r ? goro::Error() : r.error());
    });
    auto listener = *ln;
    goro::go([listener, errs]() mutable {
      auto r = listener.accept();
      errs.send(r ? goro::Error() : r.error());
    });
    goro::sleep(50ms);  // let both block
    EXPECT_FALSE(c->close());
    EXPECT_FALSE(ln->close());
    for (int i = 0; i < 2; ++i) {
      goro::Error e = errs.recv().value();
      ASSERT_TRUE(e);
      EXPECT_TRUE(goro::errors::is(e, goro::net::err_closed)) << e;
      EXPECT_NE(e.message().find("use of closed network connection"), std::string::npos);
    }
    // Closing twice is an error, not a crash.
    goro::Error again = c->close();
    ASSERT_TRUE(again);
    EXPECT_TRUE(goro::errors::is(again, goro::net::err_closed));
    EXPECT_EQ(again.message(), "close tcp " + c->local_addr().string() + "->" +
                                   c->remote_addr().string() +
                                   ": use of closed network connection");
    char one[1];
    auto r = c->read(std::as_writable_bytes(std::span(one)));
    ASSERT_FALSE(r);
    EXPECT_TRUE(goro::errors::is(r.error(), goro::net::err_closed));
  });
}

TEST(Tcp, CopiesShareOneSocket) {
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln);
  auto c = goro::net::dial("tcp", ln->addr().string());
  ASSERT_TRUE(c);
  Conn copy = *c;
  EXPECT_TRUE(copy == *c);
  EXPECT_FALSE(copy.close());
  EXPECT_TRUE(c->close());  // already closed through the copy
  Conn nil;
  EXPECT_FALSE(nil);
  EXPECT_TRUE(nil.close());
  char one[1];
  EXPECT_FALSE(nil.read(std::as_writable_bytes(std::span(one))));
}

TEST(Tcp, HalfCloseDeliversEofThenReply) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    auto listener = *ln;
    goro::go([listener]() mutable {
      auto s = listener.accept();
      if (!s) return;
      std::string got = read_all(*s);  // until the client's close_write
      s->write(bytes("got " + std::to_string(got.size())));
      s->close();
    });
    auto c = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->write(bytes(std::string(100000, 'x'))));
    EXPECT_FALSE(c->close_write());
    EXPECT_EQ(read_all(*c), "got 100000");
    auto w = c->write(bytes("late"));
    ASSERT_FALSE(w);
    EXPECT_TRUE(goro::errors::is(w.error(), goro::errors::from_errno(EPIPE))) << w.error();
  });
}

// A raw blocking client socket connected to addr (for SO_LINGER tricks).
int raw_connect(const goro::net::Addr& addr) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (connect(fd, addr.sockaddr_ptr(), addr.sockaddr_len()) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST(Tcp, PeerResetIsAnErrorValue) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    int fd = raw_connect(ln->addr());
    ASSERT_GE(fd, 0);
    auto s = ln->accept();
    ASSERT_TRUE(s);
    linger lg{1, 0};  // SO_LINGER 0: close sends RST
    ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    ::close(fd);
    char buf[16];
    auto r = s->read(std::as_writable_bytes(std::span(buf)));
    ASSERT_FALSE(r);
    EXPECT_TRUE(goro::errors::is(r.error(), goro::errors::from_errno(ECONNRESET))) << r.error();
    EXPECT_EQ(r.error().message(), "read tcp " + s->local_addr().string() + "->" +
                                       s->remote_addr().string() +
                                       ": read: connection reset by peer");
    // Writing to a reset peer fails too (EPIPE), and SIGPIPE does not kill us.
    goro::Error werr;
    for (int i = 0; i < 10 && !werr; ++i) {
      auto w = s->write(bytes("x"));
      if (!w) werr = w.error();
    }
    ASSERT_TRUE(werr);
    EXPECT_TRUE(goro::errors::is(werr, goro::errors::from_errno(EPIPE)) ||
                goro::errors::is(werr, goro::errors::from_errno(ECONNRESET)))
        << werr;
  });
}

TEST(Tcp, ResetWakesAParkedReader) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    int fd = raw_connect(ln->addr());
    ASSERT_GE(fd, 0);
    auto s = ln->accept();
    ASSERT_TRUE(s);
    auto err = goro::make_chan<goro::Error>(1);
    goro::go([conn = *s, err]() mutable {
      char buf[16];
      auto r = conn.read(std::as_writable_bytes(std::span(buf)));
      err.send(r ? goro::Error() : r.error());
    });
    goro::sleep(30ms);  // the reader parks
    linger lg{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    ::close(fd);
    goro::Error e = err.recv().value();
    EXPECT_TRUE(goro::errors::is(e, goro::errors::from_errno(ECONNRESET))) << e;
  });
}

TEST(Tcp, ReadAndWriteConcurrentlyOnOneConn) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    auto listener = *ln;
    goro::go([listener]() mutable {
      auto s = listener.accept();
      if (!s) return;
      char buf[4096];
      for (;;) {
        auto n = s->read(std::as_writable_bytes(std::span(buf)));
        if (!n) break;
        if (!s->write(std::as_bytes(std::span(buf, *n)))) break;
      }
      s->close();
    });
    auto c = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(c);
    constexpr size_t total = 4 << 20;  // more than the socket buffers hold
    Conn writer = *c;
    goro::go([writer]() mutable {
      std::string chunk(64 << 10, 'a');
      for (size_t sent = 0; sent < total; sent += chunk.size())
        if (!writer.write(bytes(chunk))) return;
      writer.close_write();
    });
    std::string got = read_all(*c);
    EXPECT_EQ(got.size(), total);
    EXPECT_EQ(got.find_first_not_of('a'), std::string::npos);
  });
}

TEST(Tcp, ConcurrentWritersDoNotInterleaveMessages) {
  in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln);
    auto c = goro::net::dial("tcp", ln->addr().string());
    ASSERT_TRUE(c);
    auto s = ln->accept();
    ASSERT_TRUE(s);
    constexpr int writers = 4, per = 50;
    constexpr size_t size = 32 << 10;
    goro::WaitGroup wg;
    for (int w = 0; w < writers; ++w) {
      wg.add(1);
      goro::go([&wg, conn = *c, w]() mutable {
        std::string msg(size, char('a' + w));
        for (int i = 0; i < per; ++i) conn.write(bytes(msg));
        wg.done();
      });
    }
    int counts[writers] = {};
    for (int i = 0; i < writers * per; ++i) {
      std::string m = read_n(*s, size);
      ASSERT_EQ(m.find_first_not_of(m[0]), std::string::npos) << "interleaved message";
      counts[m[0] - 'a']++;
    }
    wg.wait();
    for (int w = 0; w < writers; ++w) EXPECT_EQ(counts[w], per);
  });
}

TEST(Tcp, PlainThreadsBlockOnConns) {
  // No goroutine at all: the test thread and a std::thread talk over TCP.
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln);
  std::thread server([l = *ln]() mutable {
    auto s = l.accept();
    ASSERT_TRUE(s) << s.error();
    std::string got = read_n(*s, 5);
    s->write(bytes(got + "!"));
    s->close();
  });
  std::this_thread::sleep_for(20ms);  // the server thread blocks in accept
  auto c = goro::net::dial("tcp", ln->addr().string());
  ASSERT_TRUE(c);
  std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(c->write(bytes("hello")));
  EXPECT_EQ(read_all(*c), "hello!");
  server.join();
}

TEST(Tcp, DialTimeoutToABlackHole) {
  // A listener whose backlog is full does not complete new handshakes, so
  // dialling it stays pending until the timeout.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  goro::net::Addr addr("tcp", reinterpret_cast<sockaddr*>(&a), len);
  std::vector<Conn> fillers;
  goro::Error timeout;
  in_goroutine([&] {
    for (int i = 0; i < 64 && !timeout; ++i) {
      auto c = goro::net::dial_timeout("tcp", addr.string(), 200ms);
      if (c)
        fillers.push_back(*c);
      else
        timeout = c.error();
    }
  });
  ::close(fd);
  ASSERT_TRUE(timeout) << "every dial completed";
  EXPECT_TRUE(timeout.timeout()) << timeout;
  EXPECT_TRUE(goro::errors::is(timeout, goro::os::err_deadline_exceeded));
  EXPECT_EQ(timeout.message(), "dial tcp " + addr.string() + ": i/o timeout");
}
