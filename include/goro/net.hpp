// goro::net — Go's net package: TCP, UDP and Unix-domain sockets whose
// blocking calls park the calling goroutine (a plain thread just blocks).
//
//   Go                                        goro
//   ln, err := net.Listen("tcp", ":8000")     auto ln = goro::net::listen("tcp", ":8000");
//   conn, err := ln.Accept()                  auto conn = ln->accept();
//   conn, err := net.Dial("tcp", "h:80")      auto conn = goro::net::dial("tcp", "h:80");
//   net.DialTimeout("tcp", a, 2*time.Second)  goro::net::dial_timeout("tcp", a, 2s);
//   n, err := conn.Read(buf)                  auto n = conn.read(buf);   // io::eof at EOF
//   _, err := conn.Write(data)                auto n = conn.write(data); // all or an error
//   conn.Close()                              conn.close();
//   conn.(*net.TCPConn).CloseWrite()          conn.close_write();
//   conn.SetReadDeadline(time.Now().Add(d))   conn.set_read_deadline(steady_clock::now() + d);
//   conn.SetDeadline(time.Time{})             conn.set_deadline({});   // no deadline
//   conn.RemoteAddr().String()                conn.remote_addr().string();  // "127.0.0.1:64208"
//   pc, err := net.ListenPacket("udp", a)     auto pc = goro::net::listen_packet("udp", a);
//   n, addr, err := pc.ReadFrom(buf)          auto r = pc->read_from(buf);  // r->n, r->addr
//   pc.WriteTo(data, addr)                    pc->write_to(data, addr);
//   errors.Is(err, net.ErrClosed)             goro::errors::is(err, goro::net::err_closed)
//   errors.Is(err, os.ErrDeadlineExceeded)    goro::errors::is(err,
//   goro::os::err_deadline_exceeded)
//
// Networks: "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix" (a path;
// "@name" is Linux's abstract namespace). Addresses are "host:port",
// "[ipv6]:port", ":port" (every interface for listen, the local system for
// dial) and port 0 (any free port). Host names resolve through the blocking
// pool, so a lookup never stalls other goroutines.
//
// Conn, Listener and PacketConn are handles: copies share one socket, as Go
// passes net.Conn around. The socket closes with close() or when the last
// handle goes away. One goroutine may read while another writes; concurrent
// reads (or writes) are serialised. close() wakes every party blocked on
// the socket with net::err_closed; a second close() returns that error.
// Errors read like Go's *net.OpError:
//   "dial tcp 127.0.0.1:1: connect: connection refused"
//   "read tcp 127.0.0.1:5000->127.0.0.1:40000: i/o timeout"
// A deadline that passes fails the blocked call with os::err_deadline_exceeded
// (err.timeout() is true); a zero time point clears the deadline.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "goro/error.hpp"
#include "goro/io.hpp"

namespace goro::net {

// net.ErrClosed: "use of closed network connection".
extern const Error err_closed;

namespace detail {
class NetFD;
}

// A socket address (Go's net.Addr: *TCPAddr, *UDPAddr, *UnixAddr).
class Addr {
 public:
  Addr() = default;  // no address (Go's nil Addr)
  Addr(std::string network, const sockaddr* sa, socklen_t len);

  explicit operator bool() const { return len_ > 0 || !network_.empty(); }
  // "tcp", "udp" or "unix".
  const std::string& network() const { return network_; }
  // "127.0.0.1:8000", "[::1]:80", "/tmp/s.sock"; "<nil>" for no address.
  std::string string() const;
  // The IP ("127.0.0.1", "::1"; an IPv4-mapped IPv6 address as IPv4) and
  // port; "" and 0 for a Unix address.
  std::string ip() const;
  int port() const;

  const sockaddr* sockaddr_ptr() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t sockaddr_len() const { return len_; }

  friend bool operator==(const Addr& a, const Addr& b);
  friend std::ostream& operator<<(std::ostream& os, const Addr& a);

 private:
  std::string network_;
  sockaddr_storage storage_{};
  socklen_t len_ = 0;
};

using Deadline = std::chrono::steady_clock::time_point;

// A stream connection (Go's net.Conn: *TCPConn, *UnixConn; also a dialled
// UDP socket). Satisfies io::Reader, io::Writer and io::Closer.
class Conn {
 public:
  Conn() = default;  // nil: every call fails with err_closed
  explicit Conn(std::shared_ptr<detail::NetFD> fd) : fd_(std::move(fd)) {}

  // Read up to buf.size() bytes; at least one unless buf is empty. io::eof
  // once the peer closed its side.
  Result<std::size_t> read(std::span<std::byte> buf);
  // Write all of data, or fail (the count of a success is data.size()).
  Result<std::size_t> write(std::span<const std::byte> data);
  Result<std::size_t> write(std::string_view text) { return write(std::as_bytes(std::span(text))); }
  Error close();
  Error close_read();   // shutdown(SHUT_RD): TCP and Unix only
  Error close_write();  // shutdown(SHUT_WR): the peer reads EOF
  // A zero time point (Deadline{}) clears the deadline.
  Error set_deadline(Deadline t);
  Error set_read_deadline(Deadline t);
  Error set_write_deadline(Deadline t);
  Error set_deadline(std::chrono::system_clock::time_point t);
  Error set_read_deadline(std::chrono::system_clock::time_point t);
  Error set_write_deadline(std::chrono::system_clock::time_point t);
  Addr local_addr() const;
  Addr remote_addr() const;

  explicit operator bool() const { return fd_ != nullptr; }
  friend bool operator==(const Conn& a, const Conn& b) { return a.fd_ == b.fd_; }

 private:
  std::shared_ptr<detail::NetFD> fd_;
};

// Go's net.Listener (*TCPListener, *UnixListener).
class Listener {
 public:
  Listener() = default;
  explicit Listener(std::shared_ptr<detail::NetFD> fd) : fd_(std::move(fd)) {}

  // Wait for the next connection. Under a full fd table (EMFILE) it backs
  // off and retries rather than failing or spinning.
  Result<Conn> accept();
  // Stop listening; blocked accepts fail with err_closed. A Unix listener
  // removes its socket file.
  Error close();
  Addr addr() const;

  explicit operator bool() const { return fd_ != nullptr; }
  friend bool operator==(const Listener& a, const Listener& b) { return a.fd_ == b.fd_; }

 private:
  std::shared_ptr<detail::NetFD> fd_;
};

// What PacketConn::read_from returns: n bytes came from addr.
struct Packet {
  std::size_t n = 0;
  Addr addr;
};

// Go's net.PacketConn (*UDPConn): datagrams to and from any address.
class PacketConn {
 public:
  PacketConn() = default;
  explicit PacketConn(std::shared_ptr<detail::NetFD> fd) : fd_(std::move(fd)) {}

  // One datagram (truncated to buf.size()) and its sender.
  Result<Packet> read_from(std::span<std::byte> buf);
  // Send data as one datagram to addr.
  Result<std::size_t> write_to(std::span<const std::byte> data, const Addr& addr);
  Result<std::size_t> write_to(std::string_view text, const Addr& addr) {
    return write_to(std::as_bytes(std::span(text)), addr);
  }
  Error close();
  Error set_deadline(Deadline t);
  Error set_read_deadline(Deadline t);
  Error set_write_deadline(Deadline t);
  Addr local_addr() const;

  explicit operator bool() const { return fd_ != nullptr; }

 private:
  std::shared_ptr<detail::NetFD> fd_;
};

// net.Listen: "tcp", "tcp4", "tcp6", "unix".
Result<Listener> listen(std::string_view network, std::string_view address);
// net.Dial: "tcp", "tcp4", "tcp6", "udp", "udp4", "udp6", "unix".
Result<Conn> dial(std::string_view network, std::string_view address);
// net.DialTimeout: the whole dial (lookup and connect) within timeout.
Result<Conn> dial_timeout(std::string_view network, std::string_view address,
                          std::chrono::nanoseconds timeout);
// net.ListenPacket: "udp", "udp4", "udp6".
Result<PacketConn> listen_packet(std::string_view network, std::string_view address);
// net.ResolveTCPAddr / ResolveUDPAddr / ResolveUnixAddr (by network).
Result<Addr> resolve_addr(std::string_view network, std::string_view address);

// net.SplitHostPort: "[::1]:80" -> {"::1", "80"}; errors like Go's
// ("address localhost: missing port in address").
Result<std::pair<std::string, std::string>> split_host_port(std::string_view hostport);
// net.JoinHostPort: {"::1", "80"} -> "[::1]:80".
std::string join_host_port(std::string_view host, std::string_view port);

}  // namespace goro::net

static_assert(goro::io::Reader<goro::net::Conn>);
static_assert(goro::io::Writer<goro::net::Conn>);
static_assert(goro::io::Closer<goro::net::Conn>);
