// goro::time::sleep: a runtime timer that readies the sleeping goroutine.
//
// The timer is started only after the goroutine is switched out (in park's
// after-switch hook), so it can never fire for a goroutine still running;
// after waking, the sleeper waits until the runner is done with the entry
// on its stack.
#include <time.h>

#include <cerrno>

#include "goro/time.hpp"
#include "sched/scheduler.hpp"

namespace goro::time {

using namespace goro::rt;

void sleep(Duration d) {
  if (d.nanoseconds() <= 0) return;
  if (!current_g()) {
    timespec ts{time_t(d.nanoseconds() / 1'000'000'000), long(d.nanoseconds() % 1'000'000'000)};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
    return;
  }
  TimerEntry timer;
  timer.when = monotonic_ns() + d.nanoseconds();
  timer.fire = [](TimerEntry* t, int64_t, uint64_t) { ready(static_cast<G*>(t->arg)); };
  timer.arg = current_g();
  park(
      "sleep", [](void* t) { timer_start(static_cast<TimerEntry*>(t)); }, &timer,
      std::source_location::current());
  timer_wait_idle(&timer);  // the runner may not have let go of it yet
}

}  // namespace goro::time
