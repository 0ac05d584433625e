#include "goro/error.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <sstream>

namespace {

TEST(Error, NilIsFalseAndEqualToNil) {
  goro::Error err;
  EXPECT_FALSE(err);
  EXPECT_EQ(err, goro::Error());
  EXPECT_EQ(err.message(), "<nil>");
  EXPECT_FALSE(err.unwrap());
  EXPECT_EQ(err.errno_value(), 0);
}

TEST(Error, MakeGivesDistinctValues) {
  auto a = goro::errors::make("boom");
  auto b = goro::errors::make("boom");
  EXPECT_TRUE(a);
  EXPECT_EQ(a.message(), "boom");
  EXPECT_NE(a, b);  // like two errors.New calls
  goro::Error copy = a;
  EXPECT_EQ(copy, a);
}

TEST(Error, WrapBuildsMessageAndIsLooksThrough) {
  auto base = goro::errors::make("boom");
  auto once = goro::errors::wrap(base, "load config");
  auto twice = goro::errors::wrap(once, "start");
  EXPECT_EQ(twice.message(), "start: load config: boom");
  EXPECT_EQ(twice.unwrap(), once);
  EXPECT_TRUE(goro::errors::is(twice, base));
  EXPECT_FALSE(goro::errors::is(base, twice));
  EXPECT_FALSE(goro::errors::is(twice, goro::errors::make("boom")));
  EXPECT_FALSE(goro::errors::wrap(goro::Error(), "nothing"));
  EXPECT_TRUE(goro::errors::is(goro::Error(), goro::Error()));
}

TEST(Error, ErrnoErrorsUseGoMessagesAndMatchByValue) {
  auto refused = goro::errors::from_errno(ECONNREFUSED);
  EXPECT_EQ(refused.message(), "connection refused");
  EXPECT_EQ(goro::errors::from_errno(EMFILE).message(), "too many open files");
  EXPECT_EQ(goro::errors::from_errno(EPIPE).message(), "broken pipe");
  auto wrapped = goro::errors::wrap(refused, "dial tcp 127.0.0.1:1");
  EXPECT_EQ(wrapped.errno_value(), ECONNREFUSED);
  EXPECT_TRUE(goro::errors::is(wrapped, goro::errors::from_errno(ECONNREFUSED)));
  EXPECT_FALSE(goro::errors::is(wrapped, goro::errors::from_errno(ECONNRESET)));
}

TEST(Error, TimeoutIsReportedThroughWrapping) {
  auto deadline = goro::errors::make_timeout("i/o timeout");
  EXPECT_TRUE(deadline.timeout());
  EXPECT_TRUE(goro::errors::wrap(deadline, "read tcp").timeout());
  EXPECT_FALSE(goro::errors::make("x").timeout());
}

TEST(Error, ResultCarriesValueOrError) {
  auto half = [](int x) -> goro::Result<int> {
    if (x % 2) return goro::fail(goro::errors::make("odd"));
    return x / 2;
  };
  EXPECT_EQ(half(4).value(), 2);
  EXPECT_EQ(half(3).error().message(), "odd");
  std::ostringstream os;
  os << half(3).error();
  EXPECT_EQ(os.str(), "odd");
}

}  // namespace
