// gopl.io/ch8/countdown3
// Countdown implements the countdown for a rocket launch; pressing return
// aborts it.
//
// The book's version uses time.Tick, whose ticker keeps running after an
// abort. As the book recommends for a ticker not needed for the program's
// whole life, this one comes from time::new_ticker and is stopped when
// main returns (Go: defer ticker.Stop()).
//
// goro addition: -tick sets the interval between counts (default 1s, as in
// the book), so tests can run the countdown quickly.
#include <cstddef>

#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/os.hpp>

using namespace goro;

// Go's defer: runs f when the enclosing scope ends.
template <class F>
struct defer {
  F f;
  ~defer() { f(); }
};

void launch();

int main(int argc, char** argv) {
  auto interval = flag::duration("tick", 1 * time::Second, "interval between counts");
  flag::parse(argc, argv);

  auto abort = make_chan<Event>();  // Go: abort := make(chan struct{})
  go([abort] {
    std::byte b[1];
    (void)os::stdin().read(b);  // read a single byte
    abort.send(Event{});
  });

  goro::fmt::println("Commencing countdown.  Press return to abort.");
  auto ticker = time::new_ticker(*interval);  // Go: ticker := time.NewTicker(1 * time.Second)
  defer stop_ticker{[&] { ticker.stop(); }};  // Go: defer ticker.Stop()
  for (int countdown = 10; countdown > 0; countdown--) {
    goro::fmt::println(countdown);
    switch (select(recv(ticker.C), recv(abort))) {
      case 0:  // case <-ticker.C:
        // Do nothing.
        break;
      case 1:  // case <-abort:
        goro::fmt::println("Launch aborted!");
        return 0;
    }
  }
  launch();
}

void launch() { goro::fmt::println("Lift off!"); }
