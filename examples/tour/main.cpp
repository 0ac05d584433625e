// The tour: runs the seed programs' scenarios and prints, for each, what the
// seed claims and what goro just measured. It grows as features land.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include <goro/goro.hpp>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

long fib(long x) { return x < 2 ? x : fib(x - 1) + fib(x - 2); }

long rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long total = 0, resident = 0;
  statm >> total >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

void heading(const char* title, const char* claim) {
  std::printf("\n== %s\n   seed: %s\n", title, claim);
}

// gopl.io/ch8/spinner: the animation keeps running while main computes.
void spinner_scenario() {
  heading("8.1 spinner", "the spinner animates while fib(45) computes; both make progress");
  std::atomic<int> frames{0};
  std::atomic<bool> stop{false};
  goro::go([&] {
    while (!stop) {
      ++frames;
      goro::sleep(100ms);
    }
  });
  auto t0 = Clock::now();
  long n = 42;
  long result = fib(n);
  double took = seconds_since(t0);
  stop = true;
  std::printf(
      "   goro: Fibonacci(%ld) = %ld in %.2f s; spinner drew %d frames (%.0f expected at 100 ms)\n",
      n, result, took, frames.load(), took * 10);
}

// The same with the computation inside a goroutine and a single processor:
// the monitor thread hands the processor off so the spinner still runs.
void handoff_scenario() {
  heading("8.1 goroutines are scheduled fairly",
          "a long computation in one goroutine does not stop the others");
  std::atomic<int> frames{0};
  std::atomic<bool> done{false}, stop{false};
  goro::go([&] {
    while (!stop) {
      ++frames;
      goro::sleep(50ms);
    }
  });
  auto t0 = Clock::now();
  goro::go([&] {
    volatile long r = fib(40);
    (void)r;
    done = true;
  });
  while (!done) std::this_thread::sleep_for(1ms);
  double took = seconds_since(t0);
  stop = true;
  std::printf(
      "   goro (GORO_MAXPROCS=%d): computing goroutine ran %.2f s; a 50 ms ticker meanwhile "
      "ran %d times\n",
      goro::gomaxprocs(), took, frames.load());
}

// Goroutines are cheap: start many, count them, measure memory.
void many_goroutines_scenario() {
  heading("8.1 goroutines are cheap",
          "it is practical to create hundreds of thousands of goroutines");
  const int n = 100'000;
  std::atomic<int> parked{0};
  std::atomic<bool> release{false};
  long before = rss_bytes();
  auto t0 = Clock::now();
  for (int i = 0; i < n; ++i)
    goro::go([&] {
      ++parked;
      while (!release) goro::sleep(20ms);
    });
  while (parked < n) std::this_thread::sleep_for(1ms);
  double took = seconds_since(t0);
  long per = (rss_bytes() - before) / n;
  std::printf(
      "   goro: %d goroutines started and parked in %.3f s; num_goroutine() = %d; "
      "~%ld bytes of RSS each\n",
      n, took, goro::num_goroutine(), per);
  release = true;
  while (goro::num_goroutine() > 1) std::this_thread::sleep_for(5ms);
}

}  // namespace

int main() {
  std::printf(
      "goro tour — seed claims next to what goro measures on this machine (%d processors)\n",
      goro::gomaxprocs());
  spinner_scenario();
  handoff_scenario();
  many_goroutines_scenario();
  std::printf("\nTour finished.\n");
}
