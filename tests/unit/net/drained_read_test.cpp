// A TCP read that returns less than asked leaves the socket "drained": the
// next read waits for readiness without first failing with EAGAIN. These
// tests check that no data is ever stranded by that: data arriving while
// the reader is busy, a read deadline expiring on a drained socket, and TCP
// urgent data (a read stops short at the urgent mark with data left).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "net_test_support.hpp"

using namespace std::chrono_literals;

namespace {

// A plain blocking socket connected to addr (127.0.0.1:port), or -1.
int raw_dial(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(uint16_t(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, std::string_view s, int flags = 0) {
  while (!s.empty()) {
    ssize_t n = ::send(fd, s.data(), s.size(), flags | MSG_NOSIGNAL);
    if (n <= 0) return false;
    s.remove_prefix(size_t(n));
  }
  return true;
}

// One read into a large buffer (so it returns short) under a deadline.
goro::Result<std::string> read_some(goro::net::Conn& c) {
  char buf[4096];
  auto r = c.read(std::as_writable_bytes(std::span(buf)));
  if (!r) return goro::fail(r.error());
  return std::string(buf, *r);
}

}  // namespace

TEST(DrainedRead, DataArrivingWhileTheReaderIsBusyIsRead) {
  net_test::in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln) << ln.error();
    int port = ln->addr().port();
    std::thread peer([port] {
      int fd = raw_dial(port);
      ASSERT_GE(fd, 0);
      for (int i = 0; i < 50; ++i) {
        // Two pieces per turn: the second arrives while the reader is busy
        // with the first (its read returned short: the socket was drained).
        ASSERT_TRUE(send_all(fd, "ping-" + std::to_string(i) + ";"));
        std::this_thread::sleep_for(1ms);
        ASSERT_TRUE(send_all(fd, "more;"));
        char ack;
        ASSERT_EQ(::recv(fd, &ack, 1, MSG_WAITALL), 1);
      }
      ::close(fd);
    });
    auto c = ln->accept();
    ASSERT_TRUE(c) << c.error();
    ASSERT_FALSE(c->set_read_deadline(goro::net::Deadline(std::chrono::steady_clock::now() + 10s)));
    for (int i = 0; i < 50; ++i) {
      std::string want = "ping-" + std::to_string(i) + ";more;";
      std::string got;
      while (got.size() < want.size()) {
        auto r = read_some(*c);
        ASSERT_TRUE(r) << "turn " << i << " after \"" << got << "\": " << r.error();
        got += *r;
        goro::time::sleep(2ms);  // busy: the next piece lands meanwhile
      }
      EXPECT_EQ(got, want);
      ASSERT_TRUE(c->write(net_test::bytes("k")));
    }
    auto end = read_some(*c);
    ASSERT_FALSE(end);
    EXPECT_EQ(end.error(), goro::io::eof);
    peer.join();
  });
}

TEST(DrainedRead, DeadlineOnADrainedSocketThenDataStillArrives) {
  net_test::in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln) << ln.error();
    int port = ln->addr().port();
    auto go_on = goro::make_chan<int>(0);
    std::thread peer([port, go_on]() mutable {
      int fd = raw_dial(port);
      ASSERT_GE(fd, 0);
      ASSERT_TRUE(send_all(fd, "first"));
      go_on.recv();
      ASSERT_TRUE(send_all(fd, "second"));
      go_on.recv();
      ::close(fd);
    });
    auto c = ln->accept();
    ASSERT_TRUE(c) << c.error();
    auto first = read_some(*c);
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(*first, "first");
    // Drained now; a deadline in the past ends the next read at once.
    ASSERT_FALSE(c->set_read_deadline(goro::net::Deadline(std::chrono::nanoseconds(1))));
    auto timed_out = read_some(*c);
    ASSERT_FALSE(timed_out);
    EXPECT_TRUE(timed_out.error().timeout()) << timed_out.error();
    ASSERT_FALSE(c->set_read_deadline(goro::net::Deadline(std::chrono::steady_clock::now() + 10s)));
    go_on.send(1);
    auto second = read_some(*c);
    ASSERT_TRUE(second) << second.error();
    EXPECT_EQ(*second, "second");
    go_on.send(1);
    peer.join();
  });
}

TEST(DrainedRead, UrgentDataDoesNotStrandTheRest) {
  net_test::in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln) << ln.error();
    int port = ln->addr().port();
    auto sent = goro::make_chan<int>(0);
    std::thread peer([port, sent]() mutable {
      int fd = raw_dial(port);
      ASSERT_GE(fd, 0);
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof one);
      // A read stops short at the urgent mark (after "abc") although "def"
      // is already queued behind it; no later edge comes for "def".
      ASSERT_TRUE(send_all(fd, "abc"));
      ASSERT_TRUE(send_all(fd, "!", MSG_OOB));
      ASSERT_TRUE(send_all(fd, "def"));
      sent.send(1);
      sent.recv();  // keep the connection open until the reader is done
      ::close(fd);
    });
    auto c = ln->accept();
    ASSERT_TRUE(c) << c.error();
    sent.recv();
    goro::time::sleep(20ms);  // everything queued and its edges delivered
    ASSERT_FALSE(c->set_read_deadline(goro::net::Deadline(std::chrono::steady_clock::now() + 5s)));
    std::string got;
    while (got.find("def") == std::string::npos) {
      auto r = read_some(*c);
      ASSERT_TRUE(r) << "after \"" << got << "\": " << r.error();
      got += *r;
    }
    EXPECT_EQ(got.substr(0, 3), "abc");
    EXPECT_EQ(got.substr(got.size() - 3), "def");
    sent.send(1);
    peer.join();
  });
}

TEST(DrainedRead, EofQueuedBehindAShortReadIsSeen) {
  net_test::in_goroutine([] {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    ASSERT_TRUE(ln) << ln.error();
    int port = ln->addr().port();
    for (int round = 0; round < 20; ++round) {
      // The reader blocks first; data and FIN then arrive together, so one
      // edge stands for both and the read of the data returns short.
      std::thread peer([port] {
        int fd = raw_dial(port);
        ASSERT_GE(fd, 0);
        std::this_thread::sleep_for(2ms);
        ASSERT_TRUE(send_all(fd, "abc"));
        ::shutdown(fd, SHUT_WR);
        char sink;
        (void)::recv(fd, &sink, 1, 0);  // until the reader closes
        ::close(fd);
      });
      auto c = ln->accept();
      ASSERT_TRUE(c) << c.error();
      ASSERT_FALSE(
          c->set_read_deadline(goro::net::Deadline(std::chrono::steady_clock::now() + 5s)));
      std::string got;
      goro::Result<std::string> r;
      while ((r = read_some(*c))) got += *r;
      EXPECT_EQ(r.error(), goro::io::eof) << "round " << round << ": " << r.error();
      EXPECT_EQ(got, "abc");
      c->close();
      peer.join();
    }
  });
}
