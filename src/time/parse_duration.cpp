// time::parse_duration: Go's duration syntax, a signed sequence of decimal
// numbers with unit suffixes ("1h15m30.5s"). Accumulates in nanoseconds
// with overflow checks.
#include <cstdint>
#include <string>

#include "goro/time.hpp"

namespace goro::time {

namespace {

struct Unit {
  std::string_view name;
  int64_t ns;
};
constexpr Unit units[] = {
    {"ns", 1},         {"us", 1000},         {"\u00b5s", 1000},     {"\u03bcs", 1000},
    {"ms", 1'000'000}, {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000}};

}  // namespace

Result<Duration> parse_duration(std::string_view s) {
  const std::string quoted = "\"" + std::string(s) + "\"";
  auto invalid = [&] { return fail(errors::make("time: invalid duration " + quoted)); };
  std::string_view rest = s;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  if (rest == "0") return Duration();
  if (rest.empty()) return invalid();
  // Magnitude in ns as unsigned, so -9223372036854775808ns parses.
  const uint64_t limit = uint64_t(INT64_MAX) + (negative ? 1 : 0);
  uint64_t total = 0;
  while (!rest.empty()) {
    uint64_t whole = 0;
    std::size_t i = 0;
    bool overflow = false;
    for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i) {
      if (whole > (UINT64_MAX - 9) / 10) overflow = true;
      whole = whole * 10 + uint64_t(rest[i] - '0');
    }
    const bool had_whole = i > 0;
    uint64_t frac = 0, scale = 1;
    bool had_frac = false;
    if (i < rest.size() && rest[i] == '.') {
      ++i;
      for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i) {
        had_frac = true;
        if (scale < 1'000'000'000'000'000'000ULL) {
          frac = frac * 10 + uint64_t(rest[i] - '0');
          scale *= 10;
        }
      }
    }
    if (!had_whole && !had_frac) return invalid();
    rest.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const Unit& u : units)
      if (rest.substr(0, u.name.size()) == u.name && (!unit || u.name.size() > unit->name.size()))
        unit = &u;
    if (!unit) {
      std::string_view name = rest.substr(0, rest.find_first_of("0123456789."));
      if (name.empty()) return fail(errors::make("time: missing unit in duration " + quoted));
      return fail(
          errors::make("time: unknown unit \"" + std::string(name) + "\" in duration " + quoted));
    }
    rest.remove_prefix(unit->name.size());
    const uint64_t u = uint64_t(unit->ns);
    if (overflow || (whole && whole > limit / u)) return invalid();
    uint64_t v = whole * u;
    // frac / scale of a unit, rounded down to whole nanoseconds.
    v += uint64_t((long double)(frac) * (long double)(u) / (long double)(scale));
    if (v > limit || total > limit - v) return invalid();
    total += v;
  }
  return Duration::from_ns(negative ? int64_t(0 - total) : int64_t(total));
}

}  // namespace goro::time
