// ChanLock (src/chan/chan_lock.hpp) on plain threads: mutual exclusion, and
// no lost wake-up for a waiter that went to sleep on the futex, under both
// unlock protocols (plain store with membarrier, exchange without).
#include "chan/chan_lock.hpp"

#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace goro::detail {
namespace {

using namespace std::chrono_literals;

// The scheduling state letter of thread tid ('S': sleeping), from
// /proc/self/task/<tid>/stat, whose third field follows "(comm) ".
char thread_state(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ? '?' : line[paren + 2];
}

// Runs each test with one of the protocols; the asymmetric one only where
// the kernel gave us membarrier (chan_lock.cpp decided before main).
class ChanLockTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam() && !kernel_has_membarrier)
      GTEST_SKIP() << "membarrier(2) refused here; the exchange protocol is tested instead";
    chan_lock_asymmetric = GetParam();  // no ChanLock is in use between tests
  }
  void TearDown() override { chan_lock_asymmetric = kernel_has_membarrier; }

  static inline const bool kernel_has_membarrier = chan_lock_asymmetric;
};

TEST_P(ChanLockTest, WaiterAsleepOnTheFutexIsWokenByUnlock) {
  ChanLock lock;
  lock.lock();
  std::atomic<pid_t> waiter_tid{0};
  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    waiter_tid = pid_t(syscall(SYS_gettid));
    lock.lock();
    acquired = true;
    lock.unlock();
  });
  // Wait until the waiter has given up spinning and sleeps.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  bool asleep = false;
  while (!asleep && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
    asleep = waiter_tid != 0 && thread_state(waiter_tid) == 'S';
  }
  ASSERT_TRUE(asleep) << "the waiter never went to sleep";
  std::this_thread::sleep_for(20ms);  // well past the spin phase
  EXPECT_FALSE(acquired.load()) << "the lock was taken while held";
  lock.unlock();
  const auto wake_deadline = std::chrono::steady_clock::now() + 10s;
  while (!acquired && std::chrono::steady_clock::now() < wake_deadline)
    std::this_thread::sleep_for(1ms);
  if (!acquired) {
    waiter.detach();  // asleep for good: a lost wake-up
    FAIL() << "unlock did not wake the sleeping waiter within 10 s";
  }
  waiter.join();
}

// Threads well beyond the core count take the lock in turns, now and then
// holding it long enough that the others give up spinning and sleep; the
// counter it guards must come out exact (and TSan checks the ordering).
TEST_P(ChanLockTest, ManyThreadsWithSleepingWaitersKeepMutualExclusion) {
  constexpr int threads = 8;
  constexpr int rounds = 20'000;
  ChanLock lock;
  long counter = 0;  // guarded by lock
  int holders = 0;   // guarded by lock; more than 1 would be a broken lock
  std::atomic<int> overlaps{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        lock.lock();
        if (++holders != 1) overlaps.fetch_add(1);
        ++counter;
        if ((i + t) % 2000 == 0) std::this_thread::sleep_for(200us);
        --holders;
        lock.unlock();
      }
    });
  }
  for (std::thread& w : workers) w.join();
  EXPECT_EQ(counter, long(threads) * rounds);
  EXPECT_EQ(overlaps.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Protocols, ChanLockTest, testing::Values(true, false),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "PlainStoreAndMembarrier" : "Exchange";
                         });

}  // namespace
}  // namespace goro::detail
