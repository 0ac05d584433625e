// chan-throughput, Boost.Fiber twin of bench/chan_throughput.cpp: 4 producers
// and 4 consumers share one channel (unbuffered for GORO_BENCH_CAP=0, else a
// buffered_channel of that capacity, a power of two); N ints; msgs per s.
#include "fiber_common.hpp"

namespace {

template <class Chan>
double run(Chan& ch, long n) {
  constexpr int producers = 4, consumers = 4;
  fbench::WaitGroup sent, received;
  std::atomic<long> sum{0};
  auto t0 = std::chrono::steady_clock::now();
  sent.add(producers);
  for (int p = 0; p < producers; ++p)
    fbench::go([&, p] {
      for (long i = p; i < n; i += producers) ch.push(i);
      sent.done();
    });
  received.add(consumers);
  for (int c = 0; c < consumers; ++c)
    fbench::go([&] {
      long local = 0;
      for (long v : ch) local += v;
      sum += local;
      received.done();
    });
  sent.wait();
  ch.close();
  received.wait();
  double seconds = fbench::seconds_since(t0);
  return sum == n * (n - 1) / 2 ? seconds : -1.0;
}

}  // namespace

int main() {
  fbench::Runtime runtime;
  long n = fbench::env_long("GORO_BENCH_N", 10'000'000);
  long cap = fbench::env_long("GORO_BENCH_CAP", 0);
  double seconds;
  if (cap == 0) {
    boost::fibers::unbuffered_channel<long> ch;
    seconds = run(ch, n);
  } else {
    boost::fibers::buffered_channel<long> ch(static_cast<std::size_t>(cap));
    seconds = run(ch, n);
  }
  if (seconds < 0) return 1;
  fbench::report(cap == 0 ? "chan-throughput-cap0" : "chan-throughput-cap1024", n, "msgs_per_s",
                 double(n) / seconds);
}
