// Shared helpers of the bench programs: sizes from the environment, a clock,
// and the one-line JSON result format of the benchmark suite:
//   {"bench":"pingpong","impl":"goro","procs":1,"n":1000000,"metric":"ns_per_op","value":123.4}
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <goro/chan.hpp>
#include <goro/go.hpp>
#include <goro/runtime.hpp>

namespace bench {

inline long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atol(v) : fallback;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

inline void report(std::string_view bench, long n, std::string_view metric, double value) {
  std::printf(R"({"bench":"%.*s","impl":"goro","procs":%d,"n":%ld,"metric":"%.*s","value":%.1f})"
              "\n",
              int(bench.size()), bench.data(), goro::gomaxprocs(), n, int(metric.size()),
              metric.data(), value);
  std::fflush(stdout);
}

// Runs f() in a goroutine, as Go runs main in one, and returns its result
// to the calling (plain) thread.
template <class F>
auto run_in_goroutine(F f) {
  using R = decltype(f());
  auto done = goro::make_chan<R>();
  goro::go([=]() mutable { done.send(f()); });
  return done.recv().value();
}

}  // namespace bench
