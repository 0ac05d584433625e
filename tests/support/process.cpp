#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

#ifndef GORO_EXAMPLES_DIR
#error "GORO_EXAMPLES_DIR must be defined (the build does it)"
#endif
#ifndef GORO_BENCH_DIR
#error "GORO_BENCH_DIR must be defined (the build does it)"
#endif

namespace goro_test {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void throw_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

// The test's environment with extra_env ("NAME=value") added or replacing.
std::vector<std::string> make_env(const std::vector<std::string>& extra_env) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env.emplace_back(*e);
  for (const std::string& kv : extra_env) {
    const std::size_t eq = kv.find('=');
    const std::string prefix = kv.substr(0, eq == std::string::npos ? kv.size() : eq) + "=";
    std::erase_if(env, [&](const std::string& s) { return s.starts_with(prefix); });
    env.push_back(kv);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    throw_errno(errno, "fcntl(O_NONBLOCK)");
  }
}

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno(errno, "pipe2");
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int release_read() { return std::exchange(read, -1); }
  int release_write() { return std::exchange(write, -1); }
};

// RAII for the posix_spawn attribute and file-action objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    if (int rc = ::posix_spawn_file_actions_init(&actions); rc != 0) {
      throw_errno(rc, "posix_spawn_file_actions_init");
    }
    if (int rc = ::posix_spawnattr_init(&attr); rc != 0) {
      ::posix_spawn_file_actions_destroy(&actions);
      throw_errno(rc, "posix_spawnattr_init");
    }
  }
  ~SpawnSetup() {
    ::posix_spawnattr_destroy(&attr);
    ::posix_spawn_file_actions_destroy(&actions);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

struct Spawned {
  pid_t pid;
  int in;
  int out;
  int err;
};

Spawned spawn(std::vector<std::string> argv, const std::vector<std::string>& extra_env) {
  if (argv.empty() || argv[0].empty()) {
    throw std::invalid_argument("run_process/ChildProcess: empty argv");
  }
  Pipe in;
  Pipe out;
  Pipe err;
  SpawnSetup setup;
  auto check = [](int rc, const char* what) {
    if (rc != 0) throw_errno(rc, what);
  };
  check(::posix_spawn_file_actions_adddup2(&setup.actions, in.read, STDIN_FILENO), "adddup2");
  check(::posix_spawn_file_actions_adddup2(&setup.actions, out.write, STDOUT_FILENO), "adddup2");
  check(::posix_spawn_file_actions_adddup2(&setup.actions, err.write, STDERR_FILENO), "adddup2");

  // Own process group (so a timeout kills grandchildren too), no blocked
  // signals and default dispositions: a test process (or goro's runtime)
  // that ignores SIGPIPE or blocks signals must not pass that on.
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t all;
  sigemptyset(&all);
  // sigaddset() refuses (harmlessly) the signals glibc reserves for itself.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaddset(&all, sig);
  }
  check(::posix_spawnattr_setsigmask(&setup.attr, &empty), "posix_spawnattr_setsigmask");
  check(::posix_spawnattr_setsigdefault(&setup.attr, &all), "posix_spawnattr_setsigdefault");
  check(::posix_spawnattr_setpgroup(&setup.attr, 0), "posix_spawnattr_setpgroup");
  check(::posix_spawnattr_setflags(
            &setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF),
        "posix_spawnattr_setflags");

  std::vector<std::string> env = make_env(extra_env);
  const std::string program = argv[0];
  std::vector<char*> c_argv = c_strings(argv);
  std::vector<char*> c_env = c_strings(env);

  pid_t pid = -1;
  const bool search_path = program.find('/') == std::string::npos;
  const int rc = search_path ? ::posix_spawnp(&pid, program.c_str(), &setup.actions, &setup.attr,
                                              c_argv.data(), c_env.data())
                             : ::posix_spawn(&pid, program.c_str(), &setup.actions, &setup.attr,
                                             c_argv.data(), c_env.data());
  if (rc != 0) throw_errno(rc, "cannot start " + program);

  Spawned s{pid, in.release_write(), out.release_read(), err.release_read()};
  set_nonblocking(s.in);
  set_nonblocking(s.out);
  set_nonblocking(s.err);
  return s;
}

// write() that reports EPIPE instead of raising SIGPIPE, without touching
// the process-wide disposition (tests may check goro's own SIGPIPE handling).
ssize_t write_no_sigpipe(int fd, const char* data, std::size_t size) {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  sigset_t pending_before;
  sigpending(&pending_before);
  const ssize_t n = ::write(fd, data, size);
  const int saved = errno;
  if (n < 0 && saved == EPIPE && !sigismember(&pending_before, SIGPIPE)) {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return n;
}

int millis_until(Clock::time_point deadline, int cap_ms) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, cap_ms));
}

}  // namespace

// ---------------------------------------------------------------------------
// ChildProcess
// ---------------------------------------------------------------------------

ChildProcess::ChildProcess(std::vector<std::string> argv, std::vector<std::string> extra_env) {
  start(std::move(argv), std::move(extra_env));
}

ChildProcess::~ChildProcess() {
  kill_and_reap();
  reset();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept { *this = std::move(other); }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    reset();
    pid_ = std::exchange(other.pid_, -1);
    in_ = std::exchange(other.in_, -1);
    out_fd_ = std::exchange(other.out_fd_, -1);
    err_fd_ = std::exchange(other.err_fd_, -1);
    reaped_ = std::exchange(other.reaped_, false);
    status_ = std::exchange(other.status_, 0);
    out_ = std::move(other.out_);
    err_ = std::move(other.err_);
    line_pos_ = std::exchange(other.line_pos_, 0);
    other.out_.clear();
    other.err_.clear();
  }
  return *this;
}

void ChildProcess::start(std::vector<std::string> argv, std::vector<std::string> extra_env) {
  if (started()) throw std::logic_error("ChildProcess::start: a child was already started");
  const Spawned s = spawn(std::move(argv), extra_env);
  pid_ = s.pid;
  in_ = s.in;
  out_fd_ = s.out;
  err_fd_ = s.err;
  reaped_ = false;
  status_ = 0;
  out_.clear();
  err_.clear();
  line_pos_ = 0;
}

void ChildProcess::reset() noexcept {
  close_fd(in_);
  close_fd(out_fd_);
  close_fd(err_fd_);
  pid_ = -1;
  reaped_ = false;
  status_ = 0;
}

void ChildProcess::close_fd(int& fd) noexcept {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

bool ChildProcess::try_reap() {
  if (!started() || reaped_) return reaped_;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    reaped_ = true;
    status_ = status;
  } else if (r < 0) {
    // ECHILD: someone else reaped it (e.g. a SIGCHLD handler); treat as gone.
    reaped_ = true;
    status_ = 0;
  }
  return reaped_;
}

bool ChildProcess::running() { return started() && !try_reap(); }

template <class Done>
bool ChildProcess::pump(Clock::time_point deadline, Done done, std::string_view* to_write) {
  char buf[16384];
  auto read_some = [&](int& fd, std::string& into) {
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        into.append(buf, static_cast<std::size_t>(n));
        if (static_cast<std::size_t>(n) < sizeof buf) return;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      close_fd(fd);  // EOF or error
      return;
    }
  };

  for (;;) {
    if (done()) return true;
    if (Clock::now() >= deadline) return done();

    pollfd fds[3];
    nfds_t n = 0;
    int* owners[3];
    if (out_fd_ >= 0) {
      fds[n] = {out_fd_, POLLIN, 0};
      owners[n++] = &out_fd_;
    }
    if (err_fd_ >= 0) {
      fds[n] = {err_fd_, POLLIN, 0};
      owners[n++] = &err_fd_;
    }
    const bool writing = to_write != nullptr && !to_write->empty() && in_ >= 0;
    if (writing) {
      fds[n] = {in_, POLLOUT, 0};
      owners[n++] = &in_;
    }

    // Short slices: the child's exit is noticed by polling waitpid.
    const int slice = millis_until(deadline, reaped_ ? 50 : 10);
    if (n == 0) {
      if (!try_reap()) std::this_thread::sleep_for(std::chrono::milliseconds(slice));
      continue;
    }
    const int rc = ::poll(fds, n, slice);
    if (rc < 0 && errno != EINTR) throw_errno(errno, "poll");
    for (nfds_t i = 0; rc > 0 && i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (owners[i] == &out_fd_) {
        read_some(out_fd_, out_);
      } else if (owners[i] == &err_fd_) {
        read_some(err_fd_, err_);
      } else if (owners[i] == &in_) {
        if (fds[i].revents & (POLLERR | POLLHUP)) {
          close_fd(in_);
          continue;
        }
        const ssize_t w = write_no_sigpipe(in_, to_write->data(), to_write->size());
        if (w > 0) {
          to_write->remove_prefix(static_cast<std::size_t>(w));
        } else if (w < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
          close_fd(in_);  // EPIPE: the child does not read stdin any more
        }
      }
    }
    try_reap();
  }
}

// Reads what is already in the pipes, without waiting for EOF. Once the
// child has exited everything it wrote is in there, but a grandchild may keep
// the pipes open for ever.
void ChildProcess::drain_now(Clock::time_point deadline) {
  char buf[16384];
  for (int* fd : {&out_fd_, &err_fd_}) {
    std::string& into = fd == &out_fd_ ? out_ : err_;
    while (*fd >= 0 && Clock::now() < deadline) {
      const ssize_t n = ::read(*fd, buf, sizeof buf);
      if (n > 0) {
        into.append(buf, static_cast<std::size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        close_fd(*fd);  // EOF or error
      }
    }
  }
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  if (!started()) return std::nullopt;
  const auto deadline = Clock::now() + timeout;
  auto have_line = [&] { return out_.find('\n', line_pos_) != std::string::npos || out_fd_ < 0; };
  pump(deadline, have_line);
  const std::size_t nl = out_.find('\n', line_pos_);
  if (nl != std::string::npos) {
    std::string line = out_.substr(line_pos_, nl - line_pos_);
    line_pos_ = nl + 1;
    return line;
  }
  if (out_fd_ < 0 && line_pos_ < out_.size()) {  // last line, no '\n'
    std::string line = out_.substr(line_pos_);
    line_pos_ = out_.size();
    return line;
  }
  return std::nullopt;
}

std::optional<std::string> ChildProcess::read_line_until(std::string_view pattern,
                                                         std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    std::optional<std::string> line = read_line(std::max(left, std::chrono::milliseconds(0)));
    if (!line) return std::nullopt;
    if (line->find(pattern) != std::string::npos) return line;
  }
}

bool ChildProcess::write_stdin(std::string_view data, std::chrono::milliseconds timeout) {
  if (!started() || in_ < 0) return false;
  const auto deadline = Clock::now() + timeout;
  std::string_view rest = data;
  pump(
      deadline, [&] { return rest.empty() || in_ < 0; }, &rest);
  return rest.empty();
}

void ChildProcess::close_stdin() { close_fd(in_); }

void ChildProcess::terminate() {
  if (running()) ::kill(-pid_, SIGTERM);
}

void ChildProcess::kill() {
  if (running()) ::kill(-pid_, SIGKILL);
}

void ChildProcess::kill_and_reap() noexcept {
  if (!started() || reaped_) return;
  ::kill(-pid_, SIGKILL);
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  status_ = r == pid_ ? status : 0;
}

ProcessResult ChildProcess::result(bool timed_out) const {
  ProcessResult r;
  r.out = out_;
  r.err = err_;
  r.timed_out = timed_out;
  if (WIFEXITED(status_)) {
    r.exit_code = WEXITSTATUS(status_);
  } else if (WIFSIGNALED(status_)) {
    r.signal = WTERMSIG(status_);
  }
  return r;
}

ProcessResult ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (!started()) throw std::logic_error("ChildProcess::wait: no child was started");
  close_stdin();
  const auto deadline = Clock::now() + timeout;
  pump(deadline, [&] { return reaped_; });
  const bool timed_out = !reaped_;
  if (timed_out) kill_and_reap();
  // What the child wrote before it exited is all in the pipes now; do not
  // wait for EOF that a grandchild holding them may never give.
  drain_now(Clock::now() + std::chrono::milliseconds(500));
  close_fd(out_fd_);
  close_fd(err_fd_);
  return result(timed_out);
}

// ---------------------------------------------------------------------------
// run_process
// ---------------------------------------------------------------------------

ProcessResult run_process(std::vector<std::string> argv, std::string stdin_data,
                          std::chrono::milliseconds timeout, std::vector<std::string> extra_env) {
  const auto deadline = Clock::now() + timeout;
  // Time left until the overall deadline, rounded up so it is never cut short.
  auto left = [&] {
    return std::max(std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()),
                    std::chrono::milliseconds(0));
  };
  ChildProcess child(std::move(argv), std::move(extra_env));
  if (!stdin_data.empty()) child.write_stdin(stdin_data, left());
  return child.wait(left());
}

std::string example_path(std::string_view name) {
  std::string path = GORO_EXAMPLES_DIR;
  path += '/';
  path += name;
  return path;
}

std::string bench_path(std::string_view name) {
  std::string path = GORO_BENCH_DIR;
  path += '/';
  path += name;
  return path;
}

}  // namespace goro_test
