// Time::format: Go's reference-time layouts ("Mon Jan 2 15:04:05 MST 2006"),
// rendered in the local time zone. The layout is scanned left to right; at
// each position the longest Go token that matches there is replaced by the
// corresponding field, anything else is copied literally.
#include <time.h>

#include <cstdio>
#include <string>

#include "goro/time.hpp"

namespace goro::time {

namespace {

constexpr const char* long_months[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
constexpr const char* long_days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

bool at(std::string_view layout, std::size_t i, std::string_view token) {
  return layout.substr(i, token.size()) == token;
}

void pad(std::string& out, long v, int width, char fill = '0') {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (v < 0) out += '-';
  for (int i = int(digits.size()); i < width; ++i) out += fill;
  out += digits;
}

// Zone offset as Go prints it: sign, hours, then minutes/seconds as the
// token asks; `zulu` prints "Z" for UTC.
void zone(std::string& out, long gmtoff, bool zulu, bool colons, bool minutes, bool seconds) {
  if (zulu && gmtoff == 0) {
    out += 'Z';
    return;
  }
  out += gmtoff < 0 ? '-' : '+';
  long a = gmtoff < 0 ? -gmtoff : gmtoff;
  pad(out, a / 3600, 2);
  if (minutes) {
    if (colons) out += ':';
    pad(out, a / 60 % 60, 2);
  }
  if (seconds) {
    if (colons) out += ':';
    pad(out, a % 60, 2);
  }
}

struct ZoneToken {
  std::string_view text;
  bool colons, minutes, seconds;
};
constexpr ZoneToken zone_tokens[] = {
    {"070000", false, true, true}, {"07:00:00", true, true, true}, {"0700", false, true, false},
    {"07:00", true, true, false},  {"07", false, false, false},
};

}  // namespace

std::string Time::format(std::string_view layout) const {
  const int64_t secs = unix_seconds();
  const long nanos = long(wall_ns_ - secs * 1'000'000'000);
  time_t tt = time_t(secs);
  tm t{};
  localtime_r(&tt, &t);
  const int hour12 = t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12;

  std::string out;
  for (std::size_t i = 0; i < layout.size();) {
    auto take = [&](std::string_view token) {
      if (!at(layout, i, token)) return false;
      i += token.size();
      return true;
    };
    if (take("January")) {
      out += long_months[t.tm_mon];
    } else if (take("Jan")) {
      out += std::string_view(long_months[t.tm_mon], 3);
    } else if (take("Monday")) {
      out += long_days[t.tm_wday];
    } else if (take("Mon")) {
      out += std::string_view(long_days[t.tm_wday], 3);
    } else if (take("MST")) {
      out += t.tm_zone ? t.tm_zone : "UTC";
    } else if (take("2006")) {
      pad(out, t.tm_year + 1900, 4);
    } else if (take("002")) {
      pad(out, t.tm_yday + 1, 3);
    } else if (take("__2")) {
      pad(out, t.tm_yday + 1, 3, ' ');
    } else if (take("_2")) {
      pad(out, t.tm_mday, 2, ' ');
    } else if (take("01")) {
      pad(out, t.tm_mon + 1, 2);
    } else if (take("02")) {
      pad(out, t.tm_mday, 2);
    } else if (take("03")) {
      pad(out, hour12, 2);
    } else if (take("04")) {
      pad(out, t.tm_min, 2);
    } else if (take("05")) {
      pad(out, t.tm_sec, 2);
    } else if (take("06")) {
      pad(out, (t.tm_year + 1900) % 100, 2);
    } else if (take("15")) {
      pad(out, t.tm_hour, 2);
    } else if (take("1")) {
      pad(out, t.tm_mon + 1, 1);
    } else if (take("2")) {
      pad(out, t.tm_mday, 1);
    } else if (take("3")) {
      pad(out, hour12, 1);
    } else if (take("4")) {
      pad(out, t.tm_min, 1);
    } else if (take("5")) {
      pad(out, t.tm_sec, 1);
    } else if (take("PM")) {
      out += t.tm_hour >= 12 ? "PM" : "AM";
    } else if (take("pm")) {
      out += t.tm_hour >= 12 ? "pm" : "am";
    } else if ((layout[i] == '-' || layout[i] == 'Z') && [&] {
                 for (const ZoneToken& z : zone_tokens)
                   if (at(layout, i + 1, z.text)) {
                     zone(out, t.tm_gmtoff, layout[i] == 'Z', z.colons, z.minutes, z.seconds);
                     i += 1 + z.text.size();
                     return true;
                   }
                 return false;
               }()) {
    } else if ((layout[i] == '.' || layout[i] == ',') && i + 1 < layout.size() &&
               (layout[i + 1] == '0' || layout[i + 1] == '9') && [&] {
                 const char digit = layout[i + 1];
                 std::size_t j = i + 1;
                 while (j < layout.size() && layout[j] == digit) ++j;
                 if (j < layout.size() && layout[j] >= '0' && layout[j] <= '9') return false;
                 const int width = int(j - i - 1);
                 char frac[10];
                 std::snprintf(frac, sizeof frac, "%09ld", nanos);
                 std::string digits(frac, std::size_t(width < 9 ? width : 9));
                 for (int k = 9; k < width; ++k) digits += '0';
                 if (digit == '9')
                   while (!digits.empty() && digits.back() == '0') digits.pop_back();
                 if (!digits.empty()) {
                   out += layout[i];
                   out += digits;
                 }
                 i = j;
                 return true;
               }()) {
    } else {
      out += layout[i++];
    }
  }
  return out;
}

}  // namespace goro::time
