// Fatal errors, panics and goroutine dumps. See fatal.hpp.
#include "debug/fatal.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sched/scheduler.hpp"
#include "sched/waiter.hpp"

namespace goro::rt {

namespace {

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n <= 0) return;
    text.remove_prefix(size_t(n));
  }
}

const char* status_name(const G* g) {
  switch (g->status.load(std::memory_order_relaxed)) {
    case GStatus::runnable:
      return "runnable";
    case GStatus::running:
      return "running";
    case GStatus::waiting:
      return g->wait_reason && *g->wait_reason ? g->wait_reason : "waiting";
    case GStatus::idle:
    case GStatus::dead:
      return nullptr;
  }
  return nullptr;
}

std::string site(const std::source_location& loc) {
  if (!loc.file_name() || !*loc.file_name()) return "?";
  return std::string(loc.file_name()) + ":" + std::to_string(loc.line());
}

}  // namespace

void flush_stdout_if_possible() {
  if (ftrylockfile(stdout) == 0) {
    fflush_unlocked(stdout);
    funlockfile(stdout);
  }
}

void dump_goroutines(int fd) {
  if (!runtime_started()) return;
  Sched& s = sched();
  G* current = current_g();
  int64_t now = monotonic_ns();
  dump_blocked_threads(fd);
  s.allg_lock.lock();
  for (G* g = s.allg; g; g = g->all_link) {
    const char* state = status_name(g);
    if (!state) continue;
    std::string line = "goroutine " + std::to_string(g->id) + " [" + state;
    if (g->status.load(std::memory_order_relaxed) == GStatus::waiting && g->wait_since_ns > 0) {
      int64_t minutes = (now - g->wait_since_ns) / 60'000'000'000;
      if (minutes > 0) line += ", " + std::to_string(minutes) + " minutes";
    }
    if (g == current) line += ", current";
    line += "]:\n";
    if (g->status.load(std::memory_order_relaxed) == GStatus::waiting)
      line += "\tblocked at " + site(g->blocked_at) + " in " + g->blocked_at.function_name() + "\n";
    line += "created by " + std::string(g->created_at.function_name()) + "\n\tat " +
            site(g->created_at) + "\n\n";
    write_all(fd, line);
  }
  s.allg_lock.unlock();
}

void fatal_error(std::string_view message) {
  flush_stdout_if_possible();
  std::string text = "fatal error: " + std::string(message) + "\n\n";
  write_all(2, text);
  dump_goroutines(2);
  std::_Exit(2);
}

void fatal_panic(G* g, std::string_view what) {
  flush_stdout_if_possible();
  std::string text = "panic: " + std::string(what) + "\n\n";
  if (g) text += "(in goroutine " + std::to_string(g->id) + ")\n\n";
  write_all(2, text);
  dump_goroutines(2);
  std::_Exit(2);
}

}  // namespace goro::rt
