// time::Time values and the clocks: now() reads CLOCK_REALTIME for printing
// and CLOCK_MONOTONIC for measuring; arithmetic uses the monotonic reading
// when both operands have one, as Go does.
#include <time.h>

#include <ostream>

#include "goro/time.hpp"

namespace goro::time {

namespace {

int64_t read_clock(clockid_t id) noexcept {
  timespec ts;
  clock_gettime(id, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

Time now() noexcept {
  Time t;
  t.wall_ns_ = read_clock(CLOCK_REALTIME);
  t.mono_ns_ = read_clock(CLOCK_MONOTONIC);
  return t;
}

Duration since(Time t) noexcept { return now().sub(t); }
Duration until(Time t) noexcept { return t.sub(now()); }

Time Time::from_unix_nano(int64_t ns) noexcept {
  Time t;
  t.wall_ns_ = ns;
  return t;
}

int64_t Time::unix_seconds() const noexcept {
  // Floor division, so instants before 1970 round down like Go's.
  return wall_ns_ >= 0 ? wall_ns_ / 1'000'000'000 : -((-wall_ns_ + 999'999'999) / 1'000'000'000);
}

std::chrono::system_clock::time_point Time::system_time() const noexcept {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(wall_ns_)));
}

std::chrono::steady_clock::time_point Time::steady_time() const noexcept {
  if (is_zero()) return {};
  int64_t mono =
      mono_ns_ ? mono_ns_ : read_clock(CLOCK_MONOTONIC) + (wall_ns_ - read_clock(CLOCK_REALTIME));
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(mono));
}

Duration Time::sub(Time u) const noexcept {
  if (mono_ns_ && u.mono_ns_) return Duration::from_ns(mono_ns_ - u.mono_ns_);
  return Duration::from_ns(wall_ns_ - u.wall_ns_);
}

Time Time::add(Duration d) const noexcept {
  Time t = *this;
  t.wall_ns_ += d.nanoseconds();
  if (t.mono_ns_) t.mono_ns_ += d.nanoseconds();
  return t;
}

std::string Time::string() const { return format("2006-01-02 15:04:05.999999999 -0700 MST"); }

std::ostream& operator<<(std::ostream& os, Time t) { return os << t.string(); }

}  // namespace goro::time
