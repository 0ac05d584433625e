// Scheduler controls and facts: yield, num_goroutine, gomaxprocs,
// lock_os_thread / unlock_os_thread, and blocking(f).
//
// Goroutines migrate between OS threads at every point where they may block
// (a channel operation, a lock, sleep, I/O, yield). Rules for user code:
// - Do not keep the address of a thread_local (or errno's address) across a
//   blocking call: after it, the goroutine may run on another thread. Read
//   thread-locals afresh, or pin the goroutine with lock_os_thread().
// - errno belongs to the goroutine: the runtime saves it when a goroutine is
//   switched out and restores it on whichever thread resumes it. But glibc
//   declares __errno_location() const, so within one function the compiler
//   may keep using the errno address of the thread it ran on before a
//   blocking call. Read errno right after the call that set it (keep the
//   value in a local), not across a channel operation, sleep or yield.
// - Code that needs one fixed thread (thread-local state of a C library,
//   thread-affine APIs) calls lock_os_thread() first; the goroutine then
//   runs only on its current thread until unlock_os_thread().
// - The floating-point environment (rounding mode, exception masks and
//   sticky flags: MXCSR and the x87 control word on x86-64, FPCR on aarch64)
//   belongs to the OS thread, not to the goroutine, as in Go: a goroutine
//   switch neither saves nor restores it. A goroutine that changes it
//   (std::fesetround, std::fesetenv, _MM_SET_ROUNDING_MODE, ...) must put the
//   ABI default back (round to nearest, all exceptions masked) before any
//   point where it may block or yield, or the next goroutine on that thread
//   inherits the change. Every goroutine starts with the ABI default.
#pragma once

#include <type_traits>
#include <utility>

namespace goro {

// Let other goroutines run; the caller goes to the back of the global run
// queue (Go's runtime.Gosched). On a plain thread it yields the thread.
void yield();

// Number of goroutines that exist, counting main as Go does (so a program
// with no goroutines running reports 1). Everything a goroutine did before
// it ended happens before a call that no longer counts it.
int num_goroutine();

// Number of processors (Ps): GORO_MAXPROCS, or the CPUs this process may use.
int gomaxprocs();

// Pin the calling goroutine to its current OS thread until the matching
// unlock_os_thread (calls nest). No effect on a plain thread.
void lock_os_thread();
void unlock_os_thread();

namespace detail {
// Releases the caller's processor for the duration of a blocking call.
class BlockingScope {
 public:
  BlockingScope();
  ~BlockingScope();
  BlockingScope(const BlockingScope&) = delete;
  BlockingScope& operator=(const BlockingScope&) = delete;

 private:
  bool released_ = false;
};
}  // namespace detail

// Run f, a call that may block its thread (file I/O, DNS, a C library call)
// or compute for long, without stalling the other goroutines of the
// caller's processor: the processor is handed to another thread while f
// runs. Returns f's result. Works on plain threads too (f just runs).
template <class F>
decltype(auto) blocking(F&& f) {
  detail::BlockingScope scope;
  return std::forward<F>(f)();
}

}  // namespace goro
