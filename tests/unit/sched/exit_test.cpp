// Process-level behaviour, each in a fresh child process (death tests):
// panics, stack overflow, exit with goroutines running, GORO_MAXPROCS=1.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <goro/goro.hpp>

using namespace std::chrono_literals;

namespace {

struct ThreadsafeDeathTests : testing::Environment {
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};
testing::Environment* const env = testing::AddGlobalTestEnvironment(new ThreadsafeDeathTests);

TEST(Panic, EscapingGoroutineEndsProgramWithStatus2) {
  EXPECT_EXIT(
      {
        goro::go([] { goro::panic("boom"); });
        std::this_thread::sleep_for(5s);
        std::exit(0);
      },
      testing::ExitedWithCode(2), "panic: boom\n(.|\n)*goroutine [0-9]+ \\[running, current\\]");
}

TEST(Panic, AnyExceptionCountsAndRecoverIsCatch) {
  EXPECT_EXIT(
      {
        std::atomic<bool> recovered{false};
        goro::go([&] {
          try {
            goro::panic("first");
          } catch (const goro::Panic&) {
            recovered = true;  // Go's recover
          }
          throw std::runtime_error("second");
        });
        std::this_thread::sleep_for(5s);
        std::exit(recovered ? 0 : 1);
      },
      testing::ExitedWithCode(2), "panic: second");
}

TEST(Panic, EscapingMainOrAPlainThreadEndsProgramLikeGo) {
  // Go: a panic in main prints "panic: ..." and a goroutine dump, exit 2
  // (not std::terminate's abort).
  EXPECT_EXIT(
      {
        goro::go([] { goro::sleep(1h); });  // the runtime is running
        []() noexcept { goro::panic("on main"); }();
      },
      testing::ExitedWithCode(2), "panic: on main\n(.|\n)*goroutine [0-9]+ \\[");
  EXPECT_EXIT(
      {
        goro::go([] { goro::sleep(1h); });
        std::thread([] { throw std::runtime_error("in a plain thread"); }).join();
      },
      testing::ExitedWithCode(2), "panic: in a plain thread");
}

int depth_sum(int n) {
  volatile char pad[512];
  pad[0] = char(n);
  if (n == 0) return pad[0];
  return depth_sum(n - 1) + pad[0];
}

TEST(Stack, DeepRecursionWithinTheLimitWorks) {
  std::atomic<int> result{-1};
  // ~100 KiB of frames, below the 256 KiB default.
  goro::go([&] { result = depth_sum(150); });
  for (int i = 0; i < 5000 && result < 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_GE(result.load(), 0);
}

TEST(Stack, OverflowIsReportedNotSilent) {
  EXPECT_EXIT(
      {
        goro::go([] { depth_sum(1 << 20); });
        std::this_thread::sleep_for(10s);
        std::exit(0);
      },
      testing::ExitedWithCode(2), "fatal error: stack overflow(.|\n)*in goroutine [0-9]+");
}

TEST(Exit, MainReturnsWhileGoroutinesRunAndBlock) {
  // Goroutines print, compute, sleep and block when exit starts; the
  // process must exit promptly with main's status and not crash in
  // static destructors.
  for (int round = 0; round < 5; ++round) {
    EXPECT_EXIT(
        {
          static std::string global_text(1000, 'x');  // destroyed at exit
          for (int i = 0; i < 8; ++i) {
            goro::go([] {
              for (;;) {
                std::printf("%zu\n", global_text.size());
                std::fflush(stdout);
              }
            });
            goro::go([] {
              for (;;) goro::sleep(1ms);
            });
            goro::go([] {
              volatile unsigned long x = 0;
              for (;;) x = x + global_text.size();
            });
          }
          std::this_thread::sleep_for(50ms);
          std::exit(3);
        },
        testing::ExitedWithCode(3), "");
  }
}

struct SaysGoodbye {
  ~SaysGoodbye() { std::fprintf(stderr, "static destructor ran\n"); }
};

TEST(Exit, StaticDestructorsRunWhenNoGoroutineIsAlive) {
  EXPECT_EXIT(
      {
        static SaysGoodbye goodbye;
        std::atomic<bool> done{false};
        goro::go([&] { done = true; });
        while (!done || goro::num_goroutine() > 1) std::this_thread::sleep_for(1ms);
        std::exit(4);
      },
      testing::ExitedWithCode(4), "static destructor ran");
}

TEST(Exit, OutputWrittenBeforeExitIsFlushed) {
  // Goroutines still print when main exits; what main printed must be out.
  EXPECT_EXIT(
      {
        goro::go([] {
          for (;;) std::fprintf(stderr, "x");
        });
        std::this_thread::sleep_for(20ms);
        std::fprintf(stderr, "\nmain says bye\n");
        std::exit(5);
      },
      testing::ExitedWithCode(5), "main says bye");
}

long fib(long x) { return x < 2 ? x : fib(x - 1) + fib(x - 2); }

TEST(Handoff, SpinnerAnimatesBesideComputingGoroutineWithOneProc) {
  // The seed's spinner, with the computation in a goroutine (the harder
  // case): with a single P, sysmon must hand the P off so the spinner runs.
  EXPECT_EXIT(
      {
        setenv("GORO_MAXPROCS", "1", 1);
        std::atomic<int> frames{0};
        std::atomic<bool> done{false};
        goro::go([&] {
          for (;;) {
            ++frames;
            goro::sleep(20ms);
          }
        });
        goro::go([&] {
          // 500 ms of computation that never enters the runtime.
          auto until = std::chrono::steady_clock::now() + 500ms;
          volatile long r = 0;
          while (std::chrono::steady_clock::now() < until) r = r + fib(20);
          done = true;
        });
        while (!done) std::this_thread::sleep_for(1ms);
        std::fprintf(stderr, "frames=%d\n", frames.load());
        // 25 frames without competition; at least 8 proves the P was handed off.
        std::exit(frames >= 8 && goro::gomaxprocs() == 1 ? 0 : 1);
      },
      testing::ExitedWithCode(0), "frames=");
}

}  // namespace
