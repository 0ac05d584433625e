// Signal handling: the hand-off request (SIGURG), goroutine stack overflow (SIGSEGV on an alternate
// stack) and the goroutine dump (SIGQUIT).
//
// Invariants: handlers only use async-signal-safe operations: atomics,
// futex wake, write(2), _exit. The hand-off handler runs on the M's own
// thread and detaches m->p only while m->in_runtime == 0, that is while the
// thread executes user code and holds no runtime lock and no P-local state.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "debug/fatal.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

std::atomic<bool> quit_requested{false};

namespace {

struct sigaction previous_segv {};
struct sigaction previous_quit {};

void write_str(const char* s) {
  ssize_t r = ::write(2, s, strlen(s));
  (void)r;
}

void write_num(uint64_t n) {
  char buf[24];
  int i = sizeof buf;
  do {
    buf[--i] = char('0' + n % 10);
    n /= 10;
  } while (n && i > 0);
  ssize_t r = ::write(2, buf + i, sizeof buf - size_t(i));
  (void)r;
}

void on_sigurg(int, siginfo_t*, void*) {
  int saved = errno;
  M* m = current_m();
  if (m && m->in_runtime == 0 && m->curg && m->p) {
    P* p = m->p;
    if (p->schedtick.load(std::memory_order_relaxed) ==
        p->preempt_tick.load(std::memory_order_relaxed)) {
      detach_p(m);
      p->released_by_signal.store(true, std::memory_order_release);
      wake_sysmon();
    }
  }
  errno = saved;
}

void on_sigsegv(int sig, siginfo_t* info, void* ctx) {
  if (stack_is_guard_address(info->si_addr)) {
    write_str("fatal error: stack overflow\n\nruntime: goroutine stack exceeds its limit");
    if (G* g = current_g()) {
      write_str(" in goroutine ");
      write_num(g->id);
      write_str(" (created at ");
      write_str(g->created_at.file_name());
      write_str(":");
      write_num(g->created_at.line());
      write_str(")");
    }
    write_str("\n");
    _exit(2);
  }
  // Not ours: let the previous handler (or the default action) have it.
  if (previous_segv.sa_flags & SA_SIGINFO) {
    if (previous_segv.sa_sigaction) return previous_segv.sa_sigaction(sig, info, ctx);
  } else if (previous_segv.sa_handler != SIG_DFL && previous_segv.sa_handler != SIG_IGN) {
    return previous_segv.sa_handler(sig);
  }
  signal(SIGSEGV, SIG_DFL);  // re-faults with the default action
}

void on_sigquit(int) {
  quit_requested.store(true);
  wake_sysmon();
}

}  // namespace

void install_signal_handlers() {
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
  sa.sa_sigaction = on_sigurg;
  sigaction(SIGURG, &sa, nullptr);

  sa.sa_sigaction = on_sigsegv;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigaction(SIGSEGV, &sa, &previous_segv);

  struct sigaction quit {};
  sigemptyset(&quit.sa_mask);
  quit.sa_flags = SA_RESTART;
  quit.sa_handler = on_sigquit;
  sigaction(SIGQUIT, &quit, &previous_quit);
}

void prepare_thread_signals(M* m) {
  stack_t ss{};
  ss.ss_size = 64 * 1024;
  ss.ss_sp = std::malloc(ss.ss_size);
  m->signal_stack = ss.ss_sp;  // Ms live forever, and so does this
  ss.ss_flags = 0;
  if (ss.ss_sp) sigaltstack(&ss, nullptr);
}

}  // namespace goro::rt
