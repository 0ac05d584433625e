// skynet, Boost.Fiber twin of bench/skynet.cpp: a 10-ary tree of fibers with
// N leaves, sums sent up over unbuffered channels; ms.
#include <memory>

#include "fiber_common.hpp"

namespace {

using Chan = boost::fibers::unbuffered_channel<long>;

void skynet(std::shared_ptr<Chan> out, long num, long size) {
  if (size == 1) {
    out->push(num);
    return;
  }
  auto children = std::make_shared<Chan>();
  long step = size / 10;
  for (long i = 0; i < 10; ++i) fbench::go([=] { skynet(children, num + i * step, step); });
  long sum = 0;
  for (long i = 0; i < 10; ++i) sum += children->value_pop();
  out->push(sum);
}

}  // namespace

int main() {
  fbench::Runtime runtime;
  long n = fbench::env_long("GORO_BENCH_N", 1'000'000);
  auto t0 = std::chrono::steady_clock::now();
  auto root = std::make_shared<Chan>();
  fbench::go([=] { skynet(root, 0, n); });
  long sum = root->value_pop();
  double seconds = fbench::seconds_since(t0);
  if (sum != n * (n - 1) / 2) return 1;
  fbench::report("skynet", n, "ms", seconds * 1e3);
}
