// gopl.io/ch8/spinner
// Spinner displays an animation while computing the 45th Fibonacci number.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <goro/goro.hpp>

using namespace std::chrono_literals;

void spinner(std::chrono::nanoseconds delay) {
  for (;;) {
    for (char r : std::string_view(R"(-\|/)")) {
      std::printf("\r%c", r);
      std::fflush(stdout);
      goro::sleep(delay);
    }
  }
}

long fib(long x) {
  if (x < 2) return x;
  return fib(x - 1) + fib(x - 2);
}

int main(int argc, char** argv) {
  goro::go(spinner, 100ms);
  const long n = argc > 2 && std::string_view(argv[1]) == "-n" ? std::atol(argv[2]) : 45;
  long fibN = fib(n);  // slow
  std::printf("\rFibonacci(%ld) = %ld\n", n, fibN);
}
