// time::Duration's text form, Go's Duration.String: "1h2m3.5s", "1.5ms",
// "250µs", "0s".
#include <cstdlib>
#include <ostream>

#include "goro/time.hpp"

namespace goro::time {

namespace {

// "<whole>[.<frac>]" of v / unit, trailing zeros of the fraction dropped.
std::string decimal(uint64_t v, uint64_t unit) {
  std::string out = std::to_string(v / unit);
  uint64_t frac = v % unit;
  if (frac == 0) return out;
  std::string digits;
  for (uint64_t u = unit / 10; u > 0; u /= 10) {
    digits += char('0' + frac / u);
    frac %= u;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

}  // namespace

std::string Duration::string() const {
  if (ns_ == 0) return "0s";
  const bool negative = ns_ < 0;
  // Unsigned, so the most negative value has a magnitude too.
  const uint64_t u = negative ? uint64_t(0) - uint64_t(ns_) : uint64_t(ns_);
  std::string out;
  if (u < 1'000'000'000) {
    if (u < 1000)
      out = std::to_string(u) + "ns";
    else if (u < 1'000'000)
      out = decimal(u, 1000) + "\u00b5s";
    else
      out = decimal(u, 1'000'000) + "ms";
  } else {
    const uint64_t hours = u / 3'600'000'000'000;
    const uint64_t minutes = u / 60'000'000'000 % 60;
    const uint64_t secs_ns = u % 60'000'000'000;
    if (hours) out += std::to_string(hours) + "h";
    if (hours || minutes) out += std::to_string(minutes) + "m";
    out += decimal(secs_ns, 1'000'000'000) + "s";
  }
  return negative ? "-" + out : out;
}

std::ostream& operator<<(std::ostream& os, Duration d) { return os << d.string(); }

}  // namespace goro::time
