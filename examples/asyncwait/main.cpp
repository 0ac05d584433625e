// asyncwait: "Applications of Goroutines & Channels in Go", request-level
// processing, the simplest use-case — spawn an asynchronous process and wait.
//
// "We are spawning a goroutine of an anonymous function. We pass in a
// send-only channel to the goroutine to return back a value to the main
// goroutine after waiting for one second. The variable declaration res will
// block until a message is written to it from the channel."
//
// Go original (reconstructed from the article's prose):
//
//   func main() {
//       ch := make(chan string)
//       go func(ch chan<- string) {
//           time.Sleep(1 * time.Second)
//           ch <- "hello from the goroutine"
//       }(ch)
//       res := <-ch
//       fmt.Println(res)
//   }
#include <cstdio>
#include <string>

#include <goro/goro.hpp>

using namespace goro;

int main() {
  auto ch = make_chan<std::string>();
  // go func(ch chan<- string) { ... }(ch)
  go(
      [](SendChan<std::string> ch) {
        time::sleep(1 * time::Second);
        ch.send("hello from the goroutine");
      },
      ch);
  std::string res = ch.recv().value();  // res := <-ch
  std::printf("%s\n", res.c_str());     // fmt.Println(res)
}
