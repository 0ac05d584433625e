// waitgroup: "Applications of Goroutines & Channels in Go", request-level
// processing — process multiple things asynchronously.
//
// "We create a WaitGroup and waitGroup.Add(2), as we know up front the amount
// of goroutines we spawn. This also means we can set the channels buffer size
// to match the total expected responses." Both workers wait one second, as
// in the first example; since they run at the same time, the program takes
// one second, not two. The order of the two results is not guaranteed.
//
// Go original (reconstructed from the article's prose):
//
//   func main() {
//       var wg sync.WaitGroup
//       wg.Add(2)
//       ch := make(chan string, 2)
//       go func(ch chan<- string) {
//           defer wg.Done()
//           time.Sleep(1 * time.Second)
//           ch <- "response from worker 1"
//       }(ch)
//       go func(ch chan<- string) {
//           defer wg.Done()
//           time.Sleep(1 * time.Second)
//           ch <- "response from worker 2"
//       }(ch)
//       wg.Wait()
//       close(ch)
//       for res := range ch {
//           fmt.Println(res)
//       }
//   }
#include <cstdio>
#include <string>

#include <goro/goro.hpp>

using namespace goro;

int main() {
  WaitGroup wg;  // var wg sync.WaitGroup
  wg.add(2);
  auto ch = make_chan<std::string>(2);  // room for the two expected responses
  go(
      [&wg](SendChan<std::string> ch) {
        // defer wg.Done(): done() last (nothing above can panic)
        time::sleep(1 * time::Second);
        ch.send("response from worker 1");
        wg.done();
      },
      ch);
  go(
      [&wg](SendChan<std::string> ch) {
        time::sleep(1 * time::Second);
        ch.send("response from worker 2");
        wg.done();
      },
      ch);
  wg.wait();
  ch.close();
  for (std::string res : ch) {  // for res := range ch
    std::printf("%s\n", res.c_str());
  }
}
