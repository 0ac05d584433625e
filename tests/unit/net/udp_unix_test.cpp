// UDP (listen_packet / read_from / write_to, dialled UDP conns) and Unix
// domain stream sockets (path and abstract), plus split/join_host_port.
#include <sys/stat.h>
#include <unistd.h>

#include "net_test_support.hpp"

using namespace std::chrono_literals;
using net_test::bytes;
using net_test::in_goroutine;
using net_test::read_all;
using net_test::read_n;

TEST(Udp, RoundTripWithReadFromWriteTo) {
  in_goroutine([] {
    auto server = goro::net::listen_packet("udp", "127.0.0.1:0");
    ASSERT_TRUE(server) << server.error();
    EXPECT_EQ(server->local_addr().network(), "udp");
    goro::go([pc = *server]() mutable {
      char buf[1500];
      for (;;) {
        auto r = pc.read_from(std::as_writable_bytes(std::span(buf)));
        if (!r) return;  // closed
        std::string reply = "echo:" + std::string(buf, r->n);
        if (!pc.write_to(bytes(reply), r->addr)) return;
      }
    });
    auto client = goro::net::listen_packet("udp", "127.0.0.1:0");
    ASSERT_TRUE(client);
    for (int i = 0; i < 20; ++i) {
      std::string msg = "ping " + std::to_string(i);
      auto w = client->write_to(bytes(msg), server->local_addr());
      ASSERT_TRUE(w) << w.error();
      EXPECT_EQ(*w, msg.size());
      char buf[1500];
      ASSERT_FALSE(client->set_read_deadline(std::chrono::steady_clock::now() + 5s));
      auto r = client->read_from(std::as_writable_bytes(std::span(buf)));
      ASSERT_TRUE(r) << r.error();
      EXPECT_EQ(std::string(buf, r->n), "echo:" + msg);
      EXPECT_EQ(r->addr, server->local_addr());
    }
    EXPECT_FALSE(server->close());
    EXPECT_TRUE(server->close());
  });
}

TEST(Udp, DialledConnAndReadDeadline) {
  in_goroutine([] {
    auto server = goro::net::listen_packet("udp", "127.0.0.1:0");
    ASSERT_TRUE(server);
    auto c = goro::net::dial("udp", server->local_addr().string());
    ASSERT_TRUE(c) << c.error();
    ASSERT_TRUE(c->write("hello"));
    char buf[64];
    auto r = server->read_from(std::as_writable_bytes(std::span(buf)));
    ASSERT_TRUE(r);
    EXPECT_EQ(std::string(buf, r->n), "hello");
    EXPECT_EQ(r->addr.string(), c->local_addr().string());
    ASSERT_TRUE(server->write_to("back", r->addr));
    auto n = c->read(std::as_writable_bytes(std::span(buf)));
    ASSERT_TRUE(n) << n.error();
    EXPECT_EQ(std::string(buf, *n), "back");
    ASSERT_FALSE(c->set_read_deadline(std::chrono::steady_clock::now() + 30ms));
    auto t = c->read(std::as_writable_bytes(std::span(buf)));
    ASSERT_FALSE(t);
    EXPECT_TRUE(t.error().timeout());
  });
}

TEST(Udp, WildcardDualStackAnswersIpv4) {
  auto server = goro::net::listen_packet("udp", ":0");
  ASSERT_TRUE(server) << server.error();
  auto to =
      goro::net::resolve_addr("udp", "127.0.0.1:" + std::to_string(server->local_addr().port()));
  ASSERT_TRUE(to) << to.error();
  auto client = goro::net::listen_packet("udp4", "127.0.0.1:0");
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->write_to("x", *to));
  char buf[8];
  auto r = server->read_from(std::as_writable_bytes(std::span(buf)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->addr.string(), client->local_addr().string());  // not ::ffff:127.0.0.1
  ASSERT_TRUE(server->write_to("y", r->addr));
  auto back = client->read_from(std::as_writable_bytes(std::span(buf)));
  ASSERT_TRUE(back);
}

TEST(Udp, CloseWakesBlockedReadFrom) {
  in_goroutine([] {
    auto pc = goro::net::listen_packet("udp", "127.0.0.1:0");
    ASSERT_TRUE(pc);
    auto err = goro::make_chan<goro::Error>(1);
    goro::go([p = *pc, err]() mutable {
      char buf[8];
      auto r = p.read_from(std::as_writable_bytes(std::span(buf)));
      err.send(r ? goro::Error() : r.error());
    });
    goro::sleep(20ms);
    pc->close();
    goro::Error e = err.recv().value();
    EXPECT_TRUE(goro::errors::is(e, goro::net::err_closed)) << e;
    EXPECT_EQ(e.message(),
              "read udp " + pc->local_addr().string() + ": use of closed network connection");
  });
}

TEST(Unix, StreamEchoAndSocketFileRemovedOnClose) {
  std::string path = "/tmp/goro-net-test-" + std::to_string(getpid()) + ".sock";
  ::unlink(path.c_str());
  in_goroutine([&] {
    auto ln = goro::net::listen("unix", path);
    ASSERT_TRUE(ln) << ln.error();
    EXPECT_EQ(ln->addr().string(), path);
    EXPECT_EQ(ln->addr().network(), "unix");
    goro::go([l = *ln]() mutable {
      auto s = l.accept();
      if (!s) return;
      std::string got = read_all(*s);
      s->write(bytes("unix:" + got));
      s->close();
    });
    auto c = goro::net::dial("unix", path);
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->remote_addr().string(), path);
    ASSERT_TRUE(c->write("abc"));
    ASSERT_FALSE(c->close_write());
    EXPECT_EQ(read_all(*c), "unix:abc");
    struct stat st;
    EXPECT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_FALSE(ln->close());
    EXPECT_NE(stat(path.c_str(), &st), 0) << "socket file left behind";
  });
}

TEST(Unix, AbstractNamespaceAndMissingPeer) {
  std::string name = "@goro-net-test-" + std::to_string(getpid());
  auto ln = goro::net::listen("unix", name);
  ASSERT_TRUE(ln) << ln.error();
  EXPECT_EQ(ln->addr().string(), name);
  auto c = goro::net::dial("unix", name);
  ASSERT_TRUE(c) << c.error();
  auto s = ln->accept();
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->write("z"));
  EXPECT_EQ(read_n(*c, 1), "z");
  auto missing = goro::net::dial("unix", "/nonexistent/goro.sock");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(),
            "dial unix /nonexistent/goro.sock: connect: no such file or directory");
}

TEST(Addr, SplitAndJoinHostPort) {
  auto a = goro::net::split_host_port("[::1]:80");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, "::1");
  EXPECT_EQ(a->second, "80");
  auto b = goro::net::split_host_port(":8000");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->first, "");
  EXPECT_EQ(b->second, "8000");
  auto c = goro::net::split_host_port("localhost:http");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->second, "http");
  EXPECT_EQ(goro::net::split_host_port("localhost").error().message(),
            "address localhost: missing port in address");
  EXPECT_EQ(goro::net::split_host_port("::1").error().message(),
            "address ::1: too many colons in address");
  EXPECT_EQ(goro::net::split_host_port("[::1").error().message(),
            "address [::1: missing ']' in address");
  EXPECT_EQ(goro::net::split_host_port("[::1]").error().message(),
            "address [::1]: missing port in address");
  EXPECT_EQ(goro::net::join_host_port("::1", "80"), "[::1]:80");
  EXPECT_EQ(goro::net::join_host_port("example.com", "443"), "example.com:443");
  auto r = goro::net::resolve_addr("tcp", "localhost:http");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->port(), 80);
  EXPECT_EQ(goro::net::Addr().string(), "<nil>");
}
