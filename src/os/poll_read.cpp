// Reads of FIFOs, sockets and terminals (stdin piped or typed) through the
// network poller: a goroutine waiting for input parks in the poller instead
// of holding a thread in read(2). Owns FileState::read_pd, poll_checked and
// the use of read_mu.
//
// Invariants:
// - read_mu serialises the reads of a pollable file: a PollDesc side holds
//   one waiter, and two readers woken by one edge must not both read.
// - read_pd is registered once, by the first read (under read_mu, with a
//   call in flight, so fd is open), and dropped only by close_fd, when no
//   call is in flight any more.
// - close() sets the closed bit and then evicts read_pd; a registration
//   racing with it publishes read_pd and then re-checks the closed bit
//   (seq_cst on both sides, Dekker style), so at least one of the two evicts
//   and no reader stays parked after close.
// - The descriptor keeps its blocking mode: stdin's open file description is
//   shared with other processes (Go leaves it alone too). The poller only
//   says when input is there; poll(2) with a zero timeout confirms it before
//   each read, and the read itself still runs inside goro::blocking in case
//   another process takes the input first.
#include <poll.h>

#include <cerrno>

#include "netpoll/netpoll.hpp"
#include "os/os_internal.hpp"

namespace goro::os::detail {

namespace {

// read_mu held: the registration, made on first use; null if epoll cannot
// watch this descriptor (EPERM for /dev/null and friends).
rt::PollDesc* registration(FileState& s) {
  if (s.poll_checked) return s.read_pd.load(std::memory_order_relaxed);
  s.poll_checked = true;
  if (rt::netpoll_init() != 0) return nullptr;
  rt::PollDesc* pd = rt::poll_desc_alloc(s.fd);
  if (rt::netpoll_open(s.fd, pd) != 0) {
    rt::poll_desc_free(pd);
    return nullptr;
  }
  s.read_pd.store(pd, std::memory_order_seq_cst);
  if (s.uses.load(std::memory_order_seq_cst) & FileState::closed_bit) rt::poll_desc_evict(pd);
  return pd;
}

// Input (or end of file, or an error to report) is there right now.
bool has_input(int fd) {
  for (;;) {
    struct pollfd p {
      fd, POLLIN, 0
    };
    int r = ::poll(&p, 1, 0);
    if (r >= 0) return r > 0;  // POLLIN, POLLHUP, POLLERR or POLLNVAL: read reports it
    if (errno != EINTR) return true;
  }
}

}  // namespace

bool wait_readable(FileState& s) {
  rt::PollDesc* pd = registration(s);
  if (!pd) return true;
  while (!has_input(s.fd)) {
    // A readiness token left by an edge whose input is gone already makes
    // this return at once; has_input then sends us back to park for real.
    if (rt::poll_desc_wait(pd, rt::IoMode::read) == rt::IoResult::closed) return false;
  }
  return true;
}

void evict_readers(FileState& s) noexcept {
  if (rt::PollDesc* pd = s.read_pd.load(std::memory_order_seq_cst)) rt::poll_desc_evict(pd);
}

void drop_poll_registration(FileState& s) noexcept {
  rt::PollDesc* pd = s.read_pd.exchange(nullptr, std::memory_order_acq_rel);
  if (!pd) return;
  rt::poll_desc_evict(pd);
  rt::netpoll_close(s.fd);
  rt::poll_desc_free(pd);
}

}  // namespace goro::os::detail
