// goro::flag: Go's command-line forms, errors and usage.
#include <gtest/gtest.h>

#include <goro/flag.hpp>

namespace {

using namespace goro;

// One flag set per process, as in Go; each test parses its own argv.
const int64_t* port = flag::integer("port", 8000, "listen port");
const bool* verbose = flag::boolean("v", false, "show progress");
const std::string* addr = flag::string("addr", "localhost:8000", "server address");
const time::Duration* delay = flag::duration("delay", time::Second, "echo delay");
const double* mean = flag::float64("mean", 1.5, "mean time");

void parse(std::vector<std::string> words) {
  std::vector<char*> argv;
  words.insert(words.begin(), "prog");
  for (auto& w : words) argv.push_back(w.data());
  flag::parse(int(argv.size()), argv.data());
}

TEST(Flag, DefaultsHoldBeforeAnyFlagIsGiven) {
  parse({});
  EXPECT_EQ(*port, 8000);
  EXPECT_FALSE(*verbose);
  EXPECT_EQ(*addr, "localhost:8000");
  EXPECT_EQ(*delay, time::Second);
  EXPECT_DOUBLE_EQ(*mean, 1.5);
  EXPECT_EQ(flag::narg(), 0u);
}

TEST(Flag, AcceptsGosForms) {
  parse(
      {"-port", "9000", "-v", "--addr=example.com:80", "-delay=150ms", "-mean", "2.25", "a", "-b"});
  EXPECT_EQ(*port, 9000);
  EXPECT_TRUE(*verbose);
  EXPECT_EQ(*addr, "example.com:80");
  EXPECT_EQ(*delay, 150 * time::Millisecond);
  EXPECT_DOUBLE_EQ(*mean, 2.25);
  ASSERT_EQ(flag::narg(), 2u);
  EXPECT_EQ(flag::arg(0), "a");
  EXPECT_EQ(flag::arg(1), "-b");  // flags stop at the first argument
  EXPECT_EQ(flag::arg(2), "");
  parse({"-v=false", "--", "-port"});
  EXPECT_FALSE(*verbose);
  EXPECT_EQ(flag::args(), std::vector<std::string>{"-port"});
}

TEST(FlagDeathTest, UnknownFlagsAndBadValuesExitWithStatus2) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(parse({"-nope"}), ::testing::ExitedWithCode(2),
              "flag provided but not defined: -nope");
  EXPECT_EXIT(parse({"-port", "eighty"}), ::testing::ExitedWithCode(2),
              "invalid value \"eighty\" for flag -port: parse error");
  EXPECT_EXIT(parse({"-delay", "5 parsecs"}), ::testing::ExitedWithCode(2),
              "invalid value \"5 parsecs\" for flag -delay");
  EXPECT_EXIT(parse({"-port"}), ::testing::ExitedWithCode(2), "flag needs an argument: -port");
  EXPECT_EXIT(parse({"-h"}), ::testing::ExitedWithCode(0), "-port int\n.*listen port");
}

TEST(ParseDuration, GoSyntax) {
  EXPECT_EQ(time::parse_duration("300ms").value(), 300 * time::Millisecond);
  EXPECT_EQ(time::parse_duration("-1.5h").value(), -90 * time::Minute);
  EXPECT_EQ(time::parse_duration("2h45m").value(), 165 * time::Minute);
  EXPECT_EQ(time::parse_duration("1us").value(), time::Microsecond);
  EXPECT_EQ(time::parse_duration("1\u00b5s").value(), time::Microsecond);
  EXPECT_EQ(time::parse_duration("0").value(), time::Duration());
  EXPECT_EQ(time::parse_duration(".5s").value(), 500 * time::Millisecond);
  EXPECT_EQ(time::parse_duration("1.000000001s").value(), time::Duration(1'000'000'001));
  EXPECT_EQ(time::parse_duration("-9223372036854775808ns").value(), time::Duration(INT64_MIN));
  EXPECT_EQ(time::parse_duration("").error().message(), "time: invalid duration \"\"");
  EXPECT_EQ(time::parse_duration("5").error().message(), "time: missing unit in duration \"5\"");
  EXPECT_EQ(time::parse_duration("5x").error().message(),
            "time: unknown unit \"x\" in duration \"5x\"");
  EXPECT_FALSE(time::parse_duration("9223372036854775808ns"));
  EXPECT_FALSE(time::parse_duration("."));
  EXPECT_FALSE(time::parse_duration("3000000h"));
}

}  // namespace
