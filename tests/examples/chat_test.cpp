// End-to-end: the gopl.io/ch8 chat server relays messages between three
// clients over loopback and announces arrivals and departures.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "examples/tcp_client.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using tcp_client::Client;

namespace {

struct User {
  Client conn;
  std::string who;  // the address the server names this user by
};

// Connects and checks the greeting "You are <addr>".
User join(int port) {
  auto c = Client::dial(port);
  EXPECT_TRUE(c) << "cannot connect to chat";
  if (!c) return {};
  User u{std::move(*c), ""};
  u.who = u.conn.local_addr();
  EXPECT_EQ(u.conn.read_line(), "You are " + u.who);
  return u;
}

TEST(Chat, RelaysMessagesBetweenThreeClients) {
  int port = tcp_client::free_port();
  ChildProcess server({example_path("chat"), "-port", std::to_string(port)});

  User a = join(port);
  // A message of one's own comes back once the broadcaster knows the client.
  ASSERT_TRUE(a.conn.write("anyone here?\n"));
  EXPECT_EQ(a.conn.read_line(), a.who + ": anyone here?");

  User b = join(port);
  EXPECT_EQ(a.conn.read_line(), b.who + " has arrived");
  ASSERT_TRUE(b.conn.write("Hi!\n"));
  EXPECT_EQ(a.conn.read_line(), b.who + ": Hi!");
  EXPECT_EQ(b.conn.read_line(), b.who + ": Hi!");

  User c = join(port);
  EXPECT_EQ(a.conn.read_line(), c.who + " has arrived");
  EXPECT_EQ(b.conn.read_line(), c.who + " has arrived");
  ASSERT_TRUE(c.conn.write("Welcome.\n"));
  for (User* u : {&a, &b, &c}) EXPECT_EQ(u->conn.read_line(), c.who + ": Welcome.");

  ASSERT_TRUE(a.conn.write("Hi yourself.\n"));
  for (User* u : {&a, &b, &c}) EXPECT_EQ(u->conn.read_line(), a.who + ": Hi yourself.");

  // b leaves: the others are told, and b's connection is closed.
  b.conn.close_write();
  EXPECT_TRUE(b.conn.wait_eof(10s)) << "the server did not close b's connection";
  EXPECT_EQ(a.conn.read_line(), b.who + " has left");
  EXPECT_EQ(c.conn.read_line(), b.who + " has left");

  ASSERT_TRUE(c.conn.write("bye\n"));
  EXPECT_EQ(a.conn.read_line(), c.who + ": bye");
  EXPECT_EQ(c.conn.read_line(), c.who + ": bye");
  // Nothing else was sent to anyone.
  EXPECT_EQ(a.conn.read_for(200ms), "");
  EXPECT_EQ(c.conn.read_for(0ms), "");
  tcp_client::stop_server(server);
}

TEST(Chat, ManyClientsComeAndGo) {
  int port = tcp_client::free_port();
  ChildProcess server({example_path("chat"), "-port", std::to_string(port)});
  User host = join(port);
  ASSERT_TRUE(host.conn.write("start\n"));
  EXPECT_EQ(host.conn.read_line(), host.who + ": start");
  for (int i = 0; i < 20; i++) {
    User u = join(port);
    EXPECT_EQ(host.conn.read_line(), u.who + " has arrived");
    ASSERT_TRUE(u.conn.write("msg " + std::to_string(i) + "\n"));
    EXPECT_EQ(host.conn.read_line(), u.who + ": msg " + std::to_string(i));
    u.conn.close();
    EXPECT_EQ(host.conn.read_line(), u.who + " has left");
  }
  tcp_client::stop_server(server);
}

}  // namespace
