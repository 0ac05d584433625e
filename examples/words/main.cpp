// words: "Applications of Goroutines & Channels in Go", request-level
// processing — the dynamic version of the WaitGroup example.
//
//   1. Create a channel with a small buffer size.
//   2. Create a done channel to signal the printer goroutine to stop.
//   3. Spawn the printer goroutine: it prints every word it receives until
//      done is closed, and marks each printed word done in the WaitGroup.
//   4. Spawn a goroutine per word that sends the word on the channel.
//   5. Wait until every word has been printed, then close done.
//
// The words come out in no particular order: they are sent asynchronously.
// The article's Go gotcha — before Go 1.22 the loop variable `word` was one
// variable shared by every iteration, so goroutines that read it late all
// saw the last word and printed "dog" nine times — is fixed by copying the
// variable (`word := word`) before starting the goroutine.
//
// Go original (reconstructed from the article's prose):
//
//   func main() {
//       words := strings.Split("the quick brown fox jumped over the lazy dog", " ")
//       ch := make(chan string, 3)
//       done := make(chan struct{})
//       var wg sync.WaitGroup
//       wg.Add(len(words))
//       go func() {
//           for {
//               select {
//               case word := <-ch:
//                   fmt.Println(word)
//                   wg.Done()
//               case <-done:
//                   return
//               }
//           }
//       }()
//       for _, word := range words {
//           word := word // copy the variable
//           go func() {
//               ch <- word
//           }()
//       }
//       wg.Wait()
//       close(done)
//   }
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <goro/goro.hpp>

using namespace goro;

int main() {
  // words := strings.Split("the quick brown fox jumped over the lazy dog", " ")
  std::vector<std::string> words;
  std::istringstream in("the quick brown fox jumped over the lazy dog");
  for (std::string w; in >> w;) words.push_back(w);

  auto ch = make_chan<std::string>(3);  // 1. a small buffer
  auto done = make_chan<Event>();       // 2. done := make(chan struct{})
  WaitGroup wg;
  wg.add(int(words.size()));

  // 3. the printer
  go([ch, done, &wg] {
    for (;;) {
      std::optional<std::string> word;
      int chosen = select(recv(ch, &word),  // case word := <-ch:
                          recv(done));      // case <-done:
      if (chosen == 1) return;
      std::printf("%s\n", word.value().c_str());
      wg.done();
    }
  });

  // 4. a goroutine per word
  for (const std::string& word : words) {
    // Go: word := word; go func() { ch <- word }()
    // The lambda captures `word` by value: the closure gets its own copy
    // when go() is called, which is exactly the `word := word` fix. Writing
    // the gotcha in C++ takes a variable shared across iterations captured
    // by reference — `std::string word; for (...) { word = w; go([&] {...}); }`
    // — and prints whatever `word` holds when each goroutine runs (or worse,
    // reads it after it is gone).
    go([ch, word] { ch.send(word); });
  }

  wg.wait();     // 5. every word has been printed
  done.close();  // close(done): the printer returns
}
