// End-to-end: gopl.io/ch8 netcat1, netcat2 and netcat3 as a user runs them,
// against a plain socket server of the test's own and against the clock2
// and reverb1 examples, over loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "examples/tcp_client.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using tcp_client::Client;
using tcp_client::Listener;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(Netcat, Netcat1PrintsWhatTheServerSendsAndExitsWhenItCloses) {
  Listener server;
  ChildProcess nc({example_path("netcat1"), "-addr", server.addr()});
  auto conn = server.accept();
  ASSERT_TRUE(conn) << "netcat1 did not connect";
  ASSERT_TRUE(conn->write("hello\n"));
  EXPECT_EQ(nc.read_line(), "hello");
  ASSERT_TRUE(conn->write("world\npartial"));
  EXPECT_EQ(nc.read_line(), "world");
  EXPECT_TRUE(nc.running()) << "netcat1 must keep reading while the server is connected";
  conn->close();
  // EOF from the server ends the copy: netcat1 exits by itself, status 0.
  auto t0 = std::chrono::steady_clock::now();
  while (nc.running() && seconds_since(t0) < 10) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(nc.running()) << "netcat1 did not exit when the server closed";
  ProcessResult r = nc.wait(5s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out, "hello\nworld\npartial");
  EXPECT_EQ(r.err, "");
}

TEST(Netcat, Netcat1ShowsTheClock) {
  int port = tcp_client::free_port();
  ChildProcess clock({example_path("clock2"), "-port", std::to_string(port), "-interval", "50ms"});
  ASSERT_TRUE(Client::dial(port)) << "clock2 did not start";
  ChildProcess nc({example_path("netcat1"), "-addr", "localhost:" + std::to_string(port)});
  for (int i = 0; i < 3; i++) {
    auto line = nc.read_line(10s);
    ASSERT_TRUE(line);
    EXPECT_TRUE(std::regex_match(*line, std::regex(R"(\d\d:\d\d:\d\d)"))) << *line;
  }
  // Stopping the server ends the client too.
  clock.kill();
  ProcessResult r = nc.wait(10s);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.signal, 0);
}

TEST(Netcat, Netcat1ReportsAFailedDial) {
  int port = tcp_client::free_port();  // nobody listens there
  ProcessResult r =
      run_process({example_path("netcat1"), "-addr", "127.0.0.1:" + std::to_string(port)}, "", 20s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find("dial tcp 127.0.0.1:" + std::to_string(port) + ": connect: connection refused"),
      std::string::npos)
      << r.err;
}

TEST(Netcat, Netcat2RelaysBothDirections) {
  Listener server;
  ChildProcess nc({example_path("netcat2"), "-addr", server.addr()});
  auto conn = server.accept();
  ASSERT_TRUE(conn) << "netcat2 did not connect";
  // stdin -> connection
  ASSERT_TRUE(nc.write_stdin("from stdin\n"));
  EXPECT_EQ(conn->read_line(), "from stdin");
  // connection -> stdout, while stdin is still open
  ASSERT_TRUE(conn->write("from server\n"));
  EXPECT_EQ(nc.read_line(), "from server");
  ASSERT_TRUE(nc.write_stdin("again\n"));
  EXPECT_EQ(conn->read_line(), "again");
  // The end of stdin ends netcat2, which closes the connection.
  nc.close_stdin();
  EXPECT_TRUE(conn->wait_eof(10s)) << "the server did not see the connection close";
  ProcessResult r = nc.wait(10s);
  // As in Go, main's conn.Close() races with the goroutine still copying
  // the connection to stdout: if that goroutine runs before the program
  // exits, its mustCopy logs the read error and exits 1 (the reason the
  // book drops that error check in netcat3).
  bool read_race = r.exit_code == 1 && r.signal == 0 &&
                   r.err.find("use of closed network connection") != std::string::npos;
  EXPECT_TRUE(r.ok() || read_race) << "exit " << r.exit_code << " signal " << r.signal << "\n"
                                   << r.err;
}

TEST(Netcat, Netcat3PrintsTheLastEchoesAfterItsInputEnds) {
  int port = tcp_client::free_port();
  ChildProcess reverb({example_path("reverb1"), "-port", std::to_string(port), "-delay", "300ms"});
  ASSERT_TRUE(Client::dial(port)) << "reverb1 did not start";
  ChildProcess nc({example_path("netcat3"), "-addr", "localhost:" + std::to_string(port)});
  ASSERT_TRUE(nc.write_stdin("Hello?\n"));
  EXPECT_EQ(nc.read_line(), "\t HELLO?");
  // Input ends before the echo has faded: netcat3 closes only its write
  // half, so the rest of the echo still arrives, then the server closes
  // and netcat3 exits, logging "done".
  auto t0 = std::chrono::steady_clock::now();
  nc.close_stdin();
  EXPECT_EQ(nc.read_line(), "\t Hello?");
  EXPECT_EQ(nc.read_line(), "\t hello?");
  ProcessResult r = nc.wait(10s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_GT(seconds_since(t0), 0.4) << "netcat3 must wait for the echoes";
  EXPECT_EQ(r.out, "\t HELLO?\n\t Hello?\n\t hello?\n");
  EXPECT_TRUE(std::regex_match(r.err, std::regex(R"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d done\n)")))
      << r.err;
  tcp_client::stop_server(reverb);
}

TEST(Netcat, Netcat3WaitsForItsInputAfterTheServerCloses) {
  Listener server;
  ChildProcess nc({example_path("netcat3"), "-addr", server.addr()});
  auto conn = server.accept();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->write("bye\n"));
  EXPECT_EQ(nc.read_line(), "bye");
  conn->close();
  // As in Go, the main goroutine is still copying stdin.
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(nc.running());
  nc.close_stdin();
  ProcessResult r = nc.wait(10s);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.signal, 0);
  EXPECT_NE(r.err.find(" done\n"), std::string::npos) << r.err;
}

}  // namespace
