// Uses an installed goro: only the public umbrella header, goro::go and
// goro::gomaxprocs. Prints "goro consumer ok" when a goroutine ran.
#include <goro/goro.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

int main() {
  std::atomic<int> ran{0};
  goro::go([&ran](int n) { ran.store(n); }, 42);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (ran.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (ran.load() != 42) {
    std::fprintf(stderr, "goro consumer: the goroutine did not run\n");
    return 1;
  }
  const int procs = goro::gomaxprocs();
  if (procs < 1) {
    std::fprintf(stderr, "goro consumer: gomaxprocs() = %d\n", procs);
    return 1;
  }
  std::printf("goro consumer ok (gomaxprocs=%d)\n", procs);
  return 0;
}
