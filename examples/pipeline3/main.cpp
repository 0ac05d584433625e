// gopl.io/ch8/pipeline3
// Pipeline3 demonstrates a finite 3-stage pipeline
// with range, close, and unidirectional channel types.
#include <cstdio>

#include <goro/goro.hpp>

void counter(goro::SendChan<int> out) {
  for (int x = 0; x < 100; x++) {
    out.send(x);
  }
  out.close();
}

void squarer(goro::SendChan<int> out, goro::RecvChan<int> in) {
  for (int v : in) {
    out.send(v * v);
  }
  out.close();
}

void printer(goro::RecvChan<int> in) {
  for (int v : in) {
    std::printf("%d\n", v);
  }
}

int main() {
  auto naturals = goro::make_chan<int>();
  auto squares = goro::make_chan<int>();
  goro::go(counter, naturals);
  goro::go(squarer, squares, naturals);
  printer(squares);
}
