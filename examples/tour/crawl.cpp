// Tour scenario for gopl.io §8.6, the concurrent web crawler: the tour
// serves a generated site on 127.0.0.1 with goro::http (every response held
// 100 ms, so that concurrent requests overlap), runs crawl1, crawl2 and
// crawl3 against it as child processes, and reports what the server saw:
// requests in flight at once (the peak), pages fetched, how each crawler
// ended. The reachable pages are computed from the generated graph.
//
// The server's counters are atomics touched by its handler goroutines; the
// scenario closes the server and waits for every handler and for the serve
// goroutine before it returns.
#include <atomic>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include <goro/goro.hpp>
#include <goro/http.hpp>

#include "tour.hpp"

namespace tour {

namespace {

using namespace goro;

constexpr int pages = 200;  // /page/0 .. /page/199; /page/190 .. are linked by nobody
constexpr int linked = 190;
const time::Duration hold = 100 * time::Millisecond;  // long enough to overlap under TSan too

// links[i]: the pages /page/i links to (absolute paths; some twice).
std::vector<std::vector<int>> make_graph() {
  std::vector<std::vector<int>> links(pages);
  unsigned seed = 8;
  for (int i = 0; i < linked; ++i) {
    links[i].push_back((i + 1) % linked);  // a cycle through the linked pages
    int fan_out = i == 0 ? 60 : i % 20 == 0 ? 30 : 3;
    for (int k = 0; k < fan_out; ++k) {
      seed = seed * 1103515245u + 12345u;
      links[i].push_back(int((seed >> 8) % linked));
    }
    links[i].push_back(links[i].back());  // a duplicate
  }
  return links;
}

int reachable_from_0(const std::vector<std::vector<int>>& links) {
  std::set<int> seen{0};
  std::vector<int> todo{0};
  while (!todo.empty()) {
    int p = todo.back();
    todo.pop_back();
    for (int q : links[p])
      if (seen.insert(q).second) todo.push_back(q);
  }
  return int(seen.size());
}

class Site {
 public:
  Site() : links_(make_graph()) {
    http::ServeMux mux;
    mux.handle_func("/page/", [this](http::ResponseWriter& w, http::Request& r) { serve(w, r); });
    srv_.handler = mux;
    auto ln = net::listen("tcp", "127.0.0.1:0");
    if (!ln) return;
    start_ = "http://" + ln->addr().string() + "/page/0";
    go([this, l = *ln] { served_.send(srv_.serve(l)); });
  }
  ~Site() {
    if (start_.empty()) return;
    srv_.close();
    served_.recv();
    while (in_flight_ > 0) time::sleep(time::Millisecond);  // handlers use this
  }
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  const std::string& start_url() const { return start_; }
  int reachable() const { return reachable_from_0(links_); }
  // Resets the counters for the next crawler.
  void reset() {
    peak_ = 0;
    requests_ = 0;
  }
  int peak() const { return peak_; }
  int requests() const { return requests_; }

 private:
  void serve(http::ResponseWriter& w, http::Request& r) {
    ++requests_;
    int now = ++in_flight_;
    for (int p = peak_.load(); now > p && !peak_.compare_exchange_weak(p, now);) {
    }
    time::sleep(hold);
    int i = std::atoi(r.path().c_str() + 6);  // "/page/<i>"
    std::string html = "<html><body><h1>page " + std::to_string(i) + "</h1>\n";
    if (i >= 0 && i < pages)
      for (int q : links_[i])
        html += "<a href=\"/page/" + std::to_string(q) + "\">" + std::to_string(q) + "</a>\n";
    html += "</body></html>\n";
    w.header().set("Content-Type", "text/html");
    w.write(html);
    --in_flight_;
  }

  std::vector<std::vector<int>> links_;
  std::atomic<int> in_flight_{0}, peak_{0}, requests_{0};
  http::Server srv_;
  Chan<Error> served_ = make_chan<Error>(1);
  std::string start_;
};

// Runs a crawler from /page/0; max_open_files > 0: under `ulimit -n` that.
void crawl_with(Site& site, const char* name, int max_open_files = 0) {
  site.reset();
  Run run = run_example(name, {site.start_url()}, "", 60, max_open_files);
  std::vector<std::string> visited = lines(run.out);
  std::set<std::string> distinct(visited.begin(), visited.end());
  std::size_t no_fds = 0;  // log lines: "... socket: too many open files"
  for (const std::string& l : lines(run.err))
    if (l.find("too many open files") != std::string::npos) ++no_fds;
  bool deadlock = run.err.find("all goroutines are asleep - deadlock!") != std::string::npos;
  std::string who = name;
  if (max_open_files > 0) who += " with ulimit -n " + std::to_string(max_open_files);
  measured(
      "%s: printed %zu URLs (%zu distinct) of %d reachable pages; the server saw %d requests, "
      "at most %d in flight; %zu fetches failed with \"too many open files\"; %s after %.2f s",
      who.c_str(), visited.size(), distinct.size(), site.reachable(), site.requests(), site.peak(),
      no_fds,
      run.status == 0 ? "exited with status 0"
      : deadlock      ? "ended by goro's deadlock detector (status 2)"
                      : "did not end normally",
      run.seconds);
}

}  // namespace

void crawl_scenario() {
  heading("8.6 concurrent web crawler",
          "crawl1 is too parallel (it soon fails with \"too many open files\") and never "
          "terminates; crawl2's tokens semaphore keeps at "
          "most 20 requests in flight and it terminates when n falls to zero; crawl3's 20 "
          "long-lived crawlers also keep at most 20, without addressing termination");
  Site site;
  if (site.start_url().empty()) return measured("crawl: could not listen on 127.0.0.1");
  measured("serving %d pages on %s, every response held %s; %d reachable from /page/0", pages,
           site.start_url().c_str(), hold.string().c_str(), site.reachable());
  for (const char* name : {"crawl1", "crawl2", "crawl3"}) crawl_with(site, name);
  // The book's first problem with crawl1: it runs out of file descriptors.
  // A goro program starts with about 8 open; 40 leaves room for crawl2's 20
  // connections, not for crawl1's.
  if (under_asan) {
    measured("crawl1 and crawl2 with ulimit -n 40: skipped in this ASan + UBSan build");
  } else {
    for (const char* name : {"crawl1", "crawl2"}) crawl_with(site, name, 40);
  }
  measured("fetched one at a time, the %d pages would take at least %.1f s (%d x %s)",
           site.reachable(), site.reachable() * hold.seconds(), site.reachable(),
           hold.string().c_str());
}

}  // namespace tour
