// The poller's place in the scheduling loop: which M blocks in epoll, the
// non-blocking polls of Ms looking for work and of sysmon, and making sure
// someone polls for a plain thread. See netpoll.hpp for the protocol.
//
// Invariants: poller_m is set (by CAS) only by an idle M without a P, and
// cleared by that M when its poll returns. last_poll_ns is the monotonic
// time the last poll of any kind returned (a hint for sysmon).
#include <atomic>

#include "netpoll/netpoll.hpp"
#include "sched/scheduler.hpp"

namespace goro::rt {

namespace {

std::atomic<M*> poller_m{nullptr};
std::atomic<int64_t> last_poll_ns{0};
constexpr int64_t sysmon_poll_after_ns = 10'000'000;

}  // namespace

bool netpoll_idle_block(M* m, int64_t timeout_ns, IoList& out) {
  M* none = nullptr;
  if (!netpoll_inited() || !poller_m.compare_exchange_strong(none, m))
    return m->park.sleep(timeout_ns);
  // Pairs with netpoll_wake_m: either start_m sees us as the poller and
  // breaks the poll, or we see the P it handed us and do not block.
  store_load_barrier();
  if (m->next_p.load()) {
    poller_m.store(nullptr);
    return true;
  }
  bool broke = netpoll(timeout_ns, out);
  last_poll_ns.store(monotonic_ns(), std::memory_order_relaxed);
  poller_m.store(nullptr);
  if (broke || !out.empty()) return true;
  // A timeout may also be a wake-up whose break another poll consumed; the
  // caller re-checks next_p either way.
  return m->next_p.load() != nullptr;
}

void netpoll_wake_m(M* m) {
  store_load_barrier();
  if (poller_m.load() == m) netpoll_break();
}

bool netpoll_poll_if_needed() {
  if (!netpoll_inited() || io_waiters() == 0 || poller_m.load(std::memory_order_relaxed))
    return false;
  IoList woken;
  netpoll(0, woken);
  last_poll_ns.store(monotonic_ns(), std::memory_order_relaxed);
  if (woken.empty()) return false;
  woken.wake_all();
  return true;
}

void netpoll_sysmon(int64_t now_ns) {
  if (!netpoll_inited() || io_waiters() == 0 || poller_m.load()) return;
  if (now_ns - last_poll_ns.load(std::memory_order_relaxed) < sysmon_poll_after_ns) return;
  IoList woken;
  netpoll(0, woken);
  last_poll_ns.store(monotonic_ns(), std::memory_order_relaxed);
  woken.wake_all();  // sysmon has no P: goroutines go to the global queue
}

void netpoll_ensure_poller() {
  if (poller_m.load()) return;
  // An idle P gets an M, which finds nothing to run and becomes the poller.
  wake_idle_processor();
}

}  // namespace goro::rt
