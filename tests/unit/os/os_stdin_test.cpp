// os::stdin(), stdout() and stderr(): each test runs in a re-executed child (gtest's threadsafe
// death tests) whose descriptor 0 is a pipe (or /dev/null, or a regular file), so a goroutine can
// block on an empty, open stdin while the test checks that the other goroutines keep running with
// GORO_MAXPROCS=1.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "debug/deadlock.hpp"
#include "goro/bufio.hpp"
#include "goro/chan.hpp"
#include "goro/fmt.hpp"
#include "goro/go.hpp"
#include "goro/io.hpp"
#include "goro/os.hpp"
#include "goro/runtime.hpp"
#include "goro/time.hpp"
#include "netpoll/poll_desc.hpp"
#include "support/checks.hpp"

namespace {

namespace os = goro::os;
namespace io = goro::io;

class StdinTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// Makes a pipe descriptor 0 and returns the writing end.
int pipe_as_stdin() {
  int fds[2];
  if (::pipe(fds) != 0 || ::dup2(fds[0], 0) < 0) std::abort();
  ::close(fds[0]);
  return fds[1];
}

[[noreturn]] void finish(bool ok, const char* what) {
  std::fprintf(stderr, "%s: %s\n", ok ? "ok" : "FAILED", what);
  std::fflush(stderr);
  std::_Exit(ok ? 0 : 1);
}

TEST_F(StdinTest, BlockedReaderDoesNotStallItsProcessor) {
  EXPECT_EXIT(
      {
        ::setenv("GORO_MAXPROCS", "1", 1);
        int feed = pipe_as_stdin();
        auto abort = goro::make_chan<std::string>(1);
        // countdown2's abort goroutine: read a single byte of stdin.
        goro::go([abort] {
          std::byte b[1];
          auto n = os::stdin().read(b);
          abort.send(n ? std::string(1, char(b[0])) : n.error().message());
        });
        // Meanwhile two goroutines play ping-pong and one sleeps in steps.
        auto ping = goro::make_chan<int>();
        auto pong = goro::make_chan<int>();
        auto done = goro::make_chan<int>(2);
        goro::go([ping, pong] {
          while (ping.recv().has_value()) pong.send(1);
        });
        goro::go([ping, pong, done] {
          for (int i = 0; i < 1000; ++i) {
            ping.send(i);
            pong.recv();
          }
          ping.close();
          done.send(1);
        });
        goro::go([done] {
          for (int i = 0; i < 20; ++i) goro::sleep(std::chrono::milliseconds(1));
          done.send(2);
        });
        done.recv();
        done.recv();
        if (goro::gomaxprocs() != 1) finish(false, "GORO_MAXPROCS");
        // The reader is still blocked, parked in the poller (no thread
        // held in read(2)), and has not been answered.
        if (abort.len() != 0) finish(false, "reader returned early");
        if (!eventually([] { return goro::rt::io_waiters() == 1; }))
          finish(false, "reader is not parked in the poller");
        if (goro::rt::deadlock_counters().blocking_calls.load() != 0)
          finish(false, "reader holds a thread in a blocking call");
        if (::write(feed, "q", 1) != 1) finish(false, "write");
        auto got = abort.recv();
        finish(got && *got == "q", "reader got the byte");
      },
      testing::ExitedWithCode(0), "ok: reader got the byte");
}

TEST_F(StdinTest, CopyStdinToStderrUntilEof) {
  // netcat's mustCopy(conn, os.Stdin), with stderr standing in for conn.
  EXPECT_EXIT(
      {
        int feed = pipe_as_stdin();
        std::string text = "first line\nsecond line\n";
        if (::write(feed, text.data(), text.size()) != ssize_t(text.size())) std::abort();
        ::close(feed);
        auto n = io::copy(os::stderr(), os::stdin());
        finish(n && *n == std::int64_t(text.size()), "copied");
      },
      testing::ExitedWithCode(0), "first line\nsecond line\nok: copied");
}

TEST_F(StdinTest, ScannerOverStdinInAGoroutine) {
  EXPECT_EXIT(
      {
        int feed = pipe_as_stdin();
        auto lines = goro::make_chan<std::string>();
        goro::go([lines] {
          goro::bufio::Scanner input(os::stdin());
          while (input.scan()) lines.send(input.text());
          lines.close();
        });
        goro::go([feed] {
          for (const char* part : {"he", "llo\nwor", "ld\n", "tail"}) {
            goro::sleep(std::chrono::milliseconds(2));
            if (::write(feed, part, std::strlen(part)) < 0) std::abort();
          }
          ::close(feed);
        });
        std::string all;
        for (std::string line : lines) all += "[" + line + "]";
        goro::fmt::fprintln(os::stderr(), all);
        finish(all == "[hello][world][tail]", "scanned");
      },
      testing::ExitedWithCode(0), "\\[hello\\]\\[world\\]\\[tail\\]\nok: scanned");
}

TEST_F(StdinTest, TerminalStdinParksInThePoller) {
  // stdin a pseudo-terminal, as when a user types: the reader parks in the
  // poller until a line is entered.
  EXPECT_EXIT(
      {
        int master = ::posix_openpt(O_RDWR | O_NOCTTY);
        if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) std::abort();
        int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
        if (slave < 0 || ::dup2(slave, 0) < 0) std::abort();
        auto line = goro::make_chan<std::string>(1);
        goro::go([line] {
          goro::bufio::Reader in(os::stdin());
          auto s = in.read_string('\n');
          line.send(s.err ? s.err.message() : s.str);
        });
        if (!eventually([] { return goro::rt::io_waiters() == 1; }))
          finish(false, "reader is not parked in the poller");
        if (line.len() != 0) finish(false, "reader returned early");
        if (::write(master, "typed\n", 6) != 6) std::abort();
        auto got = line.recv();
        finish(got && *got == "typed\n", "read the typed line");
      },
      testing::ExitedWithCode(0), "ok: read the typed line");
}

TEST_F(StdinTest, DevNullStdinIsReadWithoutThePoller) {
  // epoll cannot watch /dev/null (EPERM): the read falls back to a blocking
  // call and sees end of file at once.
  EXPECT_EXIT(
      {
        int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd < 0 || ::dup2(null_fd, 0) < 0) std::abort();
        auto got = goro::make_chan<bool>(1);
        goro::go([got] {
          std::byte b[8];
          auto n = os::stdin().read(b);
          got.send(!n && n.error() == io::eof);
        });
        finish(*got.recv(), "eof from /dev/null");
      },
      testing::ExitedWithCode(0), "ok: eof from /dev/null");
}

TEST_F(StdinTest, RegularFileStdinIsReadWhole) {
  EXPECT_EXIT(
      {
        char path[] = "/tmp/goro_stdin_XXXXXX";
        int fd = ::mkstemp(path);
        std::string text(100000, 'x');
        if (fd < 0 || ::write(fd, text.data(), text.size()) != ssize_t(text.size())) std::abort();
        if (::lseek(fd, 0, SEEK_SET) != 0 || ::dup2(fd, 0) < 0) std::abort();
        ::unlink(path);
        auto all = io::read_all(os::stdin());
        finish(all && all->size() == text.size(), "read the whole file");
      },
      testing::ExitedWithCode(0), "ok: read the whole file");
}

TEST_F(StdinTest, StandardFilesHaveGosNames) {
  EXPECT_EQ(os::stdin().name(), "/dev/stdin");
  EXPECT_EQ(os::stdout().name(), "/dev/stdout");
  EXPECT_EQ(os::stderr().name(), "/dev/stderr");
  EXPECT_EQ(os::stdin().fd(), 0);
  EXPECT_EQ(os::stdout().fd(), 1);
  EXPECT_EQ(os::stderr().fd(), 2);
  EXPECT_EQ(&os::stdout(), &os::stdout());
}

}  // namespace
