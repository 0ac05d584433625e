// deadlock: gopl.io ch8 §8.4.4 — "When we know an upper bound on the number
// of values that will be sent on a channel, it's not unusual to create a
// buffered channel of that size and perform all the sends before the first
// value is received. Failure to allocate sufficient buffer capacity would
// cause the program to deadlock." Here three values are sent into room for
// two, before anyone receives: the runtime reports
//   fatal error: all goroutines are asleep - deadlock!
// with a goroutine dump, and exits with status 2, as Go does.
#include <cstdio>
#include <string>

#include <goro/goro.hpp>

int main() {
  auto ch = goro::make_chan<std::string>(2);  // one short of the three sends
  ch.send("A");
  ch.send("B");
  ch.send("C");  // blocks forever: nobody will ever receive
  for (int i = 0; i < 3; ++i) std::printf("%s\n", ch.recv().value().c_str());
}
