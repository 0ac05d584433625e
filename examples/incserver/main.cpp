// Seed 000's server.go: every GET /inc sleeps 0-200 ms at random, then
// increments a shared counter and answers "The count is: N".
//
// Go's version increments `counter` from many goroutines without a lock (a
// data race); here a goro::Mutex guards it, so the counts are exact.
//
//   incserver [-port 8080]
#include <random>
#include <string>

#include <goro/flag.hpp>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/http.hpp>

namespace http = goro::http;
namespace time_ = goro::time;

namespace {

goro::Mutex mu;
int counter = 0;  // guarded by mu

double rand_float64() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t* port = goro::flag::integer("port", 8080, "port to listen on");
  goro::flag::parse(argc, argv);

  http::handle_func("/inc", [](http::ResponseWriter& w, http::Request&) {
    auto duration = time_::Duration(int64_t(rand_float64() * 200)) * time_::Millisecond;
    goro::fmt::println("Sleeping for: ", duration.string());
    time_::sleep(duration);
    std::string msg;
    {
      std::lock_guard lock(mu);
      counter++;
      msg = goro::fmt::sprintf("The count is: {}", counter);
    }
    goro::fmt::println(msg);
    goro::fmt::fprintf(w, "{}", msg);
  });

  goro::Error err = http::listen_and_serve(goro::fmt::sprintf(":{}", *port));
  goro::fmt::fprintln(goro::os::stderr(), err.message());  // log.Fatal
  return 1;
}
