// net::dial and dial_timeout: resolve, then connect to each address in turn
// (IPv4 first) until one answers, within the deadline if there is one.
// Stateless.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "net/resolve.hpp"
#include "net/sock.hpp"
#include "sched/futex.hpp"

namespace goro::net {

using namespace detail;

namespace {

Result<Conn> dial_one(const Network& n, const Addr& to, int64_t deadline_ns) {
  auto fd = new_socket(to.sockaddr_ptr()->sa_family, n.sotype, n.name);
  if (!fd) return fail(fd.error());
  NetFD& s = **fd;
  if (deadline_ns) s.set_deadline(false, true, deadline_ns);
  if (Error e = s.connect(to.sockaddr_ptr(), to.sockaddr_len())) {
    s.close();
    return fail(e);
  }
  if (deadline_ns) s.set_deadline(false, true, 0);
  if (n.base == "tcp") {
    int one = 1;  // as Go: no Nagle delay by default
    ::setsockopt(s.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  s.laddr = local_name(s.fd(), n.base);
  s.raddr = peer_name(s.fd(), n.base);
  if (!s.raddr) s.raddr = to;
  return Conn(std::move(*fd));
}

Result<Conn> dial_until(std::string_view network, std::string_view address, int64_t deadline_ns) {
  auto n = parse_network(network);
  if (!n) return fail(op_error("dial", network, nullptr, nullptr, n.error()));
  if (n->base == "unix") {
    auto to = unix_addr(*n, address);
    if (!to) return fail(op_error("dial", network, nullptr, nullptr, to.error()));
    auto c = dial_one(*n, *to, deadline_ns);
    if (!c) return fail(op_error("dial", network, nullptr, &*to, c.error()));
    return c;
  }
  auto resolved = resolve_inet(*n, address, false);
  if (!resolved) return fail(op_error("dial", network, nullptr, nullptr, resolved.error()));
  Error first;
  for (const Addr& to : resolved->addrs) {
    if (deadline_ns && rt::monotonic_ns() >= deadline_ns) {
      if (!first) first = op_error("dial", network, nullptr, &to, os::err_deadline_exceeded);
      break;
    }
    auto c = dial_one(*n, to, deadline_ns);
    if (c) return c;
    if (!first) first = op_error("dial", network, nullptr, &to, c.error());
  }
  return fail(first);
}

}  // namespace

Result<Conn> dial(std::string_view network, std::string_view address) {
  return dial_until(network, address, 0);
}

Result<Conn> dial_timeout(std::string_view network, std::string_view address,
                          std::chrono::nanoseconds timeout) {
  if (timeout.count() <= 0) return dial_until(network, address, 0);  // Go: no timeout
  return dial_until(network, address, rt::monotonic_ns() + timeout.count());
}

}  // namespace goro::net
