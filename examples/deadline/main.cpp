// deadline: "Applications of Goroutines & Channels in Go", request-level
// processing — handling deadlines with the context package.
//
// "We fork the background parent context and set a deadline 1 second in the
// future. When the deadline occurs, it will close the Done channel which can
// be used to signal to our goroutines that we should handle any clean up and
// return." Each worker does units of (simulated) work until ctx.Done() is
// closed, then cleans up and returns; main waits for them and prints
// ctx.Err(). The -deadline flag changes how far in the future the deadline is.
//
// Go original (reconstructed from the article's prose):
//
//   var deadline = flag.Duration("deadline", time.Second, "how long the workers may run")
//
//   func worker(ctx context.Context, wg *sync.WaitGroup, id int) {
//       defer wg.Done()
//       units := 0
//       for {
//           select {
//           case <-ctx.Done():
//               // clean up and return
//               fmt.Printf("worker %d: stopping after %d units of work\n", id, units)
//               return
//           case <-time.After(100 * time.Millisecond): // a unit of work
//               units++
//           }
//       }
//   }
//
//   func main() {
//       flag.Parse()
//       ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(*deadline))
//       defer cancel()
//       var wg sync.WaitGroup
//       for i := 1; i <= 3; i++ {
//           wg.Add(1)
//           go worker(ctx, &wg, i)
//       }
//       wg.Wait()
//       fmt.Println(ctx.Err())
//   }
#include <cstdio>

#include <goro/goro.hpp>

using namespace goro;

const time::Duration* deadline =
    flag::duration("deadline", time::Second, "how long the workers may run");

void worker(Context ctx, WaitGroup* wg, int id) {
  int units = 0;
  for (;;) {
    int chosen = select(recv(ctx.done()),                           // case <-ctx.Done():
                        recv(time::after(100 * time::Millisecond),  // a unit of work
                             [&] { units++; }));
    if (chosen == 0) {
      // clean up and return
      std::printf("worker %d: stopping after %d units of work\n", id, units);
      wg->done();  // defer wg.Done()
      return;
    }
  }
}

int main(int argc, char** argv) {
  flag::parse(argc, argv);
  auto [ctx, cancel] = context::with_deadline(context::background(), time::now() + *deadline);
  WaitGroup wg;
  for (int i = 1; i <= 3; i++) {
    wg.add(1);
    go(worker, ctx, &wg, i);
  }
  wg.wait();
  std::printf("%s\n", ctx.err().message().c_str());  // fmt.Println(ctx.Err())
  cancel();                                          // defer cancel()
}
