// Scheduler semantics: spawning, yield, fairness, stealing, hand-off of
// stuck processors, blocking(), plain-thread interop, migration safety.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <goro/goro.hpp>

#include "support/checks.hpp"

using namespace std::chrono_literals;

namespace {

pid_t thread_id() { return pid_t(syscall(SYS_gettid)); }

// Goroutines capture the test's locals by reference: before a test returns,
// every goroutine it started must have ended.
void wait_for_goroutines() {
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Go, RunsClosureWithArgumentsCopiedAtCallTime) {
  std::atomic<int> sum{0};
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    goro::go(
        [&](int x, std::string s) {
          sum += x + int(s.size());
          ++done;
        },
        i, std::string("ab"));
  }
  ASSERT_TRUE(eventually([&] { return done == 10; }));
  EXPECT_EQ(sum, 45 + 20);
  wait_for_goroutines();
}

TEST(Go, MoveOnlyArguments) {
  std::atomic<int> got{0};
  auto p = std::make_unique<int>(7);
  goro::go([&](std::unique_ptr<int> v) { got = *v; }, std::move(p));
  ASSERT_TRUE(eventually([&] { return got == 7; }));
  wait_for_goroutines();
}

TEST(Go, LargeClosureGoesToHeap) {
  std::array<char, 10000> big{};
  big[9999] = 5;
  std::atomic<int> got{0};
  goro::go([&got, big] { got = big[9999]; });
  ASSERT_TRUE(eventually([&] { return got == 5; }));
  wait_for_goroutines();
}

// Writes a pattern over `bytes` of this goroutine's stack and reads it back.
__attribute__((noinline)) bool stack_holds_pattern(std::size_t bytes, unsigned char pattern) {
  auto* buf = static_cast<volatile unsigned char*>(__builtin_alloca(bytes));
  for (std::size_t i = 0; i < bytes; i += 64) buf[i] = pattern;
  bool same = true;
  for (std::size_t i = 0; i < bytes; i += 64) same = same && buf[i] == pattern;
  return same;
}

TEST(Go, NearlyTheWholeStackIsUsable) {
  // The runtime keeps its own data for a goroutine (its control block and
  // closure) at the top of the goroutine's 256 KiB stack mapping: using all
  // but 16 KiB of the stack must not disturb it, nor the next goroutines
  // that reuse the same stacks.
  constexpr std::size_t kUse = 240 * 1024;
  std::atomic<int> ok{0};
  constexpr int kRounds = 4, kPerRound = 64;
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kPerRound; ++i) {
      const int expect = round * kPerRound + i;
      std::array<int, 64> tag;
      tag.fill(expect);
      goro::go([&ok, tag, expect] {
        bool good = stack_holds_pattern(kUse, static_cast<unsigned char>(expect));
        for (int v : tag) good = good && v == expect;
        if (good) ok.fetch_add(1);
      });
    }
    ASSERT_TRUE(eventually([&] { return ok == (round + 1) * kPerRound; }));
  }
  wait_for_goroutines();
}

TEST(Go, MillionShortGoroutinesComplete) {
  const int n = sanitized ? 50'000 : 1'000'000;
  std::atomic<int> done{0};
  for (int i = 0; i < n; ++i) goro::go([&] { done.fetch_add(1, std::memory_order_relaxed); });
  ASSERT_TRUE(eventually([&] { return done == n; }, 120s));
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Go, NestedSpawnsFromGoroutines) {
  std::atomic<int> leaves{0};
  struct Tree {
    static void grow(std::atomic<int>* leaves, int depth) {
      if (depth == 0) {
        leaves->fetch_add(1);
        return;
      }
      for (int i = 0; i < 4; ++i) goro::go(grow, leaves, depth - 1);
    }
  };
  goro::go(Tree::grow, &leaves, 6);
  ASSERT_TRUE(eventually([&] { return leaves == 4096; }));
  wait_for_goroutines();
}

TEST(Go, NumGoroutineCountsLiveOnesPlusMain) {
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
  std::atomic<bool> release{false};
  for (int i = 0; i < 5; ++i)
    goro::go([&] {
      while (!release) goro::sleep(1ms);
    });
  EXPECT_EQ(goro::num_goroutine(), 6);
  release = true;
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Scheduler, GomaxprocsMatchesEnvironmentOrCpus) {
  int procs = goro::gomaxprocs();
  if (const char* env = std::getenv("GORO_MAXPROCS"))
    EXPECT_EQ(procs, std::atoi(env));
  else
    EXPECT_GE(procs, 1);
}

TEST(Scheduler, YieldLetsOthersRunInTurn) {
  // Two goroutines alternate through yield; both make progress.
  std::atomic<int> a{0}, b{0};
  std::atomic<int> done{0};
  auto worker = [&](std::atomic<int>* mine) {
    for (int i = 0; i < 10000; ++i) {
      ++*mine;
      goro::yield();
    }
    ++done;
  };
  goro::go(worker, &a);
  goro::go(worker, &b);
  ASSERT_TRUE(eventually([&] { return done == 2; }));
  EXPECT_EQ(a, 10000);
  EXPECT_EQ(b, 10000);
  wait_for_goroutines();
}

TEST(Scheduler, WorkIsStolenAcrossProcessors) {
  if (goro::gomaxprocs() < 2) GTEST_SKIP() << "needs 2 processors";
  std::mutex mu;
  std::set<pid_t> threads;
  std::atomic<int> done{0};
  // One goroutine spawns everything (so it all lands on one P's queue); the
  // work must still spread to other threads.
  goro::go([&] {
    for (int i = 0; i < 64; ++i)
      goro::go([&] {
        auto until = std::chrono::steady_clock::now() + 2ms;
        while (std::chrono::steady_clock::now() < until) {
        }
        std::lock_guard lock(mu);
        threads.insert(thread_id());
        ++done;
      });
  });
  ASSERT_TRUE(eventually([&] { return done == 64; }));
  EXPECT_GE(threads.size(), 2u);
  wait_for_goroutines();
}

TEST(Scheduler, NoRunnableGoroutineStarvesBehindBusyOnes) {
  // More never-yielding busy loops than processors: sysmon must hand their
  // processors off so that a late goroutine still runs.
  std::atomic<bool> stop{false};
  std::atomic<int> busy_running{0};
  int busy = goro::gomaxprocs() + 1;
  for (int i = 0; i < busy; ++i)
    goro::go([&] {
      ++busy_running;
      while (!stop.load(std::memory_order_relaxed)) {
      }
    });
  ASSERT_TRUE(eventually([&] { return busy_running >= goro::gomaxprocs(); }));
  std::atomic<bool> late_ran{false};
  goro::go([&] { late_ran = true; });
  bool ran = eventually([&] { return late_ran.load(); }, 10s);
  stop = true;
  EXPECT_TRUE(ran);
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Scheduler, SleepersWakeAndTimersFireWithBusyNeighbours) {
  std::atomic<int> woke{0};
  for (int i = 0; i < 100; ++i)
    goro::go([&, i] {
      goro::sleep(std::chrono::milliseconds(i % 20));
      ++woke;
    });
  ASSERT_TRUE(eventually([&] { return woke == 100; }));
  wait_for_goroutines();
}

TEST(Scheduler, SleepLastsAtLeastTheDuration) {
  std::atomic<int64_t> elapsed_us{-1};
  goro::go([&] {
    auto t0 = std::chrono::steady_clock::now();
    goro::sleep(30ms);
    elapsed_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
  });
  ASSERT_TRUE(eventually([&] { return elapsed_us >= 0; }));
  EXPECT_GE(elapsed_us, 30'000);
  auto t0 = std::chrono::steady_clock::now();
  goro::sleep(5ms);  // plain thread
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 5ms);
  wait_for_goroutines();
}

TEST(Blocking, OtherGoroutinesRunWhileOneBlocks) {
  std::atomic<bool> blocked_done{false};
  std::atomic<int> others{0};
  int procs = goro::gomaxprocs();
  // Every processor starts a blocking call; other goroutines still run.
  for (int i = 0; i < procs; ++i)
    goro::go([&] {
      goro::blocking([] { std::this_thread::sleep_for(300ms); });
      blocked_done = true;
    });
  std::this_thread::sleep_for(20ms);
  for (int i = 0; i < 100; ++i) goro::go([&] { ++others; });
  ASSERT_TRUE(eventually([&] { return others == 100; }, 250ms));
  EXPECT_FALSE(blocked_done) << "the others should finish while the blocking calls still run";
  ASSERT_TRUE(eventually([&] { return blocked_done.load(); }));
  wait_for_goroutines();
}

TEST(Blocking, ReturnsTheValueAndWorksOnPlainThreads) {
  EXPECT_EQ(goro::blocking([] { return 41 + 1; }), 42);
  std::atomic<int> got{0};
  goro::go([&] { got = goro::blocking([] { return 7; }); });
  ASSERT_TRUE(eventually([&] { return got == 7; }));
  wait_for_goroutines();
}

TEST(PlainThreads, SpawnFromManyThreads) {
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) goro::go([&] { ++done; });
    });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(eventually([&] { return done == 4000; }));
}

// errno accessed through calls the compiler cannot merge: inside one
// function, glibc's const __errno_location() lets the compiler reuse the
// previous thread's errno address after a blocking call (see runtime.hpp).
__attribute__((noipa)) void set_errno(int v) { errno = v; }
__attribute__((noipa)) int get_errno() {
  return errno;
  wait_for_goroutines();
}

TEST(Migration, ErrnoBelongsToTheGoroutine) {
  std::atomic<int> failures{0}, done{0}, migrations{0};
  for (int k = 0; k < 8; ++k)
    goro::go([&, k] {
      // Keep going until this goroutine has moved threads a few times.
      for (int i = 0; i < 200'000 && (i < 2000 || migrations < 8); ++i) {
        pid_t before = thread_id();
        set_errno(1000 + k);
        if (i % 16 == 0) {
          goro::sleep(10us);
        } else {
          goro::yield();
        }
        if (get_errno() != 1000 + k) ++failures;
        if (thread_id() != before) ++migrations;
      }
      ++done;
    });
  ASSERT_TRUE(eventually([&] { return done == 8; }));
  EXPECT_EQ(failures, 0);
  if (goro::gomaxprocs() > 1) {
    EXPECT_GE(migrations, 8) << "goroutines never migrated";
  }
  wait_for_goroutines();
}

TEST(Migration, ErrnoSurvivesBlockingCallsThatMoveTheGoroutine) {
  // More goroutines than processors make blocking() calls, so on return
  // many find no free processor and resume on another thread.
  std::atomic<int> failures{0}, done{0};
  for (int k = 0; k < 8; ++k)
    goro::go([&, k] {
      for (int i = 0; i < 200; ++i) {
        goro::blocking([k] {
          std::this_thread::sleep_for(50us);
          set_errno(2000 + k);
        });
        if (get_errno() != 2000 + k) ++failures;
      }
      ++done;
    });
  ASSERT_TRUE(eventually([&] { return done == 8; }));
  EXPECT_EQ(failures, 0);
  wait_for_goroutines();
}

TEST(Migration, LockOsThreadPinsTheGoroutine) {
  std::atomic<int> moved{0}, unlocked_moves{0}, done{0};
  std::atomic<bool> stop{false};
  // Background load so that goroutines really migrate.
  for (int i = 0; i < 4; ++i)
    goro::go([&] {
      while (!stop) goro::yield();
    });
  goro::go([&] {
    goro::lock_os_thread();
    pid_t tid = thread_id();
    for (int i = 0; i < 500; ++i) {
      if (i % 2) {
        goro::yield();
      } else {
        goro::sleep(100us);
      }
      if (thread_id() != tid) ++moved;
    }
    goro::unlock_os_thread();
    ++done;
  });
  goro::go([&] {
    pid_t tid = thread_id();
    for (int i = 0; i < 500; ++i) {
      goro::sleep(100us);
      if (thread_id() != tid) ++unlocked_moves;
      tid = thread_id();
    }
    ++done;
  });
  ASSERT_TRUE(eventually([&] { return done == 2; }));
  stop = true;
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
  EXPECT_EQ(moved, 0);
  if (goro::gomaxprocs() > 1) RecordProperty("unlocked_moves", unlocked_moves.load());
}

TEST(Migration, ThreadLocalsAreReadAfreshAfterBlocking) {
  // A thread_local read through a non-inlined accessor after a blocking call
  // must be the current thread's, which is what the runtime relies on.
  static thread_local pid_t cached_tid = 0;
  std::atomic<int> wrong{0}, done{0};
  auto tid_local = []() __attribute__((noinline)) {
    if (!cached_tid) cached_tid = thread_id();
    return cached_tid;
  };
  for (int k = 0; k < 4; ++k)
    goro::go([&] {
      for (int i = 0; i < 500; ++i) {
        goro::sleep(50us);
        if (tid_local() != thread_id()) ++wrong;
      }
      ++done;
    });
  ASSERT_TRUE(eventually([&] { return done == 4; }));
  EXPECT_EQ(wrong, 0);
  wait_for_goroutines();
}

}  // namespace
