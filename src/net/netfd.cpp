// NetFD's I/O loops and lifetime. See netfd.hpp for the invariants.
#include "net/netfd.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "goro/time.hpp"
#include "netpoll/netpoll.hpp"

namespace goro::net::detail {

using rt::IoMode;
using rt::IoResult;

// Holds a reference for one operation (see NetFD's invariants).
class OpRef {
 public:
  explicit OpRef(NetFD& fd) : fd_(fd), ok_(fd.incref()) {}
  ~OpRef() {
    if (ok_) fd_.decref();
  }
  OpRef(const OpRef&) = delete;
  OpRef& operator=(const OpRef&) = delete;
  bool ok() const { return ok_; }

 private:
  NetFD& fd_;
  bool ok_;
};

Error io_result_error(IoResult r) {
  switch (r) {
    case IoResult::ready:
      return {};
    case IoResult::closed:
      return err_closed;
    case IoResult::timeout:
      return os::err_deadline_exceeded;
  }
  return {};
}

Error syscall_error(const char* syscall, int errnum) {
  return errors::wrap(errors::from_errno(errnum), syscall);
}

Result<std::shared_ptr<NetFD>> NetFD::open(int fd, int family, int sotype, std::string net) {
  if (int err = rt::netpoll_init()) {
    ::close(fd);
    return fail(syscall_error("epoll_create1", err));
  }
  rt::PollDesc* pd = rt::poll_desc_alloc(fd);
  if (int err = rt::netpoll_open(fd, pd)) {
    ::close(fd);
    rt::poll_desc_free(pd);
    return fail(syscall_error("epoll_ctl", err));
  }
  return std::make_shared<NetFD>(fd, family, sotype, std::move(net), pd);
}

NetFD::NetFD(int fd, int family, int sotype, std::string net, rt::PollDesc* pd)
    : fd_(fd), family_(family), sotype_(sotype), net_(std::move(net)), pd_(pd) {}

NetFD::~NetFD() {
  // The last handle is gone, so no operation is in flight; an fd that was
  // never closed is closed now (RAII).
  if (!(state_.load() & closing_bit)) {
    rt::poll_desc_evict(pd_);
    destroy();
  }
}

bool NetFD::incref() {
  uint64_t s = state_.load(std::memory_order_relaxed);
  do {
    if (s & closing_bit) return false;
  } while (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire));
  return true;
}

void NetFD::decref() {
  uint64_t s = state_.fetch_sub(1, std::memory_order_acq_rel) - 1;
  if (s == closing_bit) destroy();
}

void NetFD::destroy() {
  if (!unlink_path.empty()) ::unlink(unlink_path.c_str());
  rt::netpoll_close(fd_);
  ::close(fd_);
  rt::poll_desc_free(pd_);
}

Error NetFD::close() {
  uint64_t s = state_.load(std::memory_order_relaxed);
  do {
    if (s & closing_bit) return err_closed;
  } while (!state_.compare_exchange_weak(s, s | closing_bit, std::memory_order_acq_rel));
  rt::poll_desc_evict(pd_);
  decref();  // the open reference
  return {};
}

Error NetFD::set_deadline(bool read, bool write, int64_t when_ns) {
  OpRef ref(*this);
  if (!ref.ok()) return err_closed;
  rt::poll_desc_set_deadline(pd_, read, write, when_ns);
  return {};
}

Error NetFD::shutdown(int how) {
  OpRef ref(*this);
  if (!ref.ok()) return err_closed;
  if (::shutdown(fd_, how) != 0) return syscall_error("shutdown", errno);
  return {};
}

Result<std::size_t> NetFD::read(std::span<std::byte> buf) {
  std::lock_guard lock(read_mu_);
  OpRef ref(*this);
  if (!ref.ok()) return fail(err_closed);
  if (buf.empty()) {
    if (Error e = io_result_error(rt::poll_desc_prepare(pd_, IoMode::read))) return fail(e);
    return 0;
  }
  // The last read drained the socket (see read_drained_): whatever came
  // since left a readiness token, so wait for it instead of reading just to
  // be told EAGAIN (a wait that ends in a timeout or close consumes no
  // token, so the socket stays drained). Otherwise drop any token first:
  // this read sees what it stands for.
  rt::IoResult before = read_drained_ ? rt::poll_desc_wait_drained(pd_)
                                      : rt::poll_desc_prepare(pd_, IoMode::read, true);
  if (Error e = io_result_error(before)) return fail(e);
  read_drained_ = false;
  for (;;) {
    ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n > 0) {
      read_drained_ = drains_on_short_read() && std::size_t(n) < buf.size();
      return std::size_t(n);
    }
    if (n == 0) {
      if (sotype_ == SOCK_DGRAM) return 0;
      return fail(io::eof);
    }
    int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN) return fail(syscall_error("read", err));
    if (Error e = io_result_error(rt::poll_desc_wait(pd_, IoMode::read))) return fail(e);
  }
}

Result<std::size_t> NetFD::write(std::span<const std::byte> data) {
  std::lock_guard lock(write_mu_);
  OpRef ref(*this);
  if (!ref.ok()) return fail(err_closed);
  if (Error e = io_result_error(rt::poll_desc_prepare(pd_, IoMode::write))) return fail(e);
  std::size_t done = 0;
  for (;;) {
    // MSG_NOSIGNAL: a closed peer is an EPIPE error value, never SIGPIPE.
    ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n >= 0) {
      done += std::size_t(n);
      if (done == data.size()) return done;
      continue;
    }
    int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN) return fail(syscall_error("write", err));
    if (Error e = io_result_error(rt::poll_desc_wait(pd_, IoMode::write))) return fail(e);
  }
}

Result<std::size_t> NetFD::recv_from(std::span<std::byte> buf, sockaddr_storage& from,
                                     socklen_t& len) {
  std::lock_guard lock(read_mu_);
  OpRef ref(*this);
  if (!ref.ok()) return fail(err_closed);
  read_drained_ = false;  // this read may leave data behind without a token
  if (Error e = io_result_error(rt::poll_desc_prepare(pd_, IoMode::read))) return fail(e);
  for (;;) {
    len = sizeof from;
    ssize_t n =
        ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n >= 0) return std::size_t(n);
    int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN) return fail(syscall_error("recvfrom", err));
    if (Error e = io_result_error(rt::poll_desc_wait(pd_, IoMode::read))) return fail(e);
  }
}

Result<std::size_t> NetFD::send_to(std::span<const std::byte> data, const sockaddr* to,
                                   socklen_t len) {
  std::lock_guard lock(write_mu_);
  OpRef ref(*this);
  if (!ref.ok()) return fail(err_closed);
  if (Error e = io_result_error(rt::poll_desc_prepare(pd_, IoMode::write))) return fail(e);
  for (;;) {
    ssize_t n = ::sendto(fd_, data.data(), data.size(), MSG_NOSIGNAL, to, len);
    if (n >= 0) return std::size_t(n);
    int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN) return fail(syscall_error("sendto", err));
    if (Error e = io_result_error(rt::poll_desc_wait(pd_, IoMode::write))) return fail(e);
  }
}

Result<int> NetFD::accept(sockaddr_storage& from, socklen_t& len) {
  std::lock_guard lock(read_mu_);
  OpRef ref(*this);
  if (!ref.ok()) return fail(err_closed);
  constexpr auto max_backoff = std::chrono::milliseconds(100);
  std::chrono::nanoseconds backoff{};
  for (;;) {
    if (Error e = io_result_error(rt::poll_desc_prepare(pd_, IoMode::read))) return fail(e);
    len = sizeof from;
    int nfd =
        ::accept4(fd_, reinterpret_cast<sockaddr*>(&from), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (nfd >= 0) return nfd;
    int err = errno;
    switch (err) {
      case EINTR:
      case ECONNABORTED:  // the peer gave up while queued: take the next one
        continue;
      case EAGAIN:
        backoff = {};
        if (Error e = io_result_error(rt::poll_desc_wait(pd_, IoMode::read))) return fail(e);
        continue;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        // Out of fds or memory: the connection stays queued. Back off
        // (5 ms doubling to 100 ms, like Go's http.Server) instead of spinning.
        backoff = backoff.count() == 0
                      ? std::chrono::milliseconds(5)
                      : std::min<std::chrono::nanoseconds>(2 * backoff, max_backoff);
        goro::sleep(backoff);
        continue;
      default:
        return fail(syscall_error("accept", err));
    }
  }
}

Error NetFD::connect(const sockaddr* to, socklen_t len) {
  std::lock_guard lock(write_mu_);
  OpRef ref(*this);
  if (!ref.ok()) return err_closed;
  if (Error e = io_result_error(rt::poll_desc_prepare(pd_, IoMode::write))) return e;
  if (::connect(fd_, to, len) == 0) return {};
  int err = errno;
  if (err != EINPROGRESS && err != EALREADY && err != EINTR) return syscall_error("connect", err);
  for (;;) {
    if (Error e = io_result_error(rt::poll_desc_wait(pd_, IoMode::write))) return e;
    int soerr = 0;
    socklen_t size = sizeof soerr;
    if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &soerr, &size) != 0)
      return syscall_error("getsockopt", errno);
    if (soerr == EINPROGRESS || soerr == EALREADY || soerr == EINTR) continue;
    if (soerr != 0) return syscall_error("connect", soerr);
    // Writable with no error may still be spurious (a stale edge): connected
    // only if the peer is known. Otherwise wait again, whatever getpeername
    // said (as Go's connect loop does; a TSan run once saw EINPROGRESS here
    // rather than ENOTCONN): the deadline still bounds the wait.
    sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &plen) == 0) return {};
  }
}

}  // namespace goro::net::detail
