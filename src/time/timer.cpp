// goro::time::Timer and Ticker: a runtime TimerEntry plus either a channel
// of capacity 1 (new_timer, new_ticker, after, tick) or a function started
// in its own goroutine (after_func).
//
// TimerState fields are guarded by TimerState::lock, except `refs`. Lock
// order: TimerState::lock, then a timer-heap lock or the channel's lock.
// Rules that give Go 1.23's semantics:
// - Every stop/reset first takes the entry out of its heap (timer_stop),
//   then bumps entry.seq and drains the channel, all under the lock. A
//   firing carries the seq it was dequeued with and sends only if it still
//   matches, under the same lock, so no value from before a stop/reset can
//   be received after it.
// - `armed` is true while the timer has yet to produce its value (one-shot)
//   or is ticking. For after_func timers an armed timer holds a reference,
//   which the firing hands to the goroutine that runs f (or stop drops), so
//   an unreferenced after_func still fires.
// - Channel timers are owned by their channel: the channel holds a
//   reference, and the channel's on_free hook detaches the state and drops
//   it. The last reference stops the entry and waits out a firing in flight
//   (timer_stop_and_wait) before freeing, so an unreferenced timer, ticker
//   or time::tick channel is reclaimed and never fires into freed memory.
// - Firings never release references (a release there could free the entry
//   from inside its own callback).
#include "chan/chan_impl.hpp"
#include "goro/go.hpp"
#include "goro/panic.hpp"
#include "goro/time.hpp"
#include "sched/futex.hpp"
#include "time/timer_heap.hpp"

namespace goro::time::detail {

struct TimerState {
  std::atomic<long> refs{1};
  rt::RuntimeMutex lock;
  rt::TimerEntry entry;
  goro::detail::ChanCore* chan = nullptr;  // C, until the channel is freed
  std::function<void()> func;              // after_func's f
  bool armed = false;
};

namespace {

TimerState* state_of(rt::TimerEntry* e) { return static_cast<TimerState*>(e->arg); }

void retain(TimerState* s) { s->refs.fetch_add(1, std::memory_order_relaxed); }

void release(TimerState* s) {
  if (s->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  rt::timer_stop_and_wait(&s->entry);
  delete s;
}

// Removes any value waiting in C. Caller holds s->lock.
bool drain(TimerState* s) {
  if (!s->chan) return false;
  alignas(Time) unsigned char slot[sizeof(Time)];
  return goro::detail::chan_recv(s->chan, slot, false, std::source_location::current()) ==
         goro::detail::RecvStatus::received;  // Time is trivially destructible
}

void fire_chan(rt::TimerEntry* e, int64_t, uint64_t seq) {
  TimerState* s = state_of(e);
  s->lock.lock();
  if (seq == s->entry.seq && s->armed && s->chan) {
    if (s->entry.period == 0) s->armed = false;
    Time t = now();
    // Capacity 1 and drained at every reset: only a ticker whose receiver
    // is behind finds it full, and then the tick is dropped, as in Go.
    // Pinned: the channel cannot go while we hold s->lock (on_chan_freed
    // takes it), and a firing must never drop the channel's last reference.
    goro::detail::chan_try_send_pinned(s->chan, &t);
  }
  s->lock.unlock();
}

void fire_func(rt::TimerEntry* e, int64_t, uint64_t seq) {
  TimerState* s = state_of(e);
  s->lock.lock();
  bool run = seq == s->entry.seq && s->armed;
  std::function<void()> f;
  if (run) {
    s->armed = false;
    f = s->func;
  }
  s->lock.unlock();
  // The armed reference moves into the goroutine, which drops it after f.
  if (run) goro::go([f = std::move(f), ref = TimerRef(s)] { f(); });
}

void on_chan_freed(void* arg) noexcept {
  TimerState* s = static_cast<TimerState*>(arg);
  s->lock.lock();
  rt::timer_stop(&s->entry);
  ++s->entry.seq;
  s->chan = nullptr;
  s->armed = false;
  s->lock.unlock();
  release(s);  // the channel's reference
}

// Stops s under its lock; returns whether the timer had yet to produce its
// value (including one still waiting in C, which is drained).
bool stop_locked(TimerState* s) {
  rt::timer_stop(&s->entry);
  ++s->entry.seq;  // only now, out of every heap, may seq change
  bool was_armed = s->armed;
  s->armed = false;
  bool drained = drain(s);
  return was_armed || drained;
}

void arm_locked(TimerState* s, Duration d) {
  s->armed = true;
  s->entry.when = rt::monotonic_ns() + std::max<int64_t>(d.nanoseconds(), 0);
  rt::timer_start(&s->entry);
}

bool stop(TimerState* s) {
  if (!s) return false;
  s->lock.lock();
  bool was_armed = stop_locked(s);
  s->lock.unlock();
  if (was_armed && s->func) release(s);  // the armed reference; the caller holds another
  return was_armed;
}

bool reset(TimerState* s, Duration d, int64_t period) {
  s->lock.lock();
  bool was_armed = stop_locked(s);
  if (!was_armed && s->func) retain(s);  // an armed after_func holds a reference
  s->entry.period = period;
  arm_locked(s, d);
  s->lock.unlock();
  return was_armed;
}

// A new state for a timer with channel C (fresh, capacity 1) or function f.
TimerState* make_state(Chan<Time>* c, std::function<void()> f) {
  auto* s = new TimerState;
  s->entry.arg = s;
  if (c) {
    *c = make_chan<Time>(1);
    s->chan = c->core();
    s->chan->on_free = on_chan_freed;
    s->chan->on_free_arg = s;
    retain(s);  // held by the channel
    s->entry.fire = fire_chan;
  } else {
    s->func = std::move(f);
    s->entry.fire = fire_func;
  }
  return s;
}

}  // namespace

TimerRef::TimerRef(const TimerRef& o) noexcept : s_(o.s_) {
  if (s_) retain(s_);
}

TimerRef::~TimerRef() {
  if (s_) release(s_);
}

}  // namespace goro::time::detail

namespace goro::time {

using detail::TimerRef;
using detail::TimerState;

bool Timer::stop() const {
  if (!state_.get()) panic("time: Stop called on uninitialized Timer");
  return detail::stop(state_.get());
}

bool Timer::reset(Duration d) const {
  if (!state_.get()) panic("time: Reset called on uninitialized Timer");
  return detail::reset(state_.get(), d, 0);
}

void Ticker::stop() const {
  if (!state_.get()) panic("time: Stop called on uninitialized Ticker");
  detail::stop(state_.get());
}

void Ticker::reset(Duration d) const {
  if (d.nanoseconds() <= 0) panic("non-positive interval for Ticker.Reset");
  if (!state_.get()) panic("time: Reset called on uninitialized Ticker");
  detail::reset(state_.get(), d, d.nanoseconds());
}

Timer new_timer(Duration d) {
  Timer t;
  Chan<Time> c;
  TimerState* s = detail::make_state(&c, nullptr);
  t.C = std::move(c);
  t.state_ = TimerRef(s);
  detail::reset(s, d, 0);
  return t;
}

Timer after_func(Duration d, std::function<void()> f) {
  if (!f) panic("time: AfterFunc called with nil function");
  Timer t;
  TimerState* s = detail::make_state(nullptr, std::move(f));
  t.state_ = TimerRef(s);
  detail::reset(s, d, 0);
  return t;
}

Ticker new_ticker(Duration d) {
  if (d.nanoseconds() <= 0) panic("non-positive interval for NewTicker");
  Ticker t;
  Chan<Time> c;
  TimerState* s = detail::make_state(&c, nullptr);
  t.C = std::move(c);
  t.state_ = TimerRef(s);
  detail::reset(s, d, d.nanoseconds());
  return t;
}

RecvChan<Time> after(Duration d) { return new_timer(d).C; }

RecvChan<Time> tick(Duration d) {
  if (d.nanoseconds() <= 0) return {};
  return new_ticker(d).C;
}

}  // namespace goro::time
