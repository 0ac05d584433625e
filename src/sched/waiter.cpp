// Waiter: park a goroutine or futex-block a thread. See waiter.hpp.
#include "sched/waiter.hpp"

#include "sched/scheduler.hpp"

namespace goro::rt {

Waiter::Waiter() : g_(current_g()) {}

void Waiter::block(const char* reason, void (*unlock)(void*), void* arg,
                   std::source_location where) {
  if (!g_) {
    unlock(arg);
    note_.sleep();
    return;
  }
  unlock_ = unlock;
  unlock_arg_ = arg;
  park(
      reason,
      [](void* self, G*) {
        auto* w = static_cast<Waiter*>(self);
        w->unlock_(w->unlock_arg_);
      },
      this, where);
}

void Waiter::wake() {
  if (g_)
    ready(g_);
  else
    note_.wakeup();
}

}  // namespace goro::rt
