// NetFD: one non-blocking socket registered with the network poller, and
// its I/O loops (try the syscall; on EAGAIN park on the PollDesc; retry).
// Go's internal/poll.FD plus net.netFD.
//
// Owns: the fd, its PollDesc, the socket's addresses, and the lifetime
// protocol that keeps the fd number valid while any operation uses it.
//
// Invariants:
// - state_ holds `closing` (top bit) and a count of references: one for
//   being open, one per operation in flight. An operation starts only while
//   not closing (incref fails otherwise). close() sets closing, evicts the
//   PollDesc (waking every blocked party with err_closed) and drops the open
//   reference; whoever drops the last reference closes the fd, so the fd
//   number is never reused under a running operation.
// - read_mu_ serialises readers (and accept), write_mu_ writers (and
//   connect), as Go's fdMutex does: each PollDesc side has one waiter.
//   read_drained_ is read_mu_'s too.
// - laddr/raddr/unlink_path are set before the NetFD is shared and then
//   only read.
// Errors returned here are bare (err_closed, os::err_deadline_exceeded, or
// "<syscall>: <errno text>"); the public layer adds Go's OpError context.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "goro/error.hpp"
#include "goro/net.hpp"
#include "goro/sync.hpp"
#include "netpoll/poll_desc.hpp"

namespace goro::net::detail {

class NetFD {
 public:
  // Takes ownership of fd (non-blocking) and registers it with the poller;
  // closes fd on failure.
  static Result<std::shared_ptr<NetFD>> open(int fd, int family, int sotype, std::string net);
  NetFD(int fd, int family, int sotype, std::string net, rt::PollDesc* pd);
  ~NetFD();
  NetFD(const NetFD&) = delete;
  NetFD& operator=(const NetFD&) = delete;

  Result<std::size_t> read(std::span<std::byte> buf);
  Result<std::size_t> write(std::span<const std::byte> data);  // all of it
  Result<std::size_t> recv_from(std::span<std::byte> buf, sockaddr_storage& from, socklen_t& len);
  Result<std::size_t> send_to(std::span<const std::byte> data, const sockaddr* to, socklen_t len);
  // A connected, non-blocking fd (not yet registered), with the peer's address.
  Result<int> accept(sockaddr_storage& from, socklen_t& len);
  Error connect(const sockaddr* to, socklen_t len);
  Error shutdown(int how);
  // when_ns: monotonic; 0 clears; not in the future expires at once.
  Error set_deadline(bool read, bool write, int64_t when_ns);
  Error close();

  int fd() const { return fd_; }
  int family() const { return family_; }
  int sotype() const { return sotype_; }
  const std::string& net() const { return net_; }

  Addr laddr, raddr;
  std::string unlink_path;  // a Unix listener's socket file, removed by close()

 private:
  friend class OpRef;
  bool incref();
  void decref();
  void destroy();

  // TCP: a read returning less than asked emptied the receive queue (or
  // stopped at urgent data, a pending EOF or error, which the PollDesc's
  // reads_stop_short covers). Not Unix sockets: their reads also stop
  // short at passed descriptors.
  bool drains_on_short_read() const {
    return sotype_ == SOCK_STREAM && (family_ == AF_INET || family_ == AF_INET6);
  }

  static constexpr uint64_t closing_bit = uint64_t(1) << 63;
  int fd_;
  int family_;
  int sotype_;
  std::string net_;
  rt::PollDesc* pd_;
  std::atomic<uint64_t> state_{1};  // the open reference
  goro::Mutex read_mu_;
  goro::Mutex write_mu_;
  // Under read_mu_: the last read of this stream socket returned less than
  // asked, so it emptied the receive queue. The poller is edge-triggered
  // and every read first drops the side's readiness token, so data that
  // arrived since left a new token; the next read waits for it first rather
  // than failing with EAGAIN (one syscall less per request-response turn).
  bool read_drained_ = false;
};

// The bare error of a PollDesc wait outcome (closed, timeout), nil if ready.
Error io_result_error(rt::IoResult r);
// "<syscall>: <errno text>" (Go's os.SyscallError), matching errno under errors::is.
Error syscall_error(const char* syscall, int errnum);

}  // namespace goro::net::detail
