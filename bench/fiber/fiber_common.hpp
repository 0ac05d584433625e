// Shared helpers of the Boost.Fiber twins of goro's bench programs: sizes from
// the same environment variables, the same one-line JSON output (impl
// "fiber"), a scheduler set-up and a WaitGroup.
//
// Procs come from GORO_MAXPROCS (default: the hardware threads). With one,
// fibers run on the main thread with Boost's round_robin; with more, the
// main thread and procs-1 helper threads share the fibers with the
// work_stealing algorithm.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/fiber/all.hpp>

namespace fbench {

inline long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atol(v) : fallback;
}

inline int procs() {
  long p = env_long("GORO_MAXPROCS", long(std::thread::hardware_concurrency()));
  return p > 0 ? int(p) : 1;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

inline void report(std::string_view bench, long n, std::string_view metric, double value) {
  std::printf(R"({"bench":"%.*s","impl":"fiber","procs":%d,"n":%ld,"metric":"%.*s","value":%.1f})"
              "\n",
              int(bench.size()), bench.data(), procs(), n, int(metric.size()), metric.data(),
              value);
  std::fflush(stdout);
}

// Fiber stacks: 64 KiB from malloc. (Boost's default, 128 KiB, is at glibc's
// mmap threshold: a million of them would exceed the kernel's map count.)
inline boost::fibers::fixedsize_stack stack() { return boost::fibers::fixedsize_stack(64 * 1024); }

// Starts a detached fiber running f.
template <class F>
void go(F&& f) {
  boost::fibers::fiber(std::allocator_arg, stack(), std::forward<F>(f)).detach();
}

// The scheduler for the life of main: constructed first thing in main.
class Runtime {
 public:
  Runtime() : procs_(procs()) {
    if (procs_ == 1) return;
    for (int i = 1; i < procs_; ++i)
      helpers_.emplace_back([this] {
        use_algorithm();
        std::unique_lock lock(mutex_);
        stop_.wait(lock, [this] { return stopping_; });
      });
    use_algorithm();
  }
  ~Runtime() {
    {
      std::unique_lock lock(mutex_);
      stopping_ = true;
    }
    stop_.notify_all();
    for (auto& t : helpers_) t.join();
  }
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

 private:
  void use_algorithm() {
    const char* algo = std::getenv("GORO_FIBER_ALGO");
    if (algo && std::string_view(algo) == "shared_work")
      boost::fibers::use_scheduling_algorithm<boost::fibers::algo::shared_work>();
    else
      boost::fibers::use_scheduling_algorithm<boost::fibers::algo::work_stealing>(procs_);
  }

  int procs_;
  std::vector<std::thread> helpers_;
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable_any stop_;
  bool stopping_ = false;
};

// Go's sync.WaitGroup, for one round of add/done/wait.
class WaitGroup {
 public:
  void add(long delta) { count_.fetch_add(delta, std::memory_order_relaxed); }
  void done() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    std::unique_lock lock(mutex_);
    zero_ = true;
    cond_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cond_.wait(lock, [this] { return zero_; });
  }

 private:
  std::atomic<long> count_{0};
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable cond_;
  bool zero_ = false;
};

}  // namespace fbench
