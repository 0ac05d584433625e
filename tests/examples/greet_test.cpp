// End-to-end: the greet servers of "Goroutines and Channels: A Real(ly)
// Simple Server in Go". greet1 replies "Hello, <name>" to every line from
// a goroutine per connection; greet2 hands every name to one worker
// goroutine that burns CPU for each job, so replies come one at a time.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "examples/tcp_client.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using tcp_client::Client;

namespace {

using Clock = std::chrono::steady_clock;

// User plus system CPU time of process pid, in seconds (/proc/<pid>/stat).
double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; i++) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return double(utime + stime) / double(::sysconf(_SC_CLK_TCK));
}

TEST(Greet, Greet1RepliesToEveryNameOnEveryConnection) {
  int port = tcp_client::free_port();
  ChildProcess server({example_path("greet1"), "-port", std::to_string(port)});
  ASSERT_EQ(server.read_line(20s), "Server is ready.");
  auto a = Client::dial(port);
  ASSERT_TRUE(a);
  EXPECT_EQ(server.read_line(), "Accepted connection.");
  auto b = Client::dial(port);
  ASSERT_TRUE(b);
  EXPECT_EQ(server.read_line(), "Accepted connection.");

  ASSERT_TRUE(a->write("Bob\n"));
  EXPECT_EQ(a->read_line(), "Hello, Bob");
  ASSERT_TRUE(b->write("Alice\nCarol\n"));
  EXPECT_EQ(b->read_line(), "Hello, Alice");
  EXPECT_EQ(b->read_line(), "Hello, Carol");
  ASSERT_TRUE(a->write("Dave\n"));
  EXPECT_EQ(a->read_line(), "Hello, Dave");

  a->close();
  EXPECT_EQ(server.read_line(), "Client disconnected.");
  ASSERT_TRUE(b->write("Eve\n"));
  EXPECT_EQ(b->read_line(), "Hello, Eve");
  tcp_client::stop_server(server);
}

TEST(Greet, Greet2WorkerHandlesOneJobAtATimeBurningCpu) {
  int port = tcp_client::free_port();
  ChildProcess server({example_path("greet2"), "-port", std::to_string(port), "-work", "300ms"});
  ASSERT_EQ(server.read_line(20s), "Server is ready.");
  std::vector<Client> clients;
  for (int i = 0; i < 3; i++) {
    auto c = Client::dial(port);
    ASSERT_TRUE(c);
    clients.push_back(std::move(*c));
  }
  double cpu0 = cpu_seconds(server.pid());
  auto t0 = Clock::now();
  const char* names[] = {"Ann", "Ben", "Cid"};
  for (int i = 0; i < 3; i++) ASSERT_TRUE(clients[i].write(std::string(names[i]) + "\n"));
  // Each client waits for its reply in a thread of its own: the worker may
  // take the jobs in any order.
  std::vector<double> at(3);
  std::vector<std::optional<std::string>> replies(3);
  {
    std::vector<std::jthread> readers;
    for (int i = 0; i < 3; i++) {
      readers.emplace_back([&, i] {
        replies[i] = clients[i].read_line(10s);
        at[i] = std::chrono::duration<double>(Clock::now() - t0).count();
      });
    }
  }
  for (int i = 0; i < 3; i++) EXPECT_EQ(replies[i], "Hello, " + std::string(names[i]));
  double cpu = cpu_seconds(server.pid()) - cpu0;
  std::sort(at.begin(), at.end());
  // One worker, 300 ms per job: the replies are spread over about 0.9 s.
  EXPECT_GE(at[0], 0.25);
  EXPECT_GE(at[1] - at[0], 0.2);
  EXPECT_GE(at[2] - at[1], 0.2);
  EXPECT_GE(at[2], 0.85);
  // The worker burns CPU rather than sleeping. (Only a fraction of 0.9 s is
  // required: on a loaded machine the spinning thread gets a small share of
  // a core, and the work is measured in wall-clock time, as in Go.)
  EXPECT_GE(cpu, 0.05) << "the server used only " << cpu << " s of CPU for 0.9 s of work";

  // A client's names are answered in order.
  ASSERT_TRUE(clients[0].write("X\nY\n"));
  EXPECT_EQ(clients[0].read_line(10s), "Hello, X");
  EXPECT_EQ(clients[0].read_line(10s), "Hello, Y");
  tcp_client::stop_server(server);
}

}  // namespace
