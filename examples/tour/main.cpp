// The tour: runs the seed programs' scenarios and prints, for each, what the
// seed claims and what goro just measured. It grows as features land.
#include <unistd.h>

#include <sys/wait.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
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

// gopl.io/ch8/pipeline2: counter -> squarer -> printer over channels.
void pipeline_scenario() {
  heading("8.4.2 pipelines",
          "goroutines connected by channels; closing a channel ends the range loop downstream");
  auto naturals = goro::make_chan<long>();
  auto squares = goro::make_chan<long>();
  auto t0 = Clock::now();
  goro::go([=] {
    for (long x = 0; x < 100'000; ++x) naturals.send(x);
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
  std::printf(
      "   goro: %ld squares flowed through two unbuffered channels in %.3f s; "
      "the last was %ld; the loop ended when squares was closed\n",
      count, seconds_since(t0), last);
}

// Too small a buffer deadlocks; the runtime says so, as Go's does.
void deadlock_scenario(const std::string& examples_dir) {
  heading("8.4.4 buffered channels",
          "failure to allocate sufficient buffer capacity would cause the program to deadlock");
  std::string command = examples_dir + "/deadlock 2>&1";
  FILE* child = popen(command.c_str(), "r");
  if (!child) {
    std::printf("   goro: could not run %s\n", command.c_str());
    return;
  }
  char line[256];
  std::string first;
  if (std::fgets(line, sizeof line, child)) first = line;
  while (std::fgets(line, sizeof line, child)) {
  }
  int status = pclose(child);
  if (!first.empty() && first.back() == '\n') first.pop_back();
  std::printf("   goro: examples/deadlock said \"%s\" and exited with status %d\n", first.c_str(),
              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

}  // namespace

int main() {
  std::printf(
      "goro tour — seed claims next to what goro measures on this machine (%d processors)\n",
      goro::gomaxprocs());
  spinner_scenario();
  handoff_scenario();
  many_goroutines_scenario();
  pipeline_scenario();
  // The other examples sit beside the tour's own binary.
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  deadlock_scenario(self.substr(0, self.find_last_of('/')));
  std::printf("\nTour finished.\n");
}
