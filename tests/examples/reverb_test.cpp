// End-to-end: gopl.io/ch8 reverb1 and reverb2 echo each line three times —
// shouted, as is, lowercase — with a delay between. reverb1 finishes one
// echo before starting the next; reverb2 runs each in a goroutine, so the
// echoes of two quick shouts overlap.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "examples/tcp_client.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using tcp_client::Client;

namespace {

using Clock = std::chrono::steady_clock;

struct Echoes {
  std::vector<std::string> lines;
  std::vector<double> at;  // seconds after the shouts were sent
};

// Sends two shouts at once and collects six lines of echo.
// The server is left running (in *child).
Echoes shout_twice(const std::string& server, const std::string& delay, ChildProcess* child,
                   Client* out = nullptr) {
  int port = tcp_client::free_port();
  child->start({example_path(server), "-port", std::to_string(port), "-delay", delay});
  auto c = Client::dial(port);
  EXPECT_TRUE(c) << "cannot connect to " << server;
  if (!c) return {};
  auto t0 = Clock::now();
  EXPECT_TRUE(c->write("Is there anybody there?\nYooo-hooo!\n"));
  Echoes e;
  for (int i = 0; i < 6; i++) {
    auto line = c->read_line(10s);
    if (!line) break;
    e.lines.push_back(*line);
    e.at.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  if (out) *out = std::move(*c);
  return e;
}

TEST(Reverb, Reverb1EchoesOneShoutAfterTheOther) {
  Client c;
  ChildProcess server;
  Echoes e = shout_twice("reverb1", "500ms", &server, &c);
  std::vector<std::string> want{"\t IS THERE ANYBODY THERE?",
                                "\t Is there anybody there?",
                                "\t is there anybody there?",
                                "\t YOOO-HOOO!",
                                "\t Yooo-hooo!",
                                "\t yooo-hooo!"};
  ASSERT_EQ(e.lines, want);
  // Five delays of 500 ms lie between the first line and the last.
  EXPECT_GE(e.at[5] - e.at[0], 1.9);
  EXPECT_GE(e.at[3] - e.at[2], 0.0);
  // The end of input ends the connection once the echoes are done.
  c.close_write();
  EXPECT_TRUE(c.wait_eof(10s));
  tcp_client::stop_server(server);
}

TEST(Reverb, Reverb2EchoesOverlap) {
  ChildProcess server;
  Echoes e = shout_twice("reverb2", "500ms", &server);
  ASSERT_EQ(e.lines.size(), 6u);
  // Both shouts come back loud first, then both as is, then both quiet.
  auto pair = [&](int i) { return std::set<std::string>{e.lines[i], e.lines[i + 1]}; };
  EXPECT_EQ(pair(0), (std::set<std::string>{"\t IS THERE ANYBODY THERE?", "\t YOOO-HOOO!"}));
  EXPECT_EQ(pair(2), (std::set<std::string>{"\t Is there anybody there?", "\t Yooo-hooo!"}));
  EXPECT_EQ(pair(4), (std::set<std::string>{"\t is there anybody there?", "\t yooo-hooo!"}));
  // Two delays, not four: the whole echo takes about 1 s, not 2.5 s.
  EXPECT_GE(e.at[5] - e.at[0], 0.9);
  EXPECT_LT(e.at[5] - e.at[0], 1.8);
  tcp_client::stop_server(server);
}

TEST(Reverb, Reverb2ServesClientsIndependentlyWithTheDefaultDelay) {
  int port = tcp_client::free_port();
  ChildProcess child({example_path("reverb2"), "-port", std::to_string(port)});
  auto a = Client::dial(port);
  auto b = Client::dial(port);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->write("Hello?\n"));
  ASSERT_TRUE(b->write("Hi!\n"));
  EXPECT_EQ(a->read_line(), "\t HELLO?");
  EXPECT_EQ(b->read_line(), "\t HI!");
  auto t0 = Clock::now();
  EXPECT_EQ(a->read_line(), "\t Hello?");
  EXPECT_EQ(b->read_line(), "\t Hi!");
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_GT(s, 0.7) << "the default delay is 1 s";
  EXPECT_LT(s, 5.0);
  tcp_client::stop_server(child);
}

}  // namespace
