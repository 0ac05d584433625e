// What happens when the program exits while goroutines may still run.
//
// Go ends the process at once when main returns: other goroutines simply
// stop. In C++, exit() also runs static destructors, and a goroutine still
// running on another thread could use an object while it is destroyed.
// Freezing the runtime's threads at an arbitrary point is not safe either:
// a frozen thread may hold a libc or sanitizer lock that exit() needs.
//
// Policy: if no goroutine is alive, exit proceeds normally (idle Ms touch
// only runtime memory, which is never freed). Otherwise stdout and stderr
// are flushed (waiting a bounded time for a goroutine that is mid-write)
// and the process ends with _exit(status), as Go's would: static
// destructors do not run under live goroutines.
//
// An exception escaping main (or another plain thread) once the runtime is
// running ends the program as an unrecovered Go panic does: "panic: <what>",
// the goroutine dump, exit status 2 (std::terminate would abort instead).
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <exception>

#include "debug/fatal.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

// Take a stdio stream's lock, waiting a bounded time for a goroutine that is
// in the middle of a write. Returns false if it could not be had.
bool lock_stream(FILE* f) {
  int64_t deadline = monotonic_ns() + 200'000'000;
  while (ftrylockfile(f) != 0) {
    if (monotonic_ns() > deadline) return false;
    usleep(20);
  }
  return true;
}

void exit_under_live_goroutines(int status, void*) {
  if (live_goroutines() == 0) return;
  // The locks stay held: goroutines that print now wait until _exit.
  if (lock_stream(stdout)) fflush_unlocked(stdout);
  if (lock_stream(stderr)) fflush_unlocked(stderr);
  _exit(status);
}

std::terminate_handler previous_terminate = nullptr;

[[noreturn]] void panic_on_terminate() {
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      fatal_panic(current_g(), x.what());
    } catch (...) {
      fatal_panic(current_g(), "unknown exception");
    }
  }
  if (previous_terminate) previous_terminate();
  std::abort();
}

}  // namespace

void register_exit_handler() {
  on_exit(exit_under_live_goroutines, nullptr);
  previous_terminate = std::set_terminate(panic_on_terminate);
}

}  // namespace goro::rt
