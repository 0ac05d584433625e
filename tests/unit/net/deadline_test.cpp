// Conn deadlines: a read deadline fires with Go's "i/o timeout"; a deadline
// in the past fails at once (even with data waiting); extending a deadline
// while a read is blocked keeps it blocked; clearing it works; write
// deadlines fire when the peer does not read.
#include <chrono>

#include "net_test_support.hpp"

using namespace std::chrono_literals;
using goro::net::Conn;
using net_test::bytes;
using net_test::in_goroutine;
using Clock = std::chrono::steady_clock;

namespace {

struct Pair {
  goro::net::Listener ln;
  Conn client, server;
};

Pair connected_pair() {
  Pair p;
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  EXPECT_TRUE(ln);
  p.ln = *ln;
  auto c = goro::net::dial("tcp", ln->addr().string());
  EXPECT_TRUE(c);
  p.client = *c;
  auto s = ln->accept();
  EXPECT_TRUE(s);
  p.server = *s;
  return p;
}

}  // namespace

TEST(Deadline, ReadDeadlineFires) {
  in_goroutine([] {
    Pair p = connected_pair();
    auto t0 = Clock::now();
    EXPECT_FALSE(p.client.set_read_deadline(t0 + 50ms));
    char buf[8];
    auto r = p.client.read(std::as_writable_bytes(std::span(buf)));
    auto waited = Clock::now() - t0;
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().timeout());
    EXPECT_TRUE(goro::errors::is(r.error(), goro::os::err_deadline_exceeded));
    EXPECT_EQ(r.error().message(), "read tcp " + p.client.local_addr().string() + "->" +
                                       p.client.remote_addr().string() + ": i/o timeout");
    EXPECT_GE(waited, 50ms);
    EXPECT_LT(waited, 10s);
    // Still timed out until the deadline moves; then reads work again.
    EXPECT_FALSE(p.client.read(std::as_writable_bytes(std::span(buf))));
    EXPECT_FALSE(p.client.set_read_deadline(goro::net::Deadline{}));
    ASSERT_TRUE(p.server.write(bytes("hi")));
    auto ok = p.client.read(std::as_writable_bytes(std::span(buf)));
    ASSERT_TRUE(ok) << ok.error();
    EXPECT_EQ(*ok, 2u);
  });
}

TEST(Deadline, PastDeadlineFailsAtOnceEvenWithData) {
  in_goroutine([] {
    Pair p = connected_pair();
    ASSERT_TRUE(p.server.write(bytes("data")));
    goro::sleep(10ms);
    EXPECT_FALSE(p.client.set_deadline(Clock::now() - 1s));
    char buf[8];
    auto r = p.client.read(std::as_writable_bytes(std::span(buf)));
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().timeout());
    auto w = p.client.write(bytes("x"));
    ASSERT_FALSE(w);
    EXPECT_TRUE(w.error().timeout());
    // system_clock deadlines work too.
    EXPECT_FALSE(p.client.set_deadline(std::chrono::system_clock::now() + 1h));
    auto ok = p.client.read(std::as_writable_bytes(std::span(buf)));
    ASSERT_TRUE(ok) << ok.error();
  });
}

TEST(Deadline, ExtendingWhileBlockedKeepsTheReadWaiting) {
  in_goroutine([] {
    Pair p = connected_pair();
    auto result = goro::make_chan<goro::Error>(1);
    auto t0 = Clock::now();
    ASSERT_FALSE(p.client.set_read_deadline(t0 + 100ms));
    goro::go([c = p.client, result]() mutable {
      char buf[8];
      auto r = c.read(std::as_writable_bytes(std::span(buf)));
      result.send(r ? goro::Error() : r.error());
    });
    goro::sleep(20ms);                                   // the reader is parked
    ASSERT_FALSE(p.client.set_read_deadline(t0 + 10s));  // extend
    goro::sleep(200ms);                                  // past the first deadline
    EXPECT_EQ(result.len(), 0u) << "the read timed out at the old deadline";
    ASSERT_TRUE(p.server.write(bytes("ok")));
    EXPECT_FALSE(result.recv().value());
  });
}

TEST(Deadline, ShorteningWhileBlockedWakesTheReader) {
  in_goroutine([] {
    Pair p = connected_pair();
    auto result = goro::make_chan<goro::Error>(1);
    goro::go([c = p.client, result]() mutable {
      char buf[8];
      auto r = c.read(std::as_writable_bytes(std::span(buf)));
      result.send(r ? goro::Error() : r.error());
    });
    goro::sleep(20ms);
    ASSERT_FALSE(p.client.set_read_deadline(Clock::now() - 1ms));  // in the past
    goro::Error e = result.recv().value();
    EXPECT_TRUE(e.timeout()) << e;
  });
}

TEST(Deadline, WriteDeadlineFiresWhenThePeerDoesNotRead) {
  in_goroutine([] {
    Pair p = connected_pair();
    ASSERT_FALSE(p.client.set_write_deadline(Clock::now() + 100ms));
    std::string big(64 << 20, 'x');  // far more than the socket buffers
    auto w = p.client.write(bytes(big));
    ASSERT_FALSE(w);
    EXPECT_TRUE(w.error().timeout());
    EXPECT_EQ(w.error().message(), "write tcp " + p.client.local_addr().string() + "->" +
                                       p.client.remote_addr().string() + ": i/o timeout");
  });
}

TEST(Deadline, PlainThreadReadDeadline) {
  Pair p = connected_pair();
  ASSERT_FALSE(p.client.set_read_deadline(Clock::now() + 30ms));
  char buf[8];
  auto r = p.client.read(std::as_writable_bytes(std::span(buf)));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().timeout());
}

TEST(Deadline, SettingOnAClosedConnFails) {
  Pair p = connected_pair();
  p.client.close();
  goro::Error e = p.client.set_deadline(Clock::now() + 1s);
  ASSERT_TRUE(e);
  EXPECT_TRUE(goro::errors::is(e, goro::net::err_closed));
}
