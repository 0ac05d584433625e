// Tour scenarios of seed 001 ("Applications of Goroutines & Channels in
// Go"): its request-level examples and the token cache, each run as the
// example program a user would run.
#include <algorithm>
#include <set>
#include <string>

#include "tour.hpp"

namespace tour {

void seed001_scenarios() {
  heading("001 async wait",
          "a goroutine gets a send-only channel; main blocks on res := <-ch until the value "
          "arrives a second later");
  Run run = run_example("asyncwait", {});
  measured("examples/asyncwait printed \"%s\" after %.2f s (status %d)",
           lines(run.out).empty() ? "" : lines(run.out).back().c_str(), run.seconds, run.status);

  heading("001 WaitGroup", "wg.Add(2), two workers, a channel buffered for both responses");
  run = run_example("waitgroup", {});
  measured("examples/waitgroup printed %zu responses in %.2f s (status %d)", lines(run.out).size(),
           run.seconds, run.status);

  heading("001 dynamic words",
          "a goroutine per word; order is not guaranteed, and with the loop variable copied "
          "every word is printed once (not \"dog\" N times)");
  run = run_example("words", {});
  std::vector<std::string> words = lines(run.out);
  std::set<std::string> distinct(words.begin(), words.end());
  measured("examples/words printed %zu words, %zu distinct (the sentence has 9 words, 8 distinct)",
           words.size(), distinct.size());

  heading("001 deadline",
          "a context with a deadline 1 s in the future closes Done, and the workers clean up "
          "and return");
  run = run_example("deadline", {});
  std::vector<std::string> out = lines(run.out);
  measured("examples/deadline: %zu workers stopped, main printed \"%s\" after %.2f s",
           out.empty() ? 0 : out.size() - 1, out.empty() ? "" : out.back().c_str(), run.seconds);

  heading("001 token cache",
          "a long-running refresher recovers from panics in refresh and keeps serving "
          "GetToken futures; shutdown is clean");
  run = run_example("tokencache", {"-refresh", "200ms", "-latency", "20ms", "-panic-every", "3"});
  std::vector<std::string> err = lines(run.err);
  long recovered = std::count_if(err.begin(), err.end(), [](const std::string& l) {
    return l.find("recovered from panic") != std::string::npos;
  });
  out = lines(run.out);
  measured(
      "examples/tokencache answered %zu GetToken calls, recovered from %ld injected panics, "
      "and ended with \"%s\" (status %d)",
      out.size() > 2 ? out.size() - 2 : 0, recovered, out.empty() ? "" : out.back().c_str(),
      run.status);
}

}  // namespace tour
