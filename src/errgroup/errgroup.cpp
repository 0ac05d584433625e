// goro::ErrGroup. State: a WaitGroup counting started functions, the first
// error (set once, guarded by `lock`), the optional context cancel, and the
// limit as a counting semaphore channel (nil: no limit). The limit may only
// change while no goroutine of the group is active (Go's rule), so reading
// `sem` needs no lock.
#include "goro/errgroup.hpp"

#include <atomic>
#include <string>

#include "goro/chan.hpp"
#include "goro/go.hpp"
#include "goro/panic.hpp"
#include "goro/sync.hpp"

namespace goro {

struct ErrGroup::State {
  WaitGroup wg;
  Mutex lock;
  Error err;  // the first error
  context::CancelCauseFunc cancel;
  Chan<Event> sem;
  std::atomic<long> active{0};
};

namespace {

void start(const std::shared_ptr<ErrGroup::State>& s, std::function<Error()> f) {
  s->wg.add(1);
  s->active.fetch_add(1);
  go([s, f = std::move(f)] {
    Error err = f();
    if (err) {
      s->lock.lock();
      bool first = !s->err;
      if (first) s->err = err;
      s->lock.unlock();
      if (first && s->cancel) s->cancel(err);
    }
    if (s->sem) s->sem.recv();
    s->active.fetch_sub(1);
    s->wg.done();
  });
}

}  // namespace

ErrGroup::ErrGroup() : state_(std::make_shared<State>()) {}

void ErrGroup::go(std::function<Error()> f) const {
  if (state_->sem) state_->sem.send(Event{});
  start(state_, std::move(f));
}

bool ErrGroup::try_go(std::function<Error()> f) const {
  if (state_->sem && !state_->sem.try_send(Event{})) return false;
  start(state_, std::move(f));
  return true;
}

Error ErrGroup::wait() const {
  state_->wg.wait();
  state_->lock.lock();
  Error err = state_->err;
  state_->lock.unlock();
  if (state_->cancel) state_->cancel(err);
  return err;
}

void ErrGroup::set_limit(int n) const {
  if (long active = state_->active.load(); active != 0)
    panic("errgroup: modify limit while " + std::to_string(active) +
          " goroutines in the group are still active");
  state_->sem = n < 0 ? Chan<Event>() : make_chan<Event>(n);
}

std::pair<ErrGroup, Context> errgroup::with_context(const Context& parent) {
  auto [ctx, cancel] = context::with_cancel_cause(parent);
  ErrGroup g;
  g.state_->cancel = std::move(cancel);
  return {g, ctx};
}

}  // namespace goro
