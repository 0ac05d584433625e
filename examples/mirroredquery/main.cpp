// gopl.io/ch8 §8.4.4 (buffered channels): mirroredQuery makes parallel
// requests to three mirror sites and returns the quickest response; the
// slower two mirrors' responses go into the channel's buffer, so their
// goroutines end instead of leaking.
//
// The book leaves request as /* ... */; here it simulates a mirror: it
// sleeps for the mirror's latency and returns a string naming the mirror and
// that latency. Latencies are random in [-min, -max], or fixed with
// -latencies asia,europe,americas (e.g. -latencies 300ms,20ms,150ms).
// After the query, main waits for the slower mirrors and prints
// num_goroutine(): 1 with the book's buffered channel; with -unbuffered
// (make(chan string), the bug the book describes) the two slower goroutines
// stay blocked forever on their send, and the count stays at 3.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <goro/goro.hpp>

using namespace goro;

namespace {

const std::vector<std::string> mirrors = {"asia.gopl.io", "europe.gopl.io", "americas.gopl.io"};

// Each simulated mirror's latency; set by main before the query, read-only after.
std::map<std::string, time::Duration> latency;

bool unbuffered = false;  // -unbuffered: the book's goroutine leak

std::string request(const std::string& hostname) {
  time::Duration d = latency.at(hostname);
  time::sleep(d);  // the round trip to the mirror
  return hostname + " answered in " + d.string();
}

std::string mirrored_query() {
  // Go: responses := make(chan string, 3)   (-unbuffered: make(chan string))
  auto responses = make_chan<std::string>(unbuffered ? 0 : 3);
  go([responses] { responses.send(request("asia.gopl.io")); });
  go([responses] { responses.send(request("europe.gopl.io")); });
  go([responses] { responses.send(request("americas.gopl.io")); });
  return *responses.recv();  // return the quickest response
}

// "300ms,20ms,150ms" -> one Duration per mirror; exits with status 2 on error.
std::vector<time::Duration> parse_latencies(std::string_view s) {
  std::vector<time::Duration> out;
  while (!s.empty()) {
    auto comma = s.find(',');
    auto d = time::parse_duration(s.substr(0, comma));
    if (!d) {
      std::fprintf(stderr, "mirroredquery: -latencies: %s\n", d.error().message().c_str());
      std::exit(2);
    }
    out.push_back(*d);
    s = comma == s.npos ? std::string_view() : s.substr(comma + 1);
  }
  if (out.size() != mirrors.size()) {
    std::fprintf(stderr, "mirroredquery: -latencies wants %zu durations, got %zu\n", mirrors.size(),
                 out.size());
    std::exit(2);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  auto latencies = flag::string("latencies", "",
                                "fixed latencies of asia,europe,americas (e.g. 300ms,20ms,150ms); "
                                "random when empty");
  auto min = flag::duration("min", 10 * time::Millisecond, "least random latency");
  auto max = flag::duration("max", 500 * time::Millisecond, "greatest random latency");
  auto unbuffered_flag = flag::boolean("unbuffered", false,
                                       "use an unbuffered channel: the two slower goroutines leak");
  auto grace = flag::duration("grace", 1 * time::Second,
                              "how long to wait for the slower mirrors beyond the slowest latency");
  flag::parse(argc, argv);
  unbuffered = *unbuffered_flag;

  time::Duration slowest;
  if (!latencies->empty()) {
    auto ds = parse_latencies(*latencies);
    for (std::size_t i = 0; i < mirrors.size(); ++i) latency[mirrors[i]] = ds[i];
  } else {
    std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<int64_t> dist(min->nanoseconds(),
                                                std::max(min->nanoseconds(), max->nanoseconds()));
    for (const auto& m : mirrors) latency[m] = time::Duration(dist(rng));
  }
  for (const auto& m : mirrors) {
    std::printf("mirror %-16s latency %s\n", m.c_str(), latency[m].string().c_str());
    slowest = std::max(slowest, latency[m]);
  }

  auto start = time::now();
  std::string response = mirrored_query();
  auto returned = time::now();
  std::printf("quickest response: %s (mirroredQuery returned after %s)\n", response.c_str(),
              returned.sub(start).string().c_str());
  std::printf("goroutines when mirroredQuery returned: %d\n", num_goroutine());
  std::fflush(stdout);

  // Wait for the slower mirrors to answer: their goroutines end once their
  // responses are in the buffer (or, unbuffered, block forever on the send).
  // (Counted from when the query returned, which is after the slower
  // requests began: generous on a loaded machine.)
  while (num_goroutine() > 1 && time::since(returned) < slowest + *grace) {
    time::sleep(5 * time::Millisecond);
  }
  int n = num_goroutine();
  std::printf("goroutines after the slower mirrors answered: %d\n", n);
  if (n > 1) {
    std::printf("goroutine leak: %d goroutines blocked forever sending on responses\n", n - 1);
  } else {
    std::printf("no goroutine leak: the slower responses went into the buffer\n");
  }
}
