// The process: os::getenv, os::lookup_env and os::exit.
//
// exit must not run static destructors while goroutines are alive (they may
// be using those objects on other threads): it then flushes C stdio, waiting
// a bounded time for a goroutine in the middle of a write, and calls _exit.
// With no goroutine alive it is std::exit.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "goro/os.hpp"
#include "goro/runtime.hpp"

namespace goro::os {

std::string getenv(const std::string& key) {
  const char* v = ::getenv(key.c_str());
  return v ? std::string(v) : std::string();
}

std::optional<std::string> lookup_env(const std::string& key) {
  const char* v = ::getenv(key.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

namespace {

// Flush f unless a writer holds its lock for more than 200 ms. The lock is
// kept so that nothing is half-written after the flush.
void flush_bounded(FILE* f) {
  struct timespec pause {
    0, 20'000
  };
  for (int i = 0; i < 10'000; ++i) {
    if (ftrylockfile(f) == 0) {
      fflush_unlocked(f);
      return;
    }
    nanosleep(&pause, nullptr);
  }
}

}  // namespace

void exit(int code) {
  if (goro::num_goroutine() <= 1) std::exit(code);
  flush_bounded(::stdout);
  flush_bounded(::stderr);
  _exit(code);
}

}  // namespace goro::os
