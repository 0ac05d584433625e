// The tour's shared helpers: headings, running the other example programs
// as child processes (they sit beside the tour's own binary), and timing.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace tour {

using Clock = std::chrono::steady_clock;

// Built with ThreadSanitizer: its limit of 8128 threads counts goroutines
// (each is a TSan fibre), and fibre switches and the computations run many
// times slower, so the in-process scenarios of ch8_basics.cpp scale down
// (the numbers they print are the ones they used).
#if defined(__SANITIZE_THREAD__)
inline constexpr bool under_tsan = true;
#else
inline constexpr bool under_tsan = false;
#endif

// Built with ASan + UBSan: UBSan's vptr check needs a free file descriptor
// (it probes memory through a pipe), so out of descriptors it reports a
// false "invalid vptr" and the program ends; scenarios that exhaust a
// program's descriptors are skipped.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool under_asan = true;
#else
inline constexpr bool under_asan = false;
#endif

double seconds_since(Clock::time_point t0);

// Prints a scenario's title and what its seed claims.
void heading(const char* title, const char* claim);
// Prints one line of what goro measured (printf-style).
[[gnu::format(printf, 1, 2)]] void measured(const char* format, ...);

// The path of build/examples/<name>.
std::string example_path(const std::string& name);

struct Run {
  int status = -1;  // exit status, or -1 if it did not exit normally
  std::string out;  // stdout
  std::string err;  // stderr
  double seconds = 0;
};

// Runs an example to completion with args, feeding stdin_data then EOF.
// Killed after timeout_s seconds (status stays -1). max_open_files > 0:
// the example runs with that limit on open files (ulimit -n).
Run run_example(const std::string& name, const std::vector<std::string>& args,
                const std::string& stdin_data = "", double timeout_s = 60, int max_open_files = 0);

// A server example running in the background on a free loopback port; it
// is killed (SIGTERM) when the object goes away.
class Server {
 public:
  Server(const std::string& name, std::vector<std::string> args);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  bool ready() const { return ready_; }  // accepted a connection within 10 s

 private:
  int pid_ = -1;
  int port_ = 0;
  bool ready_ = false;
};

// A free TCP port on 127.0.0.1 (bound and released).
int free_port();

// The lines of text.
std::vector<std::string> lines(const std::string& text);

// Scenarios, one function per seed program or group.
void spinner_scenario();
void handoff_scenario();
void many_goroutines_scenario();
void pipeline_scenario();
void deadlock_scenario();
void seed001_scenarios();
void ch8_more_scenarios();  // countdown1, mirroredquery, cake
void network_scenarios();   // clock1/2, reverb1/2, netcat1/3, chat, du, incserver/incclient
void crawl_scenario();      // crawl1-3 against a site the tour serves
void greet_scenario();      // seed 003: greet1, greet2

}  // namespace tour
