// gopl.io/ch8/pipeline2
// Pipeline2 demonstrates a finite 3-stage pipeline.
#include <cstdio>

#include <goro/goro.hpp>

int main() {
  auto naturals = goro::make_chan<int>();
  auto squares = goro::make_chan<int>();

  // Counter
  goro::go([naturals] {
    for (int x = 0; x < 100; x++) {
      naturals.send(x);
    }
    naturals.close();
  });

  // Squarer
  goro::go([naturals, squares] {
    for (int x : naturals) {
      squares.send(x * x);
    }
    squares.close();
  });

  // Printer (in main goroutine)
  for (int x : squares) {
    std::printf("%d\n", x);
  }
}
