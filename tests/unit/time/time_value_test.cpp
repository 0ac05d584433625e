// time::Duration and time::Time: Go's text forms, arithmetic and layouts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <goro/time.hpp>

namespace {

using namespace goro;
using namespace std::chrono_literals;

TEST(Duration, PrintsLikeGo) {
  EXPECT_EQ(time::Duration().string(), "0s");
  EXPECT_EQ(time::Duration(1).string(), "1ns");
  EXPECT_EQ(time::Duration(1500).string(), "1.5\u00b5s");
  EXPECT_EQ((1500 * time::Microsecond).string(), "1.5ms");
  EXPECT_EQ(time::Second.string(), "1s");
  EXPECT_EQ((1500 * time::Millisecond).string(), "1.5s");
  EXPECT_EQ((2 * time::Minute).string(), "2m0s");
  EXPECT_EQ(time::Hour.string(), "1h0m0s");
  EXPECT_EQ((time::Hour + 2 * time::Minute + 3500 * time::Millisecond).string(), "1h2m3.5s");
  EXPECT_EQ((-1500 * time::Millisecond).string(), "-1.5s");
  EXPECT_EQ(time::Duration(INT64_MIN).string(), "-2562047h47m16.854775808s");
}

TEST(Duration, ConvertsAndMultipliesLikeGo) {
  EXPECT_EQ(time::Duration(5) * time::Millisecond, time::Duration(5ms));
  EXPECT_EQ(time::Duration(150ms).milliseconds(), 150);
  EXPECT_DOUBLE_EQ((1500 * time::Millisecond).seconds(), 1.5);
  std::chrono::nanoseconds ns = 2 * time::Second;
  EXPECT_EQ(ns, 2s);
  EXPECT_EQ(time::Second / time::Millisecond, 1000);
  EXPECT_LT(time::Millisecond, time::Second);
}

class TimeFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_ = tz ? tz : "";
    had_tz_ = tz != nullptr;
  }
  void TearDown() override {
    if (had_tz_)
      setenv("TZ", saved_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  static void use_zone(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }
  // Go's reference time, Mon Jan 2 15:04:05 2006 in UTC, plus 123456789 ns.
  static time::Time reference() {
    return time::Time::from_unix_nano(1136214245LL * 1'000'000'000 + 123456789);
  }

 private:
  std::string saved_;
  bool had_tz_ = false;
};

TEST_F(TimeFormat, UtcLayouts) {
  use_zone("UTC0");
  time::Time t = reference();
  EXPECT_EQ(t.format("15:04:05"), "15:04:05");
  EXPECT_EQ(t.format(time::RFC3339), "2006-01-02T15:04:05Z");
  EXPECT_EQ(t.format("Mon Jan _2 15:04:05 2006"), "Mon Jan  2 15:04:05 2006");
  EXPECT_EQ(t.format("Monday, January 2, 06"), "Monday, January 2, 06");
  EXPECT_EQ(t.format(time::Kitchen), "3:04PM");
  EXPECT_EQ(t.format("03:04:05 pm"), "03:04:05 pm");
  EXPECT_EQ(t.format("15:04:05.000"), "15:04:05.123");
  EXPECT_EQ(t.format("15:04:05.999999999"), "15:04:05.123456789");
  EXPECT_EQ(t.format("002 __2"), "002   2");
  EXPECT_EQ(t.format("literal text: 2006"), "literal text: 2006");
  EXPECT_EQ(time::Time::from_unix_nano(1136214245LL * 1'000'000'000).format("05.999|05.000"),
            "05|05.000");
  EXPECT_EQ(t.unix_seconds(), 1136214245);
}

TEST_F(TimeFormat, ZoneOffsets) {
  use_zone("EST5");
  time::Time t = reference();
  EXPECT_EQ(t.format("15:04:05 MST -0700 -07:00 Z07:00 -07"),
            "10:04:05 EST -0500 -05:00 -05:00 -05");
  EXPECT_EQ(t.format(time::RFC3339), "2006-01-02T10:04:05-05:00");
  EXPECT_EQ(t.string(), "2006-01-02 10:04:05.123456789 -0500 EST");
}

TEST(Time, NowAndSinceUseTheMonotonicClock) {
  time::Time start = time::now();
  EXPECT_FALSE(start.is_zero());
  EXPECT_TRUE(time::Time().is_zero());
  time::sleep(2ms);
  time::Duration elapsed = time::since(start);
  EXPECT_GE(elapsed, 2 * time::Millisecond);
  EXPECT_LT(elapsed, 10 * time::Second);
  time::Time later = start + time::Second;
  EXPECT_TRUE(later.after(start));
  EXPECT_TRUE(start.before(later));
  EXPECT_EQ(later - start, time::Second);
  EXPECT_GT(time::until(later), -time::Second);
}

}  // namespace
