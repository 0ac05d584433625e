// The handle types Conn, Listener and PacketConn: each call forwards to the
// shared NetFD and dresses a failure as Go's OpError. Also net::err_closed.
// Stateless beyond the NetFD they share.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstring>

#include "net/sock.hpp"
#include "sched/futex.hpp"

namespace goro::net {

using namespace detail;

const Error err_closed = errors::make("use of closed network connection");

namespace {

std::string base_of(const std::string& net) {
  if (net.ends_with('4') || net.ends_with('6')) return net.substr(0, net.size() - 1);
  return net;
}

// Deadline time points as monotonic ns (0: none; steady_clock is CLOCK_MONOTONIC).
int64_t deadline_ns(Deadline t) {
  if (t == Deadline{}) return 0;
  int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  return ns > 0 ? ns : 1;  // a time point at or before the clock's epoch: long past
}

int64_t deadline_ns(std::chrono::system_clock::time_point t) {
  if (t == std::chrono::system_clock::time_point{}) return 0;
  auto left = t - std::chrono::system_clock::now();
  int64_t ns =
      rt::monotonic_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  return ns > 0 ? ns : 1;
}

Error nil_error(std::string_view op) { return errors::wrap(err_closed, op); }

}  // namespace

// --- Conn ---------------------------------------------------------------

Result<std::size_t> Conn::read(std::span<std::byte> buf) {
  if (!fd_) return fail(nil_error("read"));
  auto r = fd_->read(buf);
  if (!r) return fail(op_error("read", fd_->net(), &fd_->laddr, &fd_->raddr, r.error()));
  return r;
}

Result<std::size_t> Conn::write(std::span<const std::byte> data) {
  if (!fd_) return fail(nil_error("write"));
  auto r = fd_->write(data);
  if (!r) return fail(op_error("write", fd_->net(), &fd_->laddr, &fd_->raddr, r.error()));
  return r;
}

Error Conn::close() {
  if (!fd_) return nil_error("close");
  return op_error("close", fd_->net(), &fd_->laddr, &fd_->raddr, fd_->close());
}

Error Conn::close_read() {
  if (!fd_) return nil_error("close");
  return op_error("close", fd_->net(), &fd_->laddr, &fd_->raddr, fd_->shutdown(SHUT_RD));
}

Error Conn::close_write() {
  if (!fd_) return nil_error("close");
  return op_error("close", fd_->net(), &fd_->laddr, &fd_->raddr, fd_->shutdown(SHUT_WR));
}

Error Conn::set_deadline(Deadline t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, &fd_->raddr,
                  fd_->set_deadline(true, true, deadline_ns(t)));
}

Error Conn::set_read_deadline(Deadline t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, &fd_->raddr,
                  fd_->set_deadline(true, false, deadline_ns(t)));
}

Error Conn::set_write_deadline(Deadline t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, &fd_->raddr,
                  fd_->set_deadline(false, true, deadline_ns(t)));
}

Error Conn::set_deadline(std::chrono::system_clock::time_point t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, &fd_->raddr,
                  fd_->set_deadline(true, true, deadline_ns(t)));
}

Error Conn::set_read_deadline(std::chrono::system_clock::time_point t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, &fd_->raddr,
                  fd_->set_deadline(true, false, deadline_ns(t)));
}

Error Conn::set_write_deadline(std::chrono::system_clock::time_point t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, &fd_->raddr,
                  fd_->set_deadline(false, true, deadline_ns(t)));
}

Addr Conn::local_addr() const { return fd_ ? fd_->laddr : Addr(); }
Addr Conn::remote_addr() const { return fd_ ? fd_->raddr : Addr(); }

// --- Listener -----------------------------------------------------------

Result<Conn> Listener::accept() {
  if (!fd_) return fail(nil_error("accept"));
  sockaddr_storage from{};
  socklen_t len = sizeof from;
  auto nfd = fd_->accept(from, len);
  if (!nfd) return fail(op_error("accept", fd_->net(), nullptr, &fd_->laddr, nfd.error()));
  auto conn = NetFD::open(*nfd, fd_->family(), SOCK_STREAM, fd_->net());
  if (!conn) return fail(op_error("accept", fd_->net(), nullptr, &fd_->laddr, conn.error()));
  NetFD& c = **conn;
  std::string base = base_of(fd_->net());
  if (base == "tcp") {
    int one = 1;
    ::setsockopt(c.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  c.laddr = local_name(c.fd(), base);
  c.raddr = Addr(base, reinterpret_cast<sockaddr*>(&from), len);
  return Conn(std::move(*conn));
}

Error Listener::close() {
  if (!fd_) return nil_error("close");
  return op_error("close", fd_->net(), nullptr, &fd_->laddr, fd_->close());
}

Addr Listener::addr() const { return fd_ ? fd_->laddr : Addr(); }

// --- PacketConn ---------------------------------------------------------

Result<Packet> PacketConn::read_from(std::span<std::byte> buf) {
  if (!fd_) return fail(nil_error("read"));
  sockaddr_storage from{};
  socklen_t len = sizeof from;
  auto n = fd_->recv_from(buf, from, len);
  if (!n) return fail(op_error("read", fd_->net(), &fd_->laddr, nullptr, n.error()));
  return Packet{*n, Addr(base_of(fd_->net()), reinterpret_cast<sockaddr*>(&from), len)};
}

Result<std::size_t> PacketConn::write_to(std::span<const std::byte> data, const Addr& addr) {
  if (!fd_) return fail(nil_error("write"));
  const sockaddr* to = addr.sockaddr_ptr();
  socklen_t len = addr.sockaddr_len();
  sockaddr_in6 mapped{};
  if (!addr) {
    return fail(
        op_error("write", fd_->net(), &fd_->laddr, nullptr, errors::make("missing address")));
  }
  if (fd_->family() == AF_INET6 && to->sa_family == AF_INET) {
    // A dual-stack socket reaches IPv4 peers through ::ffff:a.b.c.d.
    auto* v4 = reinterpret_cast<const sockaddr_in*>(to);
    mapped.sin6_family = AF_INET6;
    mapped.sin6_port = v4->sin_port;
    mapped.sin6_addr.s6_addr[10] = 0xff;
    mapped.sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&mapped.sin6_addr.s6_addr[12], &v4->sin_addr, 4);
    to = reinterpret_cast<const sockaddr*>(&mapped);
    len = sizeof mapped;
  }
  auto n = fd_->send_to(data, to, len);
  if (!n) return fail(op_error("write", fd_->net(), &fd_->laddr, &addr, n.error()));
  return n;
}

Error PacketConn::close() {
  if (!fd_) return nil_error("close");
  return op_error("close", fd_->net(), &fd_->laddr, nullptr, fd_->close());
}

Error PacketConn::set_deadline(Deadline t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, nullptr,
                  fd_->set_deadline(true, true, deadline_ns(t)));
}

Error PacketConn::set_read_deadline(Deadline t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, nullptr,
                  fd_->set_deadline(true, false, deadline_ns(t)));
}

Error PacketConn::set_write_deadline(Deadline t) {
  if (!fd_) return nil_error("set");
  return op_error("set", fd_->net(), &fd_->laddr, nullptr,
                  fd_->set_deadline(false, true, deadline_ns(t)));
}

Addr PacketConn::local_addr() const { return fd_ ? fd_->laddr : Addr(); }

}  // namespace goro::net
