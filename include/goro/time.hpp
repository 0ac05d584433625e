// goro::time — Go's time package: sleeping, timers, tickers, and time values.
//
//   Go                                   goro (with `using namespace goro;`)
//   time.Sleep(100 * time.Millisecond)   time::sleep(100 * time::Millisecond)
//   <-time.After(time.Second)            time::after(time::Second).recv()
//   for t := range time.Tick(d)          for (time::Time t : time::tick(d))
//   t := time.NewTimer(d); <-t.C         auto t = time::new_timer(d); t.C.recv()
//   t.Stop(); t.Reset(d)                 t.stop(); t.reset(d)
//   tk := time.NewTicker(d); tk.Stop()   auto tk = time::new_ticker(d); tk.stop()
//   time.AfterFunc(d, f)                 time::after_func(d, f)
//   start := time.Now()                  auto start = time::now()
//   time.Since(start).Seconds()          time::since(start).seconds()  (a time::Duration)
//   t.Format("15:04:05")                 t.format("15:04:05")
//
// Timers live in the scheduler's per-processor heaps: no thread and no
// goroutine is spent per timer. Go 1.23's rules hold: timer channels are
// synchronous — after stop or reset returns, no value from before the call
// can be received from C — and a Timer or Ticker that nothing references any
// more (including one made by time::after or time::tick) is stopped and
// freed, so time::tick does not leak.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "goro/chan.hpp"
#include "goro/error.hpp"

namespace goro::time {

// Go's time.Duration: a count of nanoseconds. It converts to and from the
// std::chrono durations (so 150ms literals work) and prints like Go
// ("1.5s", "100ms", "2m0s").
class Duration {
 public:
  constexpr Duration() noexcept = default;
  // Go's time.Duration(n): n nanoseconds, so Duration(n) * Millisecond is n ms.
  constexpr explicit Duration(std::integral auto ns) noexcept : ns_(int64_t(ns)) {}
  template <class Rep, class Period>
  constexpr Duration(std::chrono::duration<Rep, Period> d) noexcept
      : ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()) {}

  constexpr int64_t nanoseconds() const noexcept { return ns_; }
  constexpr int64_t microseconds() const noexcept { return ns_ / 1000; }
  constexpr int64_t milliseconds() const noexcept { return ns_ / 1'000'000; }
  constexpr double seconds() const noexcept { return double(ns_) / 1e9; }
  constexpr double minutes() const noexcept { return double(ns_) / 60e9; }
  constexpr double hours() const noexcept { return double(ns_) / 3600e9; }
  constexpr std::chrono::nanoseconds chrono() const noexcept {
    return std::chrono::nanoseconds(ns_);
  }
  constexpr operator std::chrono::nanoseconds() const noexcept { return chrono(); }

  // Go's d.String(): "1h2m3.5s", "1.5ms", "0s".
  std::string string() const;

  constexpr friend Duration operator+(Duration a, Duration b) noexcept {
    return from_ns(a.ns_ + b.ns_);
  }
  constexpr friend Duration operator-(Duration a, Duration b) noexcept {
    return from_ns(a.ns_ - b.ns_);
  }
  constexpr friend Duration operator-(Duration a) noexcept { return from_ns(-a.ns_); }
  constexpr friend Duration operator*(int64_t k, Duration d) noexcept { return from_ns(k * d.ns_); }
  constexpr friend Duration operator*(Duration d, int64_t k) noexcept { return from_ns(k * d.ns_); }
  // Go multiplies Durations: time.Duration(n) * time.Millisecond.
  constexpr friend Duration operator*(Duration a, Duration b) noexcept {
    return from_ns(a.ns_ * b.ns_);
  }
  constexpr friend Duration operator/(Duration d, int64_t k) noexcept { return from_ns(d.ns_ / k); }
  constexpr friend int64_t operator/(Duration a, Duration b) noexcept { return a.ns_ / b.ns_; }
  constexpr friend auto operator<=>(Duration, Duration) noexcept = default;
  friend std::ostream& operator<<(std::ostream& os, Duration d);

  static constexpr Duration from_ns(int64_t ns) noexcept {
    Duration d;
    d.ns_ = ns;
    return d;
  }

 private:
  int64_t ns_ = 0;
};

inline constexpr Duration Nanosecond = Duration::from_ns(1);
inline constexpr Duration Microsecond = Duration::from_ns(1000);
inline constexpr Duration Millisecond = Duration::from_ns(1'000'000);
inline constexpr Duration Second = Duration::from_ns(1'000'000'000);
inline constexpr Duration Minute = 60 * Second;
inline constexpr Duration Hour = 60 * Minute;

// Go's time.Time: an instant, with a wall-clock reading (for printing) and,
// when it came from now(), a monotonic reading that sub/since/before/after
// use, so wall-clock jumps don't distort measured intervals.
class Time {
 public:
  constexpr Time() noexcept = default;  // the zero Time (is_zero())
  static Time from_unix_nano(int64_t ns) noexcept;

  bool is_zero() const noexcept { return wall_ns_ == 0 && mono_ns_ == 0; }
  // Go's t.Unix(): seconds since 1970-01-01 UTC (`unix` is a macro in GNU C++).
  int64_t unix_seconds() const noexcept;
  int64_t unix_nano() const noexcept { return wall_ns_; }
  std::chrono::system_clock::time_point system_time() const noexcept;
  // The instant on std::chrono::steady_clock (CLOCK_MONOTONIC); the zero
  // Time gives the zero time point. Lets a Time be a deadline wherever a
  // steady time point is taken: conn.set_read_deadline(time::now() + d).
  std::chrono::steady_clock::time_point steady_time() const noexcept;
  operator std::chrono::steady_clock::time_point() const noexcept { return steady_time(); }

  Duration sub(Time u) const noexcept;  // t - u
  Time add(Duration d) const noexcept;
  bool before(Time u) const noexcept { return sub(u).nanoseconds() < 0; }
  bool after(Time u) const noexcept { return sub(u).nanoseconds() > 0; }
  bool equal(Time u) const noexcept { return sub(u).nanoseconds() == 0; }

  // Go's t.Format with a reference-time layout, in local time: "15:04:05",
  // "2006-01-02T15:04:05Z07:00", "Mon Jan _2 15:04:05 2006", ".000" ...
  std::string format(std::string_view layout) const;
  // Go's default form: "2006-01-02 15:04:05.999999999 -0700 MST".
  std::string string() const;

  friend Duration operator-(Time a, Time b) noexcept { return a.sub(b); }
  friend Time operator+(Time t, Duration d) noexcept { return t.add(d); }
  friend bool operator==(Time a, Time b) noexcept { return a.equal(b); }
  friend bool operator<(Time a, Time b) noexcept { return a.before(b); }
  friend std::ostream& operator<<(std::ostream& os, Time t);

 private:
  friend Time now() noexcept;
  int64_t wall_ns_ = 0;  // since the Unix epoch
  int64_t mono_ns_ = 0;  // CLOCK_MONOTONIC; 0 = none
};

// Layouts Go names.
inline constexpr std::string_view Kitchen = "3:04PM";
inline constexpr std::string_view RFC3339 = "2006-01-02T15:04:05Z07:00";
inline constexpr std::string_view RFC3339Nano = "2006-01-02T15:04:05.999999999Z07:00";
inline constexpr std::string_view DateTime = "2006-01-02 15:04:05";
inline constexpr std::string_view TimeOnly = "15:04:05";
inline constexpr std::string_view StampMilli = "Jan _2 15:04:05.000";

Time now() noexcept;
Duration since(Time t) noexcept;
// Go's time.ParseDuration: "300ms", "-1.5h", "2h45m", "1µs" / "1us"; an
// error like Go's `time: invalid duration "x"` otherwise.
Result<Duration> parse_duration(std::string_view s);
Duration until(Time t) noexcept;

// Pause the calling goroutine for at least d (Go's time.Sleep). Other
// goroutines keep running on its processor. On a plain thread it sleeps the
// thread. A zero or negative d returns at once.
void sleep(Duration d);

namespace detail {
struct TimerState;
// A counted reference to a TimerState.
class TimerRef {
 public:
  TimerRef() noexcept = default;
  explicit TimerRef(TimerState* adopted) noexcept : s_(adopted) {}
  TimerRef(const TimerRef& o) noexcept;
  TimerRef(TimerRef&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  TimerRef& operator=(TimerRef o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~TimerRef();
  TimerState* get() const noexcept { return s_; }

 private:
  TimerState* s_ = nullptr;
};
}  // namespace detail

// Go's *time.Timer: sends the current time on C once, d after it was made
// (or runs f in its own goroutine, for after_func; then C is nil). Copies
// refer to the same timer.
class Timer {
 public:
  Timer() noexcept = default;
  RecvChan<Time> C;

  // Prevents the timer from firing. True if this call stopped it; false if
  // it had already fired (its value was received, or f was started) or been
  // stopped. After stop returns, receiving from C blocks until a reset.
  bool stop() const;
  // Re-arms the timer to fire d from now; returns what stop would have. A
  // value from before the reset is never received after it.
  bool reset(Duration d) const;

 private:
  friend Timer new_timer(Duration);
  friend Timer after_func(Duration, std::function<void()>);
  detail::TimerRef state_;
};

// Go's *time.Ticker: sends the time on C every period. A receiver that falls
// behind gets one pending tick, not a backlog (ticks are dropped, as in Go).
class Ticker {
 public:
  Ticker() noexcept = default;
  RecvChan<Time> C;

  // Turns the ticker off; no tick is received from C after stop returns.
  void stop() const;
  // Stops the ticker and restarts it with period d, first tick d from now.
  // Panics "non-positive interval for Ticker.Reset" when d <= 0.
  void reset(Duration d) const;

 private:
  friend Ticker new_ticker(Duration);
  detail::TimerRef state_;
};

Timer new_timer(Duration d);
// f runs in its own goroutine once d has passed, unless the timer is
// stopped first. The runtime keeps the timer alive until then.
Timer after_func(Duration d, std::function<void()> f);
// Panics "non-positive interval for NewTicker" when d <= 0.
Ticker new_ticker(Duration d);
// new_timer(d).C: receives the time once, d from now.
RecvChan<Time> after(Duration d);
// new_ticker(d).C; a nil channel when d <= 0, as in Go. Reclaimed once the
// channel is no longer referenced.
RecvChan<Time> tick(Duration d);

}  // namespace goro::time

namespace goro {
using time::sleep;  // goro::sleep(d) is goro::time::sleep(d)
}  // namespace goro
