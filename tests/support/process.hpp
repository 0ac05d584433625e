// Process helpers for goro's end-to-end tests: run a program to completion
// (run_process) or drive a long-running one such as a server (ChildProcess).
//
// Plain POSIX, no goro dependency. Children run in their own process group,
// with default signal dispositions and an empty signal mask whatever the test
// process did, and with stdin, stdout and stderr connected to pipes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goro_test {

struct ProcessResult {
  int exit_code = -1;      // exit status when the process exited, else -1
  int signal = 0;          // signal that ended the process, else 0
  std::string out;         // everything it wrote to stdout
  std::string err;         // everything it wrote to stderr
  bool timed_out = false;  // it was killed (SIGKILL) for running past the timeout

  // Exited by itself with status 0.
  bool ok() const { return exit_code == 0 && signal == 0 && !timed_out; }
};

// Runs argv (argv[0] is looked up in PATH when it has no '/'), feeds it
// stdin_data and then EOF, collects stdout and stderr, and waits for it to
// exit. After `timeout` the process group is killed with SIGKILL and
// timed_out is set. extra_env entries ("NAME=value") are added to, or
// replace, the test's environment. Throws std::system_error when the program
// cannot be started (for example, it does not exist).
ProcessResult run_process(std::vector<std::string> argv, std::string stdin_data = "",
                          std::chrono::milliseconds timeout = std::chrono::seconds(30),
                          std::vector<std::string> extra_env = {});

// A child process that keeps running while the test talks to it, e.g. a
// server: read its stdout line by line, write to its stdin, stop it, reap it.
// The destructor kills (SIGKILL) and reaps a child that is still running.
class ChildProcess {
 public:
  ChildProcess() = default;
  // Starts argv at once; see start().
  explicit ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env = {});
  ~ChildProcess();

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts argv like run_process does. Throws std::system_error when it
  // cannot be started, std::logic_error when this object already has a child.
  void start(std::vector<std::string> argv, std::vector<std::string> extra_env = {});

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // Whether the child is still running (it has not been reaped yet).
  bool running();

  // The next line of stdout, without its '\n' (a last line without '\n' is
  // returned at EOF). nullopt on timeout or when stdout has ended.
  std::optional<std::string> read_line(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads stdout lines until one contains `pattern` (a plain substring) and
  // returns that line; the lines before it are consumed. nullopt on timeout
  // or when stdout ended first.
  std::optional<std::string> read_line_until(
      std::string_view pattern, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Writes all of data to the child's stdin (draining its stdout and stderr
  // meanwhile, so neither side can block the other). False when stdin is
  // closed, the child stopped reading, or the timeout passed first.
  bool write_stdin(std::string_view data,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void close_stdin();

  // SIGTERM, resp. SIGKILL, to the child's process group (no-op once reaped).
  void terminate();
  void kill();

  // Closes stdin, then waits for the child to exit and for its output.
  // After `timeout` the child is killed with SIGKILL and timed_out is set.
  // The result holds all of stdout (including lines already read) and stderr.
  ProcessResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Everything read from stdout / stderr so far.
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  using Clock = std::chrono::steady_clock;

  void reset() noexcept;
  void close_fd(int& fd) noexcept;
  bool try_reap();
  // Moves data between the pipes until done() or the deadline. `to_write`,
  // when given, is written to stdin and advanced. Returns done().
  template <class Done>
  bool pump(Clock::time_point deadline, Done done, std::string_view* to_write = nullptr);
  void drain_now(Clock::time_point deadline);
  void kill_and_reap() noexcept;
  ProcessResult result(bool timed_out) const;

  pid_t pid_ = -1;
  int in_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_;
  std::string err_;
  std::size_t line_pos_ = 0;  // start of the first unread line in out_
};

// Path of an example binary: GORO_EXAMPLES_DIR "/" name.
std::string example_path(std::string_view name);
// Path of a benchmark binary: GORO_BENCH_DIR "/" name.
std::string bench_path(std::string_view name);

}  // namespace goro_test

// The helpers are also available unqualified.
using goro_test::bench_path;
using goro_test::ChildProcess;
using goro_test::example_path;
using goro_test::ProcessResult;
using goro_test::run_process;
