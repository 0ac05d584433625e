// Accept under a full fd table (EMFILE): it backs off instead of spinning
// or failing, and accepts the waiting connection once fds are free again.
// Runs in a child process (death-test style) with a lowered RLIMIT_NOFILE.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "net_test_support.hpp"

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

// UBSan's vptr check verifies an object it has not seen yet by probing its
// memory through a pipe, which cannot be made while the fd table is full:
// run the same code paths (conns, errors) once beforehand so the check
// finds those types in its cache. Harmless without sanitizers.
void warm_up_sanitizer(const goro::net::Listener& ln) {
  auto c = goro::net::dial("tcp", ln.addr().string());
  auto l = ln;
  auto s = l.accept();
  auto refused = goro::net::dial("tcp", "127.0.0.1:1");
  goro::Error e = refused ? goro::Error() : refused.error();
  auto copy = e;
  if (c) c->close();
  if (s) s->close();
}

// Exit codes name the step that went wrong.
int accept_survives_emfile() {
  alarm(60);
  rlimit rl{256, 256};
  if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return 10;
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  if (!ln) return 11;
  warm_up_sanitizer(*ln);
  // A client connects (the kernel completes the handshake without accept).
  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (client < 0 || connect(client, ln->addr().sockaddr_ptr(), ln->addr().sockaddr_len()) != 0)
    return 12;
  // Fill the fd table.
  std::vector<int> fillers;
  for (;;) {
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    fillers.push_back(fd);
  }
  if (errno != EMFILE) return 13;
  std::atomic<int> result{0};  // 0 pending, 1 accepted, 2 error
  goro::go([&result, l = *ln]() mutable {
    auto c = l.accept();
    result = c ? 1 : 2;
  });
  std::this_thread::sleep_for(50ms);
  double before = cpu_seconds();
  std::this_thread::sleep_for(500ms);
  double used = cpu_seconds() - before;
  if (result != 0) return 14;  // accept must not give up (or succeed) while full
  if (used > 0.25) return 15;  // backing off, not spinning
  for (int i = 0; i < 8; ++i) close(fillers[fillers.size() - 1 - i]);
  for (int i = 0; i < 2000 && result == 0; ++i) std::this_thread::sleep_for(5ms);
  if (result != 1) return 16;
  // And the listener keeps working for the next client.
  auto again = goro::net::dial("tcp", ln->addr().string());
  if (!again) return 17;
  auto s = ln->accept();
  if (!s) return 18;
  return 0;
}

TEST(Emfile, AcceptBacksOffAndRecovers) {
  EXPECT_EXIT(std::exit(accept_survives_emfile()), testing::ExitedWithCode(0), "");
}

int close_wakes_backing_off_accept() {
  alarm(60);
  rlimit rl{128, 128};
  setrlimit(RLIMIT_NOFILE, &rl);
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  if (!ln) return 10;
  warm_up_sanitizer(*ln);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(client, ln->addr().sockaddr_ptr(), ln->addr().sockaddr_len()) != 0) return 11;
  std::vector<int> fillers;
  for (int fd; (fd = open("/dev/null", O_RDONLY)) >= 0;) fillers.push_back(fd);
  auto done = goro::make_chan<goro::Error>(1);
  goro::go([done, l = *ln]() mutable {
    auto c = l.accept();
    done.send(c ? goro::Error() : c.error());
  });
  std::this_thread::sleep_for(100ms);
  ln->close();
  goro::Error e = done.recv().value();
  for (int fd : fillers) close(fd);  // exit needs fds (sanitizer reports)
  return goro::errors::is(e, goro::net::err_closed) ? 0 : 1;
}

TEST(Emfile, CloseWakesAnAcceptThatIsBackingOff) {
  EXPECT_EXIT(std::exit(close_wakes_backing_off_accept()), testing::ExitedWithCode(0), "");
}

int dial_with_full_table() {
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  if (!ln) return 10;
  warm_up_sanitizer(*ln);
  rlimit rl{64, 64};
  setrlimit(RLIMIT_NOFILE, &rl);
  std::vector<int> fillers;
  for (int fd; (fd = open("/dev/null", O_RDONLY)) >= 0;) fillers.push_back(fd);
  auto c = goro::net::dial("tcp", ln->addr().string());
  for (int fd : fillers) close(fd);
  if (c) return 11;
  std::string want = "dial tcp " + ln->addr().string() + ": socket: too many open files";
  if (c.error().message() != want) {
    std::fprintf(stderr, "got: %s\n", c.error().message().c_str());
    return 12;
  }
  return 0;
}

TEST(Emfile, DialWithAFullTableIsAnError) {
  EXPECT_EXIT(std::exit(dial_with_full_table()), testing::ExitedWithCode(0), "");
}

}  // namespace
