// gopl.io/ch8/countdown1
// Countdown implements the countdown for a rocket launch.
//
// goro addition: -tick sets the interval between counts (default 1s, as in
// the book), so tests can run the countdown quickly.
#include <cstdio>

#include <goro/goro.hpp>

using namespace goro;

void launch();

int main(int argc, char** argv) {
  auto interval = flag::duration("tick", 1 * time::Second, "interval between counts");
  flag::parse(argc, argv);

  std::printf("Commencing countdown.\n");
  std::fflush(stdout);
  auto tick = time::tick(*interval);  // Go: tick := time.Tick(1 * time.Second)
  for (int countdown = 10; countdown > 0; countdown--) {
    std::printf("%d\n", countdown);
    std::fflush(stdout);
    tick.recv();  // Go: <-tick
  }
  launch();
}

void launch() { std::printf("Lift off!\n"); }
