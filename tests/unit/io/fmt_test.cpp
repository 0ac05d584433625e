// goro::fmt: Go's Print/Println spacing, Printf with libfmt syntax, the
// byte counts and errors they return, printing to stdout, and the
// formatters for goro::Error and os::FileMode.
#include "goro/fmt.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "goro/bufio.hpp"
#include "goro/os.hpp"
#include "unit/io/mem_streams.hpp"

namespace {

using goro_test::StringWriter;
namespace gfmt = goro::fmt;

TEST(Fprintln, SeparatesEveryOperandWithASpaceAndEndsTheLine) {
  StringWriter w;
  ASSERT_TRUE(gfmt::fprintln(w, "\t", "HELLO"));  // reverb's echo
  ASSERT_TRUE(gfmt::fprintln(w, 1, 2, "a", "b", 3.5, true));
  ASSERT_TRUE(gfmt::fprintln(w));
  ASSERT_TRUE(gfmt::fprintln(w, "alone"));
  EXPECT_EQ(w.out, "\t HELLO\n1 2 a b 3.5 true\n\nalone\n");
}

TEST(Fprintln, ReturnsBytesWrittenInOneWrite) {
  StringWriter w;
  auto n = gfmt::fprintln(w, "You are", std::string("127.0.0.1:5000"));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, std::string("You are 127.0.0.1:5000\n").size());
  EXPECT_EQ(w.writes, 1);
}

TEST(Fprint, SpacesOnlyBetweenTwoNonStrings) {
  StringWriter w;
  ASSERT_TRUE(gfmt::fprint(w, "a", 1, 2, "b", "c", 3, std::string_view("d"), 4, 5));
  EXPECT_EQ(w.out, "a1 2bc3d4 5");
}

TEST(Fprintf, UsesLibfmtSyntax) {
  StringWriter w;
  auto n = gfmt::fprintf(w, "{} files {:.1f} GB\n", 1234, 2.345);
  ASSERT_TRUE(n);
  EXPECT_EQ(w.out, "1234 files 2.3 GB\n");
  EXPECT_EQ(*n, w.out.size());
}

TEST(Fprint, ReturnsTheWritersError) {
  auto closed = goro::errors::make("use of closed network connection");
  StringWriter w;
  w.fail_after = 0;
  w.fail_with = closed;
  auto n = gfmt::fprintln(w, "x");
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), closed);
  auto m = gfmt::fprintf(w, "{}", 1);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), closed);
}

TEST(Formatter, ErrorPrintsItsMessage) {
  auto err = goro::errors::wrap(goro::errors::from_errno(ENOENT), "open /nope");
  EXPECT_EQ(::fmt::format("{}", err), "open /nope: no such file or directory");
  EXPECT_EQ(::fmt::format("[{:>6}]", goro::errors::make("boom")), "[  boom]");
  EXPECT_EQ(gfmt::sprint(goro::Error()), "<nil>");
  StringWriter w;
  ASSERT_TRUE(gfmt::fprintf(w, "du1: {}\n", err));
  EXPECT_EQ(w.out, "du1: open /nope: no such file or directory\n");
}

TEST(Formatter, FileModeAndDurations) {
  EXPECT_EQ(::fmt::format("{}", goro::os::FileMode(goro::os::FileMode::dir | 0755)), "drwxr-xr-x");
  EXPECT_EQ(gfmt::sprint(std::chrono::milliseconds(1500)), "1500ms");
}

TEST(Sprint, StringVariants) {
  EXPECT_EQ(gfmt::sprint("x", 1, 2), "x1 2");
  EXPECT_EQ(gfmt::sprintln("x", 1, 2), "x 1 2\n");
  EXPECT_EQ(gfmt::sprintf("{:03}", 7), "007");
  auto e = gfmt::errorf("bad count {}", 3);
  EXPECT_EQ(e.message(), "bad count 3");
}

TEST(Fprintln, IntoABufferedWriter) {
  StringWriter w;
  goro::bufio::Writer bw(w);
  ASSERT_TRUE(gfmt::fprintln(bw, "buffered", 1));
  EXPECT_EQ(w.out, "");
  ASSERT_FALSE(bw.flush());
  EXPECT_EQ(w.out, "buffered 1\n");
}

// Runs f with descriptor 1 redirected to a pipe; returns what it printed.
template <class F>
std::string capture_stdout(F f) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  int saved = ::dup(1);
  ::dup2(fds[1], 1);
  ::close(fds[1]);
  f();
  ::dup2(saved, 1);
  ::close(saved);
  std::string out;
  char buf[256];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
  ::close(fds[0]);
  return out;
}

TEST(Println, WritesToStdout) {
  goro::Result<std::size_t> n;
  std::string out = capture_stdout([&] {
    n = gfmt::println("hello", 42);
    gfmt::print("a", "b", 1, 2);
    gfmt::printf(" {}\n", "end");
  });
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 9u);
  EXPECT_EQ(out, "hello 42\nab1 2 end\n");
}

}  // namespace
