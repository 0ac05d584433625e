// net::listen, listen_packet and resolve_addr: make a socket, bind it, and
// (streams) listen. Stateless apart from the cached listen backlog.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>

#include "net/resolve.hpp"
#include "net/sock.hpp"

namespace goro::net {

using namespace detail;

namespace {

int listen_backlog() {
  static const int backlog = [] {
    int n = SOMAXCONN;
    if (FILE* f = std::fopen("/proc/sys/net/core/somaxconn", "r")) {
      if (std::fscanf(f, "%d", &n) != 1 || n <= 0) n = SOMAXCONN;
      std::fclose(f);
    }
    return std::min(n, 65535);
  }();
  return backlog;
}

// A bound (and for streams, listening) socket for `at`.
Result<std::shared_ptr<NetFD>> bind_socket(const Network& n, const Addr& at, bool wildcard) {
  int family = at.sockaddr_ptr()->sa_family;
  auto fd = new_socket(family, n.sotype, n.name);
  if (!fd) return fail(fd.error());
  NetFD& s = **fd;
  int on = 1;
  if (family != AF_UNIX && n.sotype == SOCK_STREAM)
    ::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (family == AF_INET6) {
    // "tcp"/"udp" on the wildcard accept IPv4 too (dual stack), as in Go.
    int v6only = n.family == AF_INET6 || !wildcard ? 1 : 0;
    ::setsockopt(s.fd(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  if (::bind(s.fd(), at.sockaddr_ptr(), at.sockaddr_len()) != 0) {
    Error e = syscall_error("bind", errno);
    s.close();
    return fail(e);
  }
  if (n.sotype == SOCK_STREAM && ::listen(s.fd(), listen_backlog()) != 0) {
    Error e = syscall_error("listen", errno);
    s.close();
    return fail(e);
  }
  s.laddr = local_name(s.fd(), n.base);
  if (!s.laddr) s.laddr = at;
  return fd;
}

// Go prints the address a listen failed on as resolved, ":8000" for the wildcard.
Error listen_error(std::string_view op, const Network& n, const Resolved& r, Error cause) {
  if (r.wildcard)
    return errors::wrap(std::move(cause), std::string(op) + " " + n.name + " :" + r.port);
  return op_error(op, n.name, nullptr, &r.addrs[0], std::move(cause));
}

}  // namespace

Result<Listener> listen(std::string_view network, std::string_view address) {
  auto n = parse_network(network);
  if (n && n->sotype != SOCK_STREAM) n = fail(errors::make("unknown network " + n->name));
  if (!n) return fail(op_error("listen", network, nullptr, nullptr, n.error()));
  if (n->base == "unix") {
    auto at = unix_addr(*n, address);
    if (!at) return fail(op_error("listen", network, nullptr, nullptr, at.error()));
    auto fd = bind_socket(*n, *at, false);
    if (!fd) return fail(op_error("listen", network, nullptr, &*at, fd.error()));
    if (address[0] != '@') (*fd)->unlink_path = std::string(address);
    return Listener(std::move(*fd));
  }
  auto resolved = resolve_inet(*n, address, true);
  if (!resolved) return fail(op_error("listen", network, nullptr, nullptr, resolved.error()));
  auto fd = bind_socket(*n, resolved->addrs[0], resolved->wildcard);
  if (!fd) return fail(listen_error("listen", *n, *resolved, fd.error()));
  return Listener(std::move(*fd));
}

Result<PacketConn> listen_packet(std::string_view network, std::string_view address) {
  auto n = parse_network(network);
  if (n && n->sotype != SOCK_DGRAM) n = fail(errors::make("unknown network " + n->name));
  if (!n) return fail(op_error("listen", network, nullptr, nullptr, n.error()));
  auto resolved = resolve_inet(*n, address, true);
  if (!resolved) return fail(op_error("listen", network, nullptr, nullptr, resolved.error()));
  auto fd = bind_socket(*n, resolved->addrs[0], resolved->wildcard);
  if (!fd) return fail(listen_error("listen", *n, *resolved, fd.error()));
  return PacketConn(std::move(*fd));
}

Result<Addr> resolve_addr(std::string_view network, std::string_view address) {
  auto n = parse_network(network);
  if (!n) return fail(n.error());
  if (n->base == "unix") return unix_addr(*n, address);
  auto resolved = resolve_inet(*n, address, false);
  if (!resolved) return fail(resolved.error());
  return resolved->addrs[0];
}

}  // namespace goro::net
