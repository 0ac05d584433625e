// Tour scenarios over real loopback sockets: the example servers run as
// child processes and the tour is their client, written with goro::net
// (a goroutine per connection, as the seeds' clients are).
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <goro/goro.hpp>

#include "tour.hpp"

namespace tour {

namespace {

using namespace goro;

// Lines received on conn until `window` passes.
int count_lines(net::Conn conn, time::Duration window) {
  conn.set_read_deadline(time::now() + window);
  bufio::Scanner input(conn);
  int n = 0;
  while (input.scan()) ++n;
  return n;
}

// Two clients connect at once; how many clock lines does each get in 1 s?
void clock_scenario(const char* name) {
  Server server(name, {"-interval", "100ms"});
  auto counts = make_chan<int>(2);
  for (int i = 0; i < 2; ++i)
    go([&server, counts] {
      auto conn = net::dial("tcp", server.address());
      counts.send(conn ? count_lines(*conn, time::Second) : -1);
      if (conn) conn->close();
    });
  int a = *counts.recv(), b = *counts.recv();
  measured("%s -interval 100ms, two clients for 1 s: %d and %d lines", name, std::max(a, b),
           std::min(a, b));
}

// Two shouts sent at once; when does the last of the six echoes arrive?
void reverb_scenario(const char* name) {
  Server server(name, {"-delay", "200ms"});
  auto conn = net::dial("tcp", server.address());
  if (!conn) return measured("%s: %s", name, conn.error().message().c_str());
  time::Time start = time::now();
  conn->write(std::string_view("Hello?\nIs anybody there?\n"));
  conn->set_read_deadline(time::now() + 5 * time::Second);
  bufio::Scanner input(*conn);
  int echoes = 0;
  while (echoes < 6 && input.scan()) ++echoes;
  measured("%s -delay 200ms: %d echoes of two shouts in %.2f s", name, echoes,
           time::since(start).seconds());
  conn->close();
}

void chat_scenario() {
  Server server("chat", {});
  std::vector<net::Conn> clients;
  clients.reserve(3);  // the Scanners keep references to the elements
  std::vector<std::unique_ptr<bufio::Scanner>> inputs;
  for (int i = 0; i < 3; ++i) {
    auto conn = net::dial("tcp", server.address());
    if (!conn) return measured("chat: %s", conn.error().message().c_str());
    clients.push_back(*conn);
    inputs.push_back(std::make_unique<bufio::Scanner>(clients.back()));
  }
  // Each client's lines until the one containing `needle`.
  auto read_until = [&](int i, const std::string& needle) {
    clients[i].set_read_deadline(time::now() + 5 * time::Second);
    std::vector<std::string> got;
    while (inputs[i]->scan()) {
      got.push_back(inputs[i]->text());
      if (got.back().find(needle) != std::string::npos) break;
    }
    return got;
  };
  read_until(0, "You are");
  // Client 1 sees the other two arrive; the broadcaster registers a client
  // just after announcing it, so give it a moment before talking.
  read_until(0, "has arrived");
  read_until(0, "has arrived");
  time::sleep(100 * time::Millisecond);
  time::Time start = time::now();
  clients[0].write(std::string_view("hello from the tour\n"));
  auto b = read_until(1, "hello from the tour");
  auto c = read_until(2, "hello from the tour");
  double relay_ms = time::since(start).seconds() * 1e3;
  clients[0].close();
  auto left = read_until(1, "has left");
  measured(
      "chat: 3 clients; client 2 saw %zu lines (arrivals, then \"%s\"), client 3 saw %zu; "
      "relayed in %.1f ms; then \"%s\"",
      b.size(), b.empty() ? "" : b.back().c_str(), c.size(), relay_ms,
      left.empty() ? "" : left.back().c_str());
  for (int i = 1; i < 3; ++i) clients[i].close();
}

// A generated tree of files with known sizes.
std::string make_tree(long& total, int& files) {
  char dir_template[] = "/tmp/goro-tour-du-XXXXXX";
  std::string root = mkdtemp(dir_template);
  total = 0;
  files = 0;
  for (int d = 0; d < 20; ++d) {
    std::string dir = root + "/d" + std::to_string(d) + "/sub" + std::to_string(d % 3);
    std::filesystem::create_directories(dir);
    for (int f = 0; f < 25; ++f) {
      long size = (d * 131 + f * 977) % 20000;
      std::ofstream(dir + "/f" + std::to_string(f)) << std::string(size_t(size), 'x');
      total += size;
      ++files;
    }
  }
  return root;
}

// netcat1 shows clock2's time for a second, then is stopped as with ^C.
// netcat3 sends one shout to reverb1 and ends its input at once: it closes
// only its write half and waits (done channel) for the whole echo.
void netcat_scenario() {
  Server clock("clock2", {"-interval", "100ms"});
  Run run = run_example("netcat1", {"-addr", clock.address()}, "", 1.0);
  measured("netcat1 -addr <clock2 -interval 100ms>, stopped after 1 s: printed %zu time lines",
           lines(run.out).size());
  Server reverb("reverb1", {"-delay", "200ms"});
  run = run_example("netcat3", {"-addr", reverb.address()}, "Hello?\n", 10);
  std::vector<std::string> echo = lines(run.out);
  bool done = run.err.find(" done") != std::string::npos;
  measured(
      "netcat3 -addr <reverb1 -delay 200ms> < \"Hello?\": printed %zu echo lines (last \"%s\"), "
      "%s, exited with status %d after %.2f s",
      echo.size(), echo.empty() ? "" : echo.back().c_str(),
      done ? "logged \"done\" from its copying goroutine" : "logged no \"done\"", run.status,
      run.seconds);
}

}  // namespace

void network_scenarios() {
  heading("8.2 clock servers",
          "clock1 serves one client at a time; clock2's go handleConn serves them at once");
  clock_scenario("clock1");
  clock_scenario("clock2");

  heading("8.3 reverb", "with go echo(...) the echoes of different shouts overlap");
  reverb_scenario("reverb1");
  reverb_scenario("reverb2");

  heading("8.4.1 netcat",
          "netcat1 prints what the server sends; netcat3's main waits on a done channel for the "
          "goroutine copying the server's output, so the last echoes are printed before it exits");
  netcat_scenario();

  heading("8.10 chat",
          "a broadcaster relays every message to all clients, with arrivals and departures");
  chat_scenario();

  heading("8.8 du", "walking directories concurrently, the totals are the same as sequentially");
  long total = 0;
  int files = 0;
  std::string root = make_tree(total, files);
  for (const char* name : {"du1", "du3"}) {
    Run run = run_example(name, {"-bytes", root});
    measured("%s: \"%s\" in %.2f s (real: %d files  %ld bytes)", name,
             lines(run.out).empty() ? "" : lines(run.out).back().c_str(), run.seconds, files,
             total);
  }
  std::filesystem::remove_all(root);

  heading("seed 000: concurrent HTTP requests",
          "ten GETs to a server that sleeps 0-200 ms each finish in about the slowest "
          "request's time, not the sum");
  Server server("incserver", {});
  Run run = run_example("incclient", {"-n", "10", "-url", "http://" + server.address() + "/inc"});
  std::vector<std::string> out = lines(run.out);
  long answers = std::count_if(out.begin(), out.end(), [](const std::string& l) {
    return l.find("The count is") != std::string::npos;
  });
  measured("examples/incclient: %ld answers; \"%s\" (the server sleeps at most 0.2 s per request)",
           answers, out.empty() ? "" : out.back().c_str());
}

}  // namespace tour
