// Deadlock detection: the deadlock example and programs that deadlock (or
// only look as if they might) in other ways.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <goro/goro.hpp>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

struct ThreadsafeDeathTests : testing::Environment {
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};
testing::Environment* const env = testing::AddGlobalTestEnvironment(new ThreadsafeDeathTests);

constexpr const char* deadlock_message = "fatal error: all goroutines are asleep - deadlock!";

TEST(DeadlockExample, ReportsTheDeadlockWithADumpAndStatus2) {
  ProcessResult r = run_process({example_path("deadlock")}, "", 30s);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(deadlock_message), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("goroutine 1 [chan send] (main thread)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("examples/deadlock/main.cpp:18"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Deadlock, MainAndGoroutineWaitingForEachOther) {
  EXPECT_EXIT(
      {
        auto a = goro::make_chan<int>();
        auto b = goro::make_chan<int>();
        goro::go([=] {
          a.recv();
          b.send(1);
        });
        b.recv();  // the goroutine waits for a, main waits for b
        std::exit(0);
      },
      testing::ExitedWithCode(2), "all goroutines are asleep - deadlock!(.|\n)*chan receive");
}

TEST(Deadlock, NilChannelReceiveOnMain) {
  EXPECT_EXIT(
      {
        goro::Chan<int> nil;
        nil.recv();
        std::exit(0);
      },
      testing::ExitedWithCode(2), "all goroutines are asleep - deadlock!");
}

TEST(Deadlock, SyncPrimitivesCountAsBlocked) {
  EXPECT_EXIT(
      {
        goro::WaitGroup wg;
        wg.add(1);
        goro::Mutex mu;
        mu.lock();
        goro::go([&] { mu.lock(); });
        wg.wait();
        std::exit(0);
      },
      testing::ExitedWithCode(2),
      "all goroutines are asleep - deadlock!(.|\n)*sync.WaitGroup.Wait(.|\n)*sync.Mutex.Lock");
}

TEST(Deadlock, NoFalseAlarmWhileASleepingGoroutineWillSend) {
  EXPECT_EXIT(
      {
        auto ch = goro::make_chan<int>();
        goro::go([=] {
          goro::sleep(300ms);
          ch.send(7);
        });
        std::exit(ch.recv() == 7 ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

TEST(Deadlock, NoFalseAlarmWhileABlockingCallIsInFlight) {
  EXPECT_EXIT(
      {
        auto ch = goro::make_chan<int>();
        goro::go([=] {
          goro::blocking([] { std::this_thread::sleep_for(300ms); });
          ch.send(8);
        });
        std::exit(ch.recv() == 8 ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

TEST(Deadlock, NoFalseAlarmWhileAPlainThreadWillSend) {
  EXPECT_EXIT(
      {
        auto ch = goro::make_chan<int>();
        std::thread sender([=] {
          std::this_thread::sleep_for(300ms);
          ch.send(9);
        });
        int got = ch.recv().value_or(0);
        sender.join();
        std::exit(got == 9 ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

TEST(Deadlock, NoFalseAlarmWhileAGoroutineComputes) {
  EXPECT_EXIT(
      {
        auto ch = goro::make_chan<long>();
        goro::go([=] {
          auto until = std::chrono::steady_clock::now() + 300ms;
          long spins = 0;
          while (std::chrono::steady_clock::now() < until) ++spins;
          ch.send(spins);
        });
        std::exit(ch.recv().value_or(0) > 0 ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

}  // namespace
