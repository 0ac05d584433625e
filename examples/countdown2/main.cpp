// gopl.io/ch8/countdown2
// Countdown implements the countdown for a rocket launch; pressing return
// aborts it.
//
// goro addition: -delay sets the time before launch (default 10s, as in the
// book), so tests can run the countdown quickly.
#include <cstddef>

#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/os.hpp>

using namespace goro;

void launch();

int main(int argc, char** argv) {
  auto delay = flag::duration("delay", 10 * time::Second, "time before launch");
  flag::parse(argc, argv);

  auto abort = make_chan<Event>();  // Go: abort := make(chan struct{})
  go([abort] {
    std::byte b[1];
    (void)os::stdin().read(b);  // read a single byte
    abort.send(Event{});
  });

  goro::fmt::println("Commencing countdown.  Press return to abort.");
  switch (select(recv(time::after(*delay)), recv(abort))) {
    case 0:  // case <-time.After(10 * time.Second):
      // Do nothing.
      break;
    case 1:  // case <-abort:
      goro::fmt::println("Launch aborted!");
      return 0;
  }
  launch();
}

void launch() { goro::fmt::println("Lift off!"); }
