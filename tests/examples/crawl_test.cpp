// End-to-end: gopl.io/ch8 crawl1, crawl2 and crawl3 crawl a generated site
// served by this test on 127.0.0.1 (a goro::http::Server in the test
// process). The site has a few hundred pages: a cycle through all the
// linked ones, hub pages with dozens of links, duplicate links written in
// different forms (absolute, root-relative, relative, "../", empty), links
// to pages that answer 404, links to pages that moved (301) whose relative
// links resolve against where they moved (Go's resp.Request.URL), and pages
// nothing links to (two named only by <link href> and <img src>, which are
// not <a href>). The test
// computes the reachable URLs from the graph it generated and checks what
// each crawler printed and what the server saw:
//  - every crawler prints every reachable URL exactly once, and nothing else;
//    the server is asked for each reachable page exactly once (a moved
//    one: once where it was, once where it moved);
//  - each 404 is logged as "getting URL: 404 Not Found";
//  - crawl2 (tokens semaphore of 20) and crawl3 (20 crawler goroutines)
//    never have more than 20 requests in the server at once; crawl1 has no
//    limit, and the same measurement shows it going well past 20 (so the
//    measurement can see a violation: every response is held for a while,
//    so that overlapping requests really overlap);
//  - crawl2 terminates (its counter n reaches zero);
//  - crawl1 and crawl3 never terminate by themselves, as the book says
//    ("it never terminates"; crawl3 "does not address the problem of
//    termination"): once the site is exhausted, main waits on the worklist
//    forever. In goro nothing is left that could wake it — the HTTP client
//    pools idle connections without goroutines — so the runtime's deadlock
//    detector ends the program: "fatal error: all goroutines are asleep -
//    deadlock!", exit status 2. (Go's crawl1 hangs until its transport's
//    idle connections time out, then dies the same way.) A timeout kills
//    the crawler if it hangs instead, and then the test fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <goro/goro.hpp>
#include <goro/http.hpp>

#include "support/checks.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
namespace http = goro::http;

namespace {

constexpr int linked_pages = 280;  // /page/0 .. /page/279: on the cycle
constexpr int moved_pages = 6;     // /moved/280 .. /moved/285 answer 301 to /page/<same>
constexpr int total_pages = 300;   // /page/286 .. /page/299: no <a href> leads there

// One link of a page: the path it leads to ("/page/5", "/missing/2",
// "/moved/281"), and how the page writes it.
struct Link {
  std::string path;
  std::string href;
};

// "/page/17" -> 17 for a path under prefix ("/page/"), else -1.
int number_in(const std::string& path, const std::string& prefix) {
  if (!path.starts_with(prefix) || path.size() == prefix.size() ||
      path.find_first_not_of("0123456789", prefix.size()) != std::string::npos)
    return -1;
  return std::stoi(path.substr(prefix.size()));
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = s.find('\n', pos)) != std::string::npos; pos = nl + 1)
    out.push_back(s.substr(pos, nl - pos));
  if (pos < s.size()) out.push_back(s.substr(pos));
  return out;
}

// The generated site and the server that serves it. Handlers count requests
// per path and the greatest number of requests in flight at once.
class Site {
 public:
  explicit Site(goro::time::Duration hold) : hold_(hold) {
    auto ln = goro::net::listen("tcp", "127.0.0.1:0");
    EXPECT_TRUE(ln.has_value());
    origin_ = "http://" + ln->addr().string();
    generate();
    http::ServeMux mux;
    mux.handle_func("/page/", [this](http::ResponseWriter& w, http::Request& r) { serve(w, r); });
    mux.handle_func("/missing/", [this](http::ResponseWriter& w, http::Request& r) {
      count(r.path());
      http::not_found(w, r);
    });
    // Moved pages: their relative links resolve against /page/<i>, where
    // the redirect leads, not against /moved/<i>.
    mux.handle_func("/moved/", [this](http::ResponseWriter& w, http::Request& r) {
      count(r.path());
      int i = number_in(r.path(), "/moved/");
      if (i >= linked_pages && i < linked_pages + moved_pages) {
        http::redirect(w, r, "/page/" + std::to_string(i), http::StatusMovedPermanently);
      } else {
        http::not_found(w, r);
      }
    });
    srv_.handler = mux;
    goro::go([this, l = *ln] { served_.send(srv_.serve(l)); });
  }

  ~Site() {
    srv_.close();
    // Handlers still holding a request (a crawler that was killed) use this.
    EXPECT_TRUE(eventually([this] { return in_flight_.load() == 0; }));
    EXPECT_EQ(*served_.recv(), http::err_server_closed);
  }

  const std::string& origin() const { return origin_; }
  std::string page_url(int i) const { return origin_ + "/page/" + std::to_string(i); }

  // The paths of every URL a crawl from /page/0 visits: breadth-first over
  // the graph (a moved page's links are those of the page it moved to).
  std::set<std::string> reachable_paths() const {
    std::set<std::string> seen{"/page/0"};
    std::vector<std::string> frontier{"/page/0"};
    while (!frontier.empty()) {
      std::string p = frontier.back();
      frontier.pop_back();
      int i = std::max(number_in(p, "/page/"), number_in(p, "/moved/"));
      if (i < 0) continue;  // a 404 has no links
      for (const Link& l : links_[std::size_t(i)])
        if (seen.insert(l.path).second) frontier.push_back(l.path);
    }
    return seen;
  }
  std::set<std::string> reachable() const {
    std::set<std::string> urls;
    for (const std::string& p : reachable_paths()) urls.insert(origin_ + p);
    return urls;
  }

  std::vector<std::string> missing_reachable() const {
    std::vector<std::string> out;
    for (const std::string& u : reachable())
      if (u.find("/missing/") != std::string::npos) out.push_back(u);
    return out;
  }

  int peak_in_flight() const { return peak_.load(); }
  std::map<std::string, int> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void generate() {
    std::uint32_t seed = 2015;
    auto rand = [&seed](int n) {
      seed = seed * 1103515245u + 12345u;
      return int((seed >> 8) % std::uint32_t(n));
    };
    links_.resize(total_pages);
    for (int i = 0; i < linked_pages + moved_pages; ++i) {
      auto& ls = links_[std::size_t(i)];
      auto add = [&](int t) {
        // The same target in one of five spellings, all resolving to one URL.
        std::string path = "/page/" + std::to_string(t);
        switch (i >= linked_pages ? 2 : rand(5)) {  // moved pages: relative links only
          case 0:
            ls.push_back({path, origin_ + path});
            break;
          case 1:
            ls.push_back({path, path});
            break;
          case 2:
            ls.push_back({path, std::to_string(t)});
            break;  // relative to /page/i
          case 3:
            ls.push_back({path, "../page/" + std::to_string(t)});
            break;
          default:
            ls.push_back({path, "./" + std::to_string(t)});
            break;
        }
      };
      add((i + 1) % linked_pages);                      // the cycle through every linked page
      int extra = i == 0 ? 120 : i % 25 == 0 ? 40 : 3;  // the start page and hubs fan out
      for (int k = 0; k < extra; ++k) add(rand(linked_pages));
      add(number_in(ls.back().path, "/page/"));  // a duplicate
      if (i >= linked_pages) continue;
      ls.push_back({"/page/" + std::to_string(i), ""});  // an empty href: the page itself
      if (i % 37 == 5) {
        std::string missing = "/missing/" + std::to_string(i / 37);
        ls.push_back({missing, missing});
      }
      if (i % 50 == 7) {  // 7, 57, ..., 257: a link to each moved page
        std::string moved = "/moved/" + std::to_string(linked_pages + i / 50);
        ls.push_back({moved, moved});
      }
    }
    for (int i = 0; i < total_pages; ++i) {
      std::string html = "<!DOCTYPE html>\n<html><head><title>page " + std::to_string(i) +
                         "</title><link rel=\"next\" href=\"/page/290\"></head><body>\n";
      html += "<h1>Page " + std::to_string(i) + "</h1><img src=\"/page/291\"><a name=\"top\">\n";
      for (const Link& l : links_[std::size_t(i)])
        html += "<p><a class=\"x\" href=\"" + l.href + "\">to " + l.path + "</a></p>\n";
      html += "</body></html>\n";
      pages_.push_back(std::move(html));
    }
  }

  void count(const std::string& path) {
    std::lock_guard lock(mu_);
    ++requests_[path];
  }

  void serve(http::ResponseWriter& w, http::Request& r) {
    count(r.path());
    int now = ++in_flight_;
    for (int p = peak_.load(); now > p && !peak_.compare_exchange_weak(p, now);) {
    }
    goro::time::sleep(hold_);  // hold the request so that concurrent ones overlap
    int i = number_in(r.path(), "/page/");
    if (i >= 0 && i < total_pages) {
      w.header().set("Content-Type", "text/html; charset=utf-8");
      w.write(pages_[std::size_t(i)]);
    } else {
      http::not_found(w, r);
    }
    --in_flight_;
  }

  goro::time::Duration hold_;
  std::string origin_;
  std::vector<std::vector<Link>> links_;
  std::vector<std::string> pages_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> peak_{0};
  mutable goro::Mutex mu_;
  std::map<std::string, int> requests_;  // under mu_
  http::Server srv_;
  goro::Chan<goro::Error> served_ = goro::make_chan<goro::Error>(1);
};

// What every crawler must have done, whatever its concurrency.
void expect_visited_each_reachable_url_once(const Site& site, const ProcessResult& r) {
  std::set<std::string> want = site.reachable();
  ASSERT_GT(want.size(), 250u);  // the generated graph reaches most pages
  std::map<std::string, int> printed;
  for (const std::string& line : split_lines(r.out)) ++printed[line];
  for (const auto& [url, times] : printed) {
    EXPECT_EQ(times, 1) << url << " printed " << times << " times";
    EXPECT_TRUE(want.contains(url)) << "visited " << url << ", which no <a href> leads to";
  }
  for (const std::string& url : want) EXPECT_TRUE(printed.contains(url)) << "missed " << url;

  // The server was asked for each reachable page once, and for no other;
  // a moved page's request was followed by one for where it moved.
  std::set<std::string> paths = site.reachable_paths();
  int moved = 0;
  for (const std::string& p : site.reachable_paths())
    if (int i = number_in(p, "/moved/"); i >= 0)
      paths.insert("/page/" + std::to_string(i)), ++moved;
  EXPECT_EQ(moved, moved_pages);
  std::map<std::string, int> asked = site.requests();
  EXPECT_EQ(asked.size(), paths.size());
  for (const std::string& p : paths) EXPECT_EQ(asked[p], 1) << p;

  // Each broken link was logged (Go's log.Print: "date time message").
  std::vector<std::string> missing = site.missing_reachable();
  ASSERT_FALSE(missing.empty());
  for (const std::string& url : missing)
    EXPECT_NE(r.err.find(" getting " + url + ": 404 Not Found\n"), std::string::npos)
        << url << " in\n"
        << r.err;
}

ProcessResult crawl(const char* name, const Site& site) {
  return run_process({example_path(name), site.page_url(0)}, "", 120s);
}

// crawl1 and crawl3 end only when the deadlock detector sees main waiting
// on the worklist with nothing left to wake it.
void expect_ended_by_deadlock(const ProcessResult& r) {
  EXPECT_FALSE(r.timed_out) << "hung instead of ending with the deadlock report";
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fatal error: all goroutines are asleep - deadlock!"), std::string::npos)
      << r.err;
}

TEST(Crawl, Crawl2VisitsEveryPageOnceWithAtMost20RequestsAndTerminates) {
  Site site(20 * goro::time::Millisecond);
  ProcessResult r = crawl("crawl2", site);
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  expect_visited_each_reachable_url_once(site, r);
  EXPECT_LE(site.peak_in_flight(), 20);
  EXPECT_GT(site.peak_in_flight(), 1) << "the crawl did not run concurrently";
  std::printf("crawl2: peak %d requests in flight\n", site.peak_in_flight());
  // Only the 404s were logged: one line each.
  EXPECT_EQ(split_lines(r.err).size(), site.missing_reachable().size()) << r.err;
}

TEST(Crawl, Crawl3VisitsEveryPageOnceWith20CrawlersAndNeverTerminates) {
  Site site(20 * goro::time::Millisecond);
  ProcessResult r = crawl("crawl3", site);
  expect_visited_each_reachable_url_once(site, r);
  EXPECT_LE(site.peak_in_flight(), 20);
  EXPECT_GT(site.peak_in_flight(), 1) << "the crawl did not run concurrently";
  std::printf("crawl3: peak %d requests in flight\n", site.peak_in_flight());
  expect_ended_by_deadlock(r);
}

TEST(Crawl, Crawl1VisitsEveryPageWithUnboundedConcurrencyAndNeverTerminates) {
  // Held longer, so that the start page's 120 links are all in the server
  // at once even on a loaded machine.
  Site site(100 * goro::time::Millisecond);
  ProcessResult r = crawl("crawl1", site);
  expect_visited_each_reachable_url_once(site, r);
  EXPECT_GT(site.peak_in_flight(), 20) << "crawl1 has no limit on concurrent requests";
  std::printf("crawl1: peak %d requests in flight\n", site.peak_in_flight());
  expect_ended_by_deadlock(r);
}

TEST(Crawl, UnreachableStartIsLoggedAndCrawl2Terminates) {
  // A port nothing listens on: the start URL is printed, its error logged.
  auto ln = goro::net::listen("tcp", "127.0.0.1:0");
  ASSERT_TRUE(ln.has_value());
  std::string url = "http://" + ln->addr().string() + "/";
  ln->close();
  ProcessResult r = run_process({example_path("crawl2"), url}, "", 60s);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, url + "\n");
  EXPECT_NE(r.err.find("Get \"" + url + "\": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("connection refused"), std::string::npos) << r.err;
}

TEST(Crawl, Crawl2WithNoArgumentsDoesNothing) {
  ProcessResult r = run_process({example_path("crawl2")}, "", 30s);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

}  // namespace
