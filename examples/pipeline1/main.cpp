// gopl.io/ch8/pipeline1
// Pipeline1 demonstrates an infinite 3-stage pipeline.
#include <cstdio>

#include <goro/goro.hpp>

int main() {
  auto naturals = goro::make_chan<int>();
  auto squares = goro::make_chan<int>();

  // Counter
  goro::go([naturals] {
    for (int x = 0;; x++) {
      naturals.send(x);
    }
  });

  // Squarer
  goro::go([naturals, squares] {
    for (;;) {
      int x = *naturals.recv();
      squares.send(x * x);
    }
  });

  // Printer (in main goroutine)
  for (;;) {
    std::printf("%d\n", *squares.recv());
    std::fflush(stdout);
  }
}
