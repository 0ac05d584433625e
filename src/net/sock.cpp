// Socket helpers. See sock.hpp.
#include "net/sock.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace goro::net::detail {

namespace {

// The address as an error message shows it; empty when there is none.
std::string shown(const Addr* a) { return a && *a ? a->string() : std::string(); }

}  // namespace

Result<std::shared_ptr<NetFD>> new_socket(int family, int sotype, const std::string& net) {
  int fd = ::socket(family, sotype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(syscall_error("socket", errno));
  return NetFD::open(fd, family, sotype, net);
}

Addr local_name(int fd, const std::string& base) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return Addr();
  return Addr(base, reinterpret_cast<sockaddr*>(&ss), len);
}

Addr peer_name(int fd, const std::string& base) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return Addr();
  return Addr(base, reinterpret_cast<sockaddr*>(&ss), len);
}

Error op_error(std::string_view op, std::string_view net, const Addr* source, const Addr* addr,
               Error cause) {
  if (!cause || cause == io::eof) return cause;
  std::string text(op);
  if (!net.empty()) {
    text += ' ';
    text += net;
  }
  std::string from = shown(source), to = shown(addr);
  if (!from.empty()) {
    text += ' ';
    text += from;
  }
  if (!to.empty()) {
    text += from.empty() ? " " : "->";
    text += to;
  }
  return errors::wrap(std::move(cause), text);
}

}  // namespace goro::net::detail
