// The seeds' uses of io, bufio and fmt, written as in the Go originals over
// a connection made of two OS pipes: reverb's Scanner + Fprintln echo,
// netcat's io.Copy, and seed 003's bufio.NewReader(conn).ReadString('\n').
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <string>

#include "goro/bufio.hpp"
#include "goro/chan.hpp"
#include "goro/fmt.hpp"
#include "goro/go.hpp"
#include "goro/io.hpp"
#include "goro/os.hpp"
#include "goro/runtime.hpp"
#include "goro/time.hpp"
#include "support/checks.hpp"

namespace {

namespace io = goro::io;
namespace os = goro::os;
namespace bufio = goro::bufio;
namespace fmt = goro::fmt;
using namespace std::chrono_literals;

// One end of a duplex byte stream: what a net.Conn offers to io and bufio.
struct PipeConn {
  os::File in, out;
  goro::Result<std::size_t> read(std::span<std::byte> b) const { return in.read(b); }
  goro::Result<std::size_t> write(std::span<const std::byte> b) const { return out.write(b); }
  goro::Error close() const {
    in.close();
    return out.close();
  }
};

std::pair<PipeConn, PipeConn> conn_pair() {
  auto a = os::pipe().value();
  auto b = os::pipe().value();
  return {PipeConn{a.first, b.second}, PipeConn{b.first, a.second}};
}

std::string upper(std::string s) {
  for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// reverb1's echo and handleConn.
void echo(const PipeConn& c, const std::string& shout, std::chrono::milliseconds delay) {
  fmt::fprintln(c, "\t", upper(shout));
  goro::sleep(delay);
  fmt::fprintln(c, "\t", shout);
  goro::sleep(delay);
  fmt::fprintln(c, "\t", lower(shout));
}

void handle_conn(PipeConn c) {
  bufio::Scanner input(c);
  while (input.scan()) echo(c, input.text(), 1ms);
  // NOTE: ignoring potential errors from input.err()
  c.close();
}

TEST(Seeds, ReverbEchoesThroughScannerAndFprintln) {
  auto [server, client] = conn_pair();
  goro::go(handle_conn, server);
  fmt::fprintln(client, "Hello?");
  fmt::fprintln(client, "Is there anybody there?");
  client.out.close();  // netcat3: closing the write half
  // netcat's mustCopy(os.Stdout, conn), into a string instead.
  struct Collect {
    std::string s;
    goro::Result<std::size_t> write(std::span<const std::byte> b) {
      s.append(io::as_string(b));
      return b.size();
    }
  } out;
  auto n = io::copy(out, client);
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_EQ(out.s,
            "\t HELLO?\n\t Hello?\n\t hello?\n"
            "\t IS THERE ANYBODY THERE?\n\t Is there anybody there?\n\t is there anybody there?\n");
  client.in.close();
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Seeds, ReadStringFromABufferedConnection) {
  auto [server, client] = conn_pair();
  auto names = goro::make_chan<std::string>(1);
  goro::go([server, names] {
    bufio::Reader buf(server);
    fmt::fprintf(server, "What is your name? ");
    auto [name, err] = buf.read_string('\n');
    if (err) return names.send("error: " + err.message());
    fmt::fprintf(server, "Hello, {}", name);
    names.send(name);
    server.close();
  });
  bufio::Reader reply(client);
  EXPECT_EQ(reply.read_string('?').str, "What is your name?");
  io::write_string(client, "gopher\n");
  EXPECT_EQ(*names.recv(), "gopher\n");
  auto [greeting, err] = reply.read_string('\n');
  EXPECT_EQ(greeting, " Hello, gopher\n");
  EXPECT_FALSE(err);
  EXPECT_EQ(reply.read_string('\n').err, io::eof);
  client.close();
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

}  // namespace
