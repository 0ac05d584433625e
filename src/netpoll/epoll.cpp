// The epoll instance: registration of fds, one poll, and the eventfd that
// interrupts a blocking poll. See netpoll.hpp.
//
// Invariants: epfd and wake_fd are created once (under std::call_once) and
// never closed. break_pending is true from a netpoll_break until a blocking
// poll consumes the eventfd, so concurrent breaks write it once. Events
// carry the PollDesc pointer in their low 48 bits and the low 16 bits of its
// gen in the high 16, so an event for a reused PollDesc is recognised.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <mutex>

#include "debug/fatal.hpp"
#include "netpoll/netpoll.hpp"

namespace goro::rt {

namespace {

int epfd = -1;
int wake_fd = -1;
std::atomic<bool> inited{false};
std::atomic<bool> break_pending{false};
std::atomic<bool> have_pwait2{true};
std::once_flag init_once;
int init_error = 0;

// Released before each registration, acquired after each poll: the kernel
// orders a PollDesc's initialisation before its events, but sanitizers do
// not see through epoll_pwait2 (GCC 12's TSan does not intercept it).
std::atomic<uint64_t> registrations{0};

constexpr uint64_t wake_tag = 1;  // event data of the eventfd (not a valid PollDesc)
constexpr uint64_t ptr_mask = (uint64_t(1) << 48) - 1;

int wait_events(epoll_event* events, int max, int64_t timeout_ns) {
  if (timeout_ns == 0) return epoll_wait(epfd, events, max, 0);
  if (have_pwait2.load(std::memory_order_relaxed)) {
    timespec ts{time_t(timeout_ns / 1'000'000'000), long(timeout_ns % 1'000'000'000)};
    int n = epoll_pwait2(epfd, events, max, timeout_ns < 0 ? nullptr : &ts, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    have_pwait2.store(false, std::memory_order_relaxed);
  }
  // Kernels before 5.11: millisecond resolution, rounded up so a timer is
  // never run early (an idle M then just sleeps a little long).
  int ms =
      timeout_ns < 0 ? -1 : int(std::min<int64_t>((timeout_ns + 999'999) / 1'000'000, 1 << 30));
  return epoll_wait(epfd, events, max, ms);
}

}  // namespace

int netpoll_init() {
  std::call_once(init_once, [] {
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
      init_error = errno;
      return;
    }
    wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd < 0) {
      init_error = errno;
      close(epfd);
      epfd = -1;
      return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;  // level-triggered: stays ready until a blocking poll reads it
    ev.data.u64 = wake_tag;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, wake_fd, &ev) != 0)
      fatal_error("runtime: netpoll: cannot register the wake-up eventfd");
    inited.store(true);
  });
  // A failed start (EMFILE, say) may be retried by a later socket.
  if (!inited.load() && init_error) {
    int err = init_error;
    return err;
  }
  return 0;
}

bool netpoll_inited() { return inited.load(std::memory_order_acquire); }

int netpoll_open(int fd, PollDesc* pd) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET;
  ev.data.u64 = (reinterpret_cast<uintptr_t>(pd) & ptr_mask) | (uint64_t(pd->gen & 0xffff) << 48);
  registrations.fetch_add(1, std::memory_order_release);
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) return errno;
  return 0;
}

void netpoll_close(int fd) {
  epoll_event ev{};
  epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
}

void netpoll_break() {
  if (!inited.load(std::memory_order_acquire)) return;
  if (break_pending.exchange(true)) return;
  uint64_t one = 1;
  for (;;) {
    ssize_t n = write(wake_fd, &one, sizeof one);
    if (n == sizeof one || (n < 0 && errno == EAGAIN)) return;
    if (n < 0 && errno == EINTR) continue;
    fatal_error("runtime: netpoll: cannot write the wake-up eventfd");
  }
}

bool netpoll(int64_t timeout_ns, IoList& out) {
  constexpr int max_events = IoList::capacity / 2;  // each may wake two parties
  epoll_event events[max_events];
  int n = wait_events(events, max_events, timeout_ns);
  if (n < 0) return true;  // EINTR: as good as a wake-up; the caller re-checks
  if (n > 0) registrations.load(std::memory_order_acquire);
  bool broke = false;
  for (int i = 0; i < n; ++i) {
    uint64_t data = events[i].data.u64;
    if (data == wake_tag) {
      // Only a blocking poll consumes the break: a non-blocking one may run
      // beside the blocked poller, which must still see it.
      if (timeout_ns != 0) {
        uint64_t count;
        ssize_t r = read(wake_fd, &count, sizeof count);
        (void)r;
        break_pending.store(false);
        broke = true;
      }
      continue;
    }
    auto* pd = reinterpret_cast<PollDesc*>(static_cast<uintptr_t>(data & ptr_mask));
    uint32_t ev = events[i].events;
    bool readable = ev & (EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR);
    bool writable = ev & (EPOLLOUT | EPOLLHUP | EPOLLERR);
    bool stop_short = ev & (EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR);
    poll_desc_notify(pd, uint32_t(data >> 48), readable, writable, stop_short, out);
  }
  return broke;
}

}  // namespace goro::rt
