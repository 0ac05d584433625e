// Tour scenario for seed 003 ("Goroutines and Channels: A Real(ly) Simple
// Server in Go"): greet1 answers every connection from a goroutine of its
// own; greet2 hands every name to a single worker that keeps the CPU busy
// for a second per job. Three clients (goroutines of the tour) send a name
// at the same moment, and each measures when its greeting arrives.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <goro/goro.hpp>

#include "tour.hpp"

namespace tour {

namespace {

using namespace goro;

struct Reply {
  int client;
  double seconds;  // from the common start; negative: no reply
  std::string text;
};

void greet_clients(const char* name, std::vector<std::string> args) {
  Server server(name, std::move(args));
  if (!server.ready()) return measured("%s did not start", name);
  const std::vector<std::string> names = {"Ann", "Ben", "Cid"};
  std::vector<net::Conn> conns;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto conn = net::dial("tcp", server.address());
    if (!conn) return measured("%s: %s", name, conn.error().message().c_str());
    conns.push_back(*conn);
  }
  auto replies = make_chan<Reply>(names.size());
  time::Time start = time::now();
  for (std::size_t i = 0; i < names.size(); ++i)
    go([conn = conns[i], who = names[i], i, start, replies]() mutable {
      conn.write(who + "\n");
      conn.set_read_deadline(time::now() + 10 * time::Second);
      bufio::Scanner input(conn);
      Reply r{int(i) + 1, -1, ""};
      if (input.scan()) r = {int(i) + 1, time::since(start).seconds(), input.text()};
      conn.close();
      replies.send(r);  // the goroutine's last step
    });
  std::vector<Reply> got;
  for (std::size_t i = 0; i < names.size(); ++i) got.push_back(*replies.recv());
  std::sort(got.begin(), got.end(),
            [](const Reply& a, const Reply& b) { return a.seconds < b.seconds; });
  std::string report;
  for (const Reply& r : got) {
    char one[128] = "no reply";
    if (r.seconds >= 0)
      std::snprintf(one, sizeof one, "\"%s\" at %.3f s", r.text.c_str(), r.seconds);
    report += (report.empty() ? "" : ", ") + std::string(one);
  }
  measured("%s: three clients sent a name at once; greetings arrived: %s", name, report.c_str());
}

}  // namespace

void greet_scenario() {
  heading("003 greet servers",
          "greet1 serves many connections at once, a goroutine each; greet2's single worker "
          "keeps the CPU busy for a whole second per job, so the greetings come one at a time");
  greet_clients("greet1", {});
  greet_clients("greet2", {});  // the seed's 1 s of CPU per job
}

}  // namespace tour
