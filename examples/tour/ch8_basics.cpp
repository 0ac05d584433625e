// The tour's first scenarios: gopl.io chapter 8's basics run in-process
// (spinner, fair scheduling, cheap goroutines, pipelines) and the deadlock
// example as a child process.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include <goro/goro.hpp>

#include "tour.hpp"

using namespace std::chrono_literals;

namespace tour {

namespace {

void wait_for_goroutines_to_exit() {
  while (goro::num_goroutine() > 1) std::this_thread::sleep_for(1ms);
}

long fib(long x) { return x < 2 ? x : fib(x - 1) + fib(x - 2); }

long rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long total = 0, resident = 0;
  statm >> total >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

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
  long n = under_tsan ? 35 : 42;
  long result = fib(n);
  double took = seconds_since(t0);
  stop = true;
  wait_for_goroutines_to_exit();  // they use this scenario's locals
  measured("Fibonacci(%ld) = %ld in %.2f s; spinner drew %d frames (%.0f expected at 100 ms)", n,
           result, took, frames.load(), took * 10);
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
  wait_for_goroutines_to_exit();  // they use this scenario's locals
  std::printf(
      "   goro (GORO_MAXPROCS=%d): computing goroutine ran %.2f s; a 50 ms ticker meanwhile "
      "ran %d times\n",
      goro::gomaxprocs(), took, frames.load());
}

// Goroutines are cheap: start many, count them, measure memory.
void many_goroutines_scenario() {
  heading("8.1 goroutines are cheap",
          "it is practical to create hundreds of thousands of goroutines");
  const int n = under_tsan ? 1'000 : 100'000;
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
  measured(
      "%d goroutines started and parked in %.3f s; num_goroutine() = %d; "
      "~%ld bytes of RSS each",
      n, took, goro::num_goroutine(), per);
  release = true;
  while (goro::num_goroutine() > 1) std::this_thread::sleep_for(5ms);
}

// gopl.io/ch8/pipeline2: counter -> squarer -> printer over channels.
void pipeline_scenario() {
  heading("8.4.2 pipelines",
          "goroutines connected by channels; closing a channel ends the range loop downstream");
  auto naturals = goro::make_chan<long>();
  auto squares = goro::make_chan<long>();
  const long n = under_tsan ? 10'000 : 100'000;
  auto t0 = Clock::now();
  goro::go([=] {
    for (long x = 0; x < n; ++x) naturals.send(x);
    naturals.close();
  });
  goro::go([=] {
    for (long x : naturals) squares.send(x * x);
    squares.close();
  });
  long count = 0, last = -1;
  for (long x : squares) {
    ++count;
    last = x;
  }
  measured(
      "%ld squares flowed through two unbuffered channels in %.3f s; "
      "the last was %ld; the loop ended when squares was closed",
      count, seconds_since(t0), last);
}

// Too small a buffer deadlocks; the runtime says so, as Go's does.
void deadlock_scenario() {
  heading("8.4.4 buffered channels",
          "failure to allocate sufficient buffer capacity would cause the program to deadlock");
  Run run = run_example("deadlock", {});
  std::string first = lines(run.err).empty() ? "" : lines(run.err)[0];
  measured("examples/deadlock said \"%s\" and exited with status %d", first.c_str(), run.status);
}

}  // namespace tour
