// End-to-end: gopl.io/ch8 clock1 (sequential) and clock2 (a goroutine per
// connection) write the time as HH:MM:SS to their clients over loopback.
// clock1 serves a second client only once the first has gone; clock2
// serves both at once.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <string>

#include "examples/tcp_client.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using tcp_client::Client;

namespace {

// "HH:MM:SS" within a few seconds of the local time now.
::testing::AssertionResult is_time_now(const std::optional<std::string>& line) {
  if (!line) return ::testing::AssertionFailure() << "no line";
  std::smatch m;
  if (!std::regex_match(*line, m, std::regex(R"((\d\d):(\d\d):(\d\d))")))
    return ::testing::AssertionFailure() << "not HH:MM:SS: '" << *line << "'";
  int secs = std::stoi(m[1]) * 3600 + std::stoi(m[2]) * 60 + std::stoi(m[3]);
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  int now = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  int diff = std::abs(now - secs);
  diff = std::min(diff, 86400 - diff);
  if (diff > 5) return ::testing::AssertionFailure() << *line << " is not the time now";
  return ::testing::AssertionSuccess();
}

ChildProcess start(const std::string& name, int port, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{example_path(name), "-port", std::to_string(port)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return ChildProcess(argv);
}

TEST(Clock, Clock1ServesOneClientAtATime) {
  int port = tcp_client::free_port();
  ChildProcess server = start("clock1", port, {"-interval", "100ms"});
  auto a = Client::dial(port);
  ASSERT_TRUE(a) << "cannot connect to clock1";
  EXPECT_TRUE(is_time_now(a->read_line()));
  EXPECT_TRUE(is_time_now(a->read_line()));

  // The second client is accepted by the kernel but not served while the
  // first one is connected: with lines every 100ms, 1.5s of silence.
  auto b = Client::dial(port);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->read_for(1500ms), "") << "clock1 served a second client concurrently";
  EXPECT_TRUE(is_time_now(a->read_line())) << "the first client is still served";

  // Once the first client hangs up, the second is served.
  a->close();
  EXPECT_TRUE(is_time_now(b->read_line(10s)));
  EXPECT_TRUE(is_time_now(b->read_line(10s)));
  tcp_client::stop_server(server);
}

TEST(Clock, Clock2ServesClientsConcurrently) {
  int port = tcp_client::free_port();
  ChildProcess server = start("clock2", port, {"-interval", "100ms"});
  auto a = Client::dial(port);
  ASSERT_TRUE(a) << "cannot connect to clock2";
  EXPECT_TRUE(is_time_now(a->read_line()));
  auto b = Client::dial(port);
  ASSERT_TRUE(b);
  auto c = Client::dial(port);
  ASSERT_TRUE(c);
  // All three get lines while all three are connected.
  for (int i = 0; i < 3; i++) {
    EXPECT_TRUE(is_time_now(a->read_line(5s)));
    EXPECT_TRUE(is_time_now(b->read_line(5s)));
    EXPECT_TRUE(is_time_now(c->read_line(5s)));
  }
  // One leaving does not disturb the others, and newcomers are served.
  b->close();
  auto d = Client::dial(port);
  ASSERT_TRUE(d);
  EXPECT_TRUE(is_time_now(d->read_line(5s)));
  EXPECT_TRUE(is_time_now(a->read_line(5s)));
  EXPECT_TRUE(is_time_now(c->read_line(5s)));
  tcp_client::stop_server(server);
}

TEST(Clock, Clock2WritesOnceASecondByDefault) {
  int port = tcp_client::free_port();
  ChildProcess server = start("clock2", port);
  auto a = Client::dial(port);
  ASSERT_TRUE(a);
  ASSERT_TRUE(is_time_now(a->read_line()));
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(is_time_now(a->read_line()));
  ASSERT_TRUE(is_time_now(a->read_line()));
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GT(s, 1.5) << "two lines should take about 2 s";
  EXPECT_LT(s, 6.0);
  tcp_client::stop_server(server);
}

TEST(Clock, Clock1FailsOnAPortInUse) {
  int port = tcp_client::free_port();
  ChildProcess first = start("clock1", port);
  ASSERT_TRUE(Client::dial(port)) << "first server did not start";
  ProcessResult r = run_process({example_path("clock1"), "-port", std::to_string(port)}, "", 20s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("address already in use"), std::string::npos) << r.err;
}

}  // namespace
