// The network poller inside the scheduler: idle Ms block in epoll without
// burning CPU; work from other threads and timers still wake them; parked
// goroutines show as "IO wait"; the deadlock detector counts fds being
// polled as a possible source of wake-ups but still reports real deadlocks.
// Process-level cases run as death tests (a fresh child each).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <goro/goro.hpp>
#include <thread>

#include "support/checks.hpp"

using namespace std::chrono_literals;

namespace {

struct ThreadsafeDeathTests : testing::Environment {
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};
testing::Environment* const env = testing::AddGlobalTestEnvironment(new ThreadsafeDeathTests);

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

TEST(Netpoll, IdleWhileWaitingInAcceptBurnsNoCpu) {
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln);
  goro::go([l = *ln]() mutable { l.accept(); });
  std::this_thread::sleep_for(50ms);
  double before = cpu_seconds();
  std::this_thread::sleep_for(500ms);
  double used = cpu_seconds() - before;
  // A spinning M would use about 0.5 s here.
  EXPECT_LT(used, 0.2) << "idle CPU while a goroutine waits in accept";
  ln->close();
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Netpoll, TimersAndOtherThreadsWakeTheBlockedPoller) {
  // One P: its M, idle, is blocked in epoll (a goroutine waits in accept).
  // Sleeps (timers) and channel sends from this plain thread must still
  // get goroutines running promptly.
  EXPECT_EXIT(
      {
        setenv("GORO_MAXPROCS", "1", 1);
        alarm(30);  // a lost wake-up hangs: make it a failure instead
        auto ln = goro::net::listen("tcp", "127.0.0.1:0");
        if (!ln) std::exit(10);
        goro::go([l = *ln]() mutable { l.accept(); });
        auto ping = goro::make_chan<int>();
        auto pong = goro::make_chan<int>();
        goro::go([=] {
          for (int i = 0; i < 10; ++i) goro::sleep(5ms);  // timers while polling
          for (int v : ping) pong.send(v + 1);
        });
        for (int i = 0; i < 200; ++i) {
          std::this_thread::sleep_for(100us);  // let the M go idle in epoll
          ping.send(i);
          if (pong.recv().value() != i + 1) std::exit(11);
        }
        std::exit(0);
      },
      testing::ExitedWithCode(0), "");
}

TEST(Netpoll, ParkedReaderShowsAsIoWaitInTheDump) {
  EXPECT_EXIT(
      {
        auto ln = goro::net::listen("tcp", "127.0.0.1:0");
        goro::go([l = *ln]() mutable { l.accept(); });
        std::this_thread::sleep_for(100ms);
        kill(getpid(), SIGQUIT);
        std::this_thread::sleep_for(5s);
        std::exit(0);
      },
      testing::ExitedWithCode(2), "goroutine [0-9]+ \\[IO wait");
}

TEST(Netpoll, NoDeadlockReportWhileAGoroutineWaitsInAccept) {
  EXPECT_EXIT(
      {
        // A helper process dials after a while; until then main waits on a
        // channel and the only goroutine waits in accept.
        int fds[2];
        if (pipe(fds) != 0) std::exit(10);
        pid_t helper = fork();
        if (helper == 0) {
          int port = 0;
          if (read(fds[0], &port, sizeof port) != sizeof port) _exit(1);
          usleep(600'000);  // well past three deadlock checks
          int s = socket(AF_INET, SOCK_STREAM, 0);
          sockaddr_in a{};
          a.sin_family = AF_INET;
          a.sin_port = htons(uint16_t(port));
          a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
          connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
          usleep(500'000);
          _exit(0);
        }
        auto ln = goro::net::listen("tcp", "127.0.0.1:0");
        if (!ln) std::exit(11);
        int port = ln->addr().port();
        if (write(fds[1], &port, sizeof port) != sizeof port) std::exit(12);
        auto done = goro::make_chan<int>();
        goro::go([l = *ln, done]() mutable { done.send(l.accept() ? 0 : 13); });
        int status = done.recv().value();
        waitpid(helper, nullptr, 0);
        std::exit(status);
      },
      testing::ExitedWithCode(0), "");
}

TEST(Netpoll, RealDeadlockIsStillReportedWithSocketsOpen) {
  EXPECT_EXIT(
      {
        auto ln = goro::net::listen("tcp", "127.0.0.1:0");  // open, nobody waits on it
        auto c = goro::make_chan<int>();
        goro::go([c] { c.recv(); });
        c.recv();  // nobody will ever send
        std::exit(0);
      },
      testing::ExitedWithCode(2), "fatal error: all goroutines are asleep - deadlock!");
}

}  // namespace
