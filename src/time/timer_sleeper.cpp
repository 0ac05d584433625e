// The timer sleeper. See timer_sleeper.hpp for the role and its invariants.
#include "time/timer_sleeper.hpp"

#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

// Below this a wait is spun: one futex sleep and wake-up with a timer costs
// several microseconds of CPU and typically oversleeps by tens of them.
constexpr int64_t spin_wait_ns = 20'000;

std::atomic<M*> sleeper{nullptr};
// The sleeper's deadline. May be stale (a new claimer has not stored its
// own yet); the claimer's re-check of the heaps covers that window.
std::atomic<int64_t> sleeper_until{no_timer};

void kick(M* m) {
  m->park.wakeup();
  netpoll_wake_m(m);  // m may be blocked in epoll rather than on its futex
}

bool spin_until(M* m, int64_t until) {
  while (monotonic_ns() < until) {
    if (m->next_p.load(std::memory_order_acquire)) return true;
    for (int i = 0; i < 16; ++i) cpu_relax();
  }
  return false;
}

}  // namespace

int64_t timer_sleeper_deadline(M* m) {
  int64_t until = timers_earliest();
  M* holder = sleeper.load();
  if (holder != m && (holder != nullptr || !sleeper.compare_exchange_strong(holder, m))) {
    // Someone else sleeps with a deadline; make sure it is early enough.
    if (until < sleeper_until.load()) kick(holder);
    return no_timer;
  }
  sleeper_until.store(until);
  store_load_barrier();  // pairs with timer_start's, before timer_sleeper_notify
  if (int64_t recheck = timers_earliest(); recheck < until) {
    until = recheck;
    sleeper_until.store(until);
  }
  return until;
}

void timer_sleeper_resign(M* m) {
  M* holder = m;
  sleeper.compare_exchange_strong(holder, nullptr);
}

void timer_sleeper_notify(int64_t when) {
  if (M* holder = sleeper.load()) {
    if (when < sleeper_until.load()) kick(holder);
    return;
  }
  // Nobody sleeps with a deadline: an idle P gets an M, which claims the role
  // when it finds nothing to run.
  if (sched().npidle.load() > 0) start_m(nullptr, false);
}

bool idle_sleep_until(M* m, int64_t until, IoList& io) {
  if (until == no_timer) return netpoll_idle_block(m, -1, io);
  int64_t left = until - monotonic_ns();
  if (left <= 0) return false;
  if (left <= spin_wait_ns) return spin_until(m, until);
  return netpoll_idle_block(m, left, io);
}

}  // namespace goro::rt
