// The tour's helpers: child processes are started with posix_spawn, their
// stdin fed and stdout/stderr drained with poll() from the calling (plain)
// thread, which is what a user's shell does.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>

#include <goro/net.hpp>
#include <goro/time.hpp>

#include "tour.hpp"

extern char** environ;

namespace tour {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void heading(const char* title, const char* claim) {
  std::printf("\n== %s\n   seed: %s\n", title, claim);
  std::fflush(stdout);
}

void measured(const char* format, ...) {
  std::printf("   goro: ");
  va_list args;
  va_start(args, format);
  std::vprintf(format, args);
  va_end(args);
  std::printf("\n");
  std::fflush(stdout);
}

std::string example_path(const std::string& name) {
  static const std::string dir = [] {
    std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    return self.substr(0, self.find_last_of('/'));
  }();
  return dir + "/" + name;
}

Run run_example(const std::string& name, const std::vector<std::string>& args,
                const std::string& stdin_data, double timeout_s, int max_open_files) {
  Run run;
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  std::string path = example_path(name);
  std::vector<char*> argv{path.data()};
  std::vector<std::string> copies = args;
  for (auto& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto t0 = Clock::now();
  pid_t pid = -1;
  // The child inherits the limit: lower it around the spawn only.
  rlimit saved{};
  bool limited = max_open_files > 0 && getrlimit(RLIMIT_NOFILE, &saved) == 0;
  if (limited) {
    rlimit lower = saved;
    lower.rlim_cur = std::min<rlim_t>(saved.rlim_cur, rlim_t(max_open_files));
    setrlimit(RLIMIT_NOFILE, &lower);
  }
  int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  if (limited) setrlimit(RLIMIT_NOFILE, &saved);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    run.err = "could not start " + path;
    return run;
  }
  signal(SIGPIPE, SIG_IGN);
  std::size_t fed = 0;
  int in_fd = in[1];
  if (stdin_data.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true, killed = false;
  while (out_open || err_open) {
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
    fds[0].fd = out_open ? out[0] : -1;
    fds[1].fd = err_open ? err[0] : -1;
    poll(fds, 3, 100);
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? run.out : run.err).append(buf, std::size_t(n));
      } else {
        (i == 0 ? out_open : err_open) = false;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR))) {
      ssize_t n = write(in_fd, stdin_data.data() + fed, stdin_data.size() - fed);
      if (n > 0) fed += std::size_t(n);
      if (n < 0 || fed == stdin_data.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
    if (!killed && seconds_since(t0) > timeout_s) {
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out[0]);
  close(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  run.seconds = seconds_since(t0);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

int free_port() {
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  if (!ln) return 0;
  int port = ln->addr().port();
  ln->close();
  return port;
}

Server::Server(const std::string& name, std::vector<std::string> args) : port_(free_port()) {
  std::string path = example_path(name);
  args.insert(args.begin(), {path, "-port", std::to_string(port_)});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  if (posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ) == 0) pid_ = pid;
  posix_spawn_file_actions_destroy(&actions);
  for (int i = 0; pid_ > 0 && i < 1000 && !ready_; ++i) {
    if (auto conn = goro::net::dial("tcp", address())) {
      conn->close();
      ready_ = true;
    } else {
      goro::time::sleep(10 * goro::time::Millisecond);
    }
  }
}

Server::~Server() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    result.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return result;
}

}  // namespace tour
