// goro::RWMutex: concurrent readers, exclusive writers, pending writer blocks
// new readers (no writer starvation), try variants, misuse panics.
#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "sync_test_support.hpp"

namespace {

using namespace sync_test;

struct Shared {
  goro::RWMutex rw;
  goro::WaitGroup wg;
  std::atomic<int> readers_inside{0};
  std::atomic<int> writers_inside{0};
  std::atomic<int> violations{0};
  std::atomic<bool> stop{false};
  long value = 0;  // written under the write lock only
};

TEST(RWMutex, ReadersHoldTheLockTogether) {
  auto s = std::make_shared<Shared>();
  std::atomic<int> saw_two{0};
  s->wg.add(2);
  auto reader = [s, &saw_two] {
    s->rw.rlock();
    s->readers_inside.fetch_add(1);
    // Stay inside until the other reader is inside too (bounded).
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (s->readers_inside.load() < 2 && std::chrono::steady_clock::now() < deadline)
      goro::yield();
    if (s->readers_inside.load() == 2) saw_two.fetch_add(1);
    s->rw.runlock();
    s->wg.done();
  };
  goro::go(reader);
  std::thread t(reader);  // one goroutine, one plain thread
  s->wg.wait();
  t.join();
  EXPECT_EQ(saw_two.load(), 2);
}

TEST(RWMutex, WriterIsExclusive) {
  auto s = std::make_shared<Shared>();
  constexpr int kWriters = 4;
  constexpr int kReaders = 4;
  const int iterations = 5'000 / kScale;
  s->wg.add(kWriters + kReaders);
  for (int i = 0; i < kWriters; ++i) {
    goro::go([s, iterations] {
      for (int k = 0; k < iterations; ++k) {
        std::unique_lock<goro::RWMutex> lock(s->rw);
        if (s->writers_inside.fetch_add(1) != 0 || s->readers_inside.load() != 0)
          s->violations.fetch_add(1);
        long v = s->value;
        if (k % 50 == 0) goro::yield();
        s->value = v + 1;
        s->writers_inside.fetch_sub(1);
      }
      s->wg.done();
    });
  }
  for (int i = 0; i < kReaders; ++i) {
    goro::go([s, iterations] {
      for (int k = 0; k < iterations; ++k) {
        std::shared_lock<goro::RWMutex> lock(s->rw);
        s->readers_inside.fetch_add(1);
        if (s->writers_inside.load() != 0) s->violations.fetch_add(1);
        if (k % 50 == 0) goro::yield();
        s->readers_inside.fetch_sub(1);
      }
      s->wg.done();
    });
  }
  s->wg.wait();
  EXPECT_EQ(s->violations.load(), 0);
  EXPECT_EQ(s->value, long(kWriters) * iterations);
}

TEST(RWMutex, PendingWriterBlocksNewReaders) {
  struct Order {
    std::atomic<int> next{0};
    std::atomic<int> writer_at{0};
    std::atomic<int> reader_at{0};
  };
  auto s = std::make_shared<Shared>();
  auto o = std::make_shared<Order>();
  s->rw.rlock();  // reader A: this thread
  s->wg.add(2);
  goro::go([s, o] {
    s->rw.lock();
    o->writer_at = ++o->next;
    s->rw.unlock();
    s->wg.done();
  });
  // The writer has announced itself once a new read lock can no longer be had.
  ASSERT_TRUE(eventually([&] {
    if (!s->rw.try_rlock()) return true;
    s->rw.runlock();
    return false;
  }));
  goro::go([s, o] {
    s->rw.rlock();  // reader B: must wait for the pending writer
    o->reader_at = ++o->next;
    s->rw.runlock();
    s->wg.done();
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(o->next.load(), 0) << "someone got in while reader A still held the lock";
  s->rw.runlock();
  s->wg.wait();
  EXPECT_EQ(o->writer_at.load(), 1);
  EXPECT_EQ(o->reader_at.load(), 2);
}

TEST(RWMutex, WriterIsNotStarvedByContinuousReaders) {
  auto s = std::make_shared<Shared>();
  constexpr int kReaders = 6;
  s->wg.add(kReaders);
  for (int i = 0; i < kReaders; ++i) {
    goro::go([s] {
      // Overlapping read locks: some reader is nearly always inside.
      while (!s->stop.load(std::memory_order_relaxed)) {
        s->rw.rlock();
        goro::sleep(200us);
        s->rw.runlock();
      }
      s->wg.done();
    });
  }
  std::this_thread::sleep_for(20ms);
  std::atomic<int64_t> waited_ns{-1};
  auto writer = std::make_shared<goro::WaitGroup>();
  writer->add(1);
  goro::go([s, writer, &waited_ns] {
    for (int k = 0; k < 5; ++k) {
      const auto start = std::chrono::steady_clock::now();
      s->rw.lock();
      const int64_t ns = (std::chrono::steady_clock::now() - start).count();
      if (ns > waited_ns.load()) waited_ns = ns;
      s->rw.unlock();
      goro::sleep(1ms);
    }
    writer->done();
  });
  writer->wait();
  s->stop = true;
  s->wg.wait();
  EXPECT_GE(waited_ns.load(), 0);
  EXPECT_LT(waited_ns.load(), std::chrono::nanoseconds(2s).count());
}

TEST(RWMutex, TryLockAndTryRLock) {
  goro::RWMutex rw;
  EXPECT_TRUE(rw.try_rlock());
  EXPECT_TRUE(rw.try_rlock());
  EXPECT_FALSE(rw.try_lock());
  rw.runlock();
  rw.runlock();
  EXPECT_TRUE(rw.try_lock());
  EXPECT_FALSE(rw.try_lock());
  EXPECT_FALSE(rw.try_rlock());
  EXPECT_FALSE(rw.try_lock_shared());
  rw.unlock();
  EXPECT_TRUE(rw.try_lock());
  rw.unlock();
}

TEST(RWMutex, UnlockOfUnlockedPanics) {
  goro::RWMutex rw;
  EXPECT_THROW(
      {
        try {
          rw.unlock();
        } catch (const goro::Panic& p) {
          EXPECT_STREQ(p.what(), "sync: Unlock of unlocked RWMutex");
          throw;
        }
      },
      goro::Panic);
  rw.rlock();
  EXPECT_EQ(panic_message([&] { rw.unlock(); }), "sync: Unlock of unlocked RWMutex");
  rw.runlock();
  // Nothing was changed by the failed calls.
  EXPECT_TRUE(rw.try_lock());
  rw.unlock();
}

TEST(RWMutex, RUnlockOfUnlockedPanics) {
  goro::RWMutex rw;
  EXPECT_THROW(
      {
        try {
          rw.runlock();
        } catch (const goro::Panic& p) {
          EXPECT_STREQ(p.what(), "sync: RUnlock of unlocked RWMutex");
          throw;
        }
      },
      goro::Panic);
  rw.lock();  // held for writing: still no read lock to release
  EXPECT_EQ(panic_message([&] { rw.runlock(); }), "sync: RUnlock of unlocked RWMutex");
  rw.unlock();
  EXPECT_TRUE(rw.try_rlock());
  rw.runlock();
  EXPECT_TRUE(rw.try_lock());
  rw.unlock();
}

}  // namespace
