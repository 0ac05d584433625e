// gopl.io/ch8/crawl2
// Crawl2 crawls web links starting with the command-line arguments.
//
// This version uses a buffered channel as a counting semaphore
// to limit the number of concurrent calls to links.Extract.
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

// tokens is a counting semaphore used to
// enforce a limit of 20 concurrent requests.
Chan<Event> tokens = make_chan<Event>(20);  // Go: make(chan struct{}, 20)

std::vector<std::string> crawl(const std::string& url) {
  goro::fmt::println(url);
  tokens.send(Event{});  // acquire a token
  auto list = links::extract(url);
  (void)tokens.recv();  // release the token

  if (!list) {
    log_print(list.error());
    return {};
  }
  return *list;
}

int main(int argc, char** argv) {
  auto worklist = make_chan<std::vector<std::string>>();
  int n = 0;  // number of pending sends to worklist

  // Start with the command-line arguments.
  n++;
  std::vector<std::string> args(argv + 1, argv + argc);  // Go: os.Args[1:]
  go([worklist, args] { worklist.send(args); });

  // Crawl the web concurrently.
  std::unordered_map<std::string, bool> seen;  // Go: seen := make(map[string]bool)
  for (; n > 0; n--) {
    std::vector<std::string> list = *worklist.recv();
    for (const std::string& link : list) {
      if (!seen[link]) {
        seen[link] = true;
        n++;
        go([worklist](std::string link) { worklist.send(crawl(link)); }, link);
      }
    }
  }
}
