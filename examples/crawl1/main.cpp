// gopl.io/ch8/crawl1
// Crawl1 crawls web links starting with the command-line arguments.
//
// This version quickly exhausts available file descriptors
// due to excessive concurrent calls to links.Extract.
//
// Also, it never terminates because the worklist is never closed.
// (goro: once every reachable link has been crawled, main waits on the
// worklist and every other goroutine has ended; nothing can wake main, so
// goro's deadlock detector ends the program with "fatal error: all
// goroutines are asleep - deadlock!", exit status 2. Go's detector does the
// same once http.DefaultTransport's idle connections, whose goroutines wait
// on the network, have timed out.)
#include <string>
#include <unordered_map>
#include <vector>

#include <goro/fmt.hpp>
#include <goro/goro.hpp>

#include "links.hpp"

using namespace goro;

// Go: log.Print(err) — "2009/11/10 23:00:00 message" on stderr.
void log_print(const Error& err) {
  goro::fmt::fprintf(os::stderr(), "{} {}\n", time::now().format("2006/01/02 15:04:05"),
                     err.message());
}

std::vector<std::string> crawl(const std::string& url) {
  goro::fmt::println(url);
  auto list = links::extract(url);
  if (!list) {
    log_print(list.error());
    return {};
  }
  return *list;
}

int main(int argc, char** argv) {
  auto worklist = make_chan<std::vector<std::string>>();

  // Start with the command-line arguments.
  std::vector<std::string> args(argv + 1, argv + argc);  // Go: os.Args[1:]
  go([worklist, args] { worklist.send(args); });

  // Crawl the web concurrently.
  std::unordered_map<std::string, bool> seen;  // Go: seen := make(map[string]bool)
  for (const std::vector<std::string>& list : worklist) {
    for (const std::string& link : list) {
      if (!seen[link]) {
        seen[link] = true;
        go([worklist](std::string link) { worklist.send(crawl(link)); }, link);
      }
    }
  }
}
