// gopl.io/ch8/crawl3
// Crawl3 crawls web links starting with the command-line arguments.
//
// This version uses bounded parallelism.
// For simplicity, it does not address the termination problem.
// (goro: once every reachable link has been crawled, main waits on the
// worklist and the 20 crawlers on unseenLinks; nothing can wake them, so
// goro's deadlock detector ends the program with "fatal error: all
// goroutines are asleep - deadlock!", exit status 2. Go's detector does the
// same once http.DefaultTransport's idle connections have timed out.)
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
  auto worklist = make_chan<std::vector<std::string>>();  // lists of URLs, may have duplicates
  auto unseen_links = make_chan<std::string>();           // de-duplicated URLs

  // Add command-line arguments to worklist.
  std::vector<std::string> args(argv + 1, argv + argc);  // Go: os.Args[1:]
  go([worklist, args] { worklist.send(args); });

  // Create 20 crawler goroutines to fetch each unseen link.
  for (int i = 0; i < 20; i++) {
    go([worklist, unseen_links] {
      for (const std::string& link : unseen_links) {
        std::vector<std::string> found_links = crawl(link);
        go([worklist, found_links] { worklist.send(found_links); });
      }
    });
  }

  // The main goroutine de-duplicates worklist items
  // and sends the unseen ones to the crawlers.
  std::unordered_map<std::string, bool> seen;  // Go: seen := make(map[string]bool)
  for (const std::vector<std::string>& list : worklist) {
    for (const std::string& link : list) {
      if (!seen[link]) {
        seen[link] = true;
        unseen_links.send(link);
      }
    }
  }
}
