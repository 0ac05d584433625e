// net::Addr (socket addresses printed like Go's), split_host_port and
// join_host_port.
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>
#include <ostream>

#include "goro/net.hpp"

namespace goro::net {

namespace {

bool is_v4_mapped(const in6_addr& a) { return IN6_IS_ADDR_V4MAPPED(&a); }

// Dotted quad of the 4 bytes at b (inet_ntop's text, without its sprintf:
// errors on a connection print its addresses, once per failed operation).
std::string dotted_quad(const unsigned char* b) {
  std::string out;
  out.reserve(15);
  for (int i = 0; i < 4; ++i) {
    if (i) out += '.';
    unsigned v = b[i];
    if (v >= 100) out += char('0' + v / 100);
    if (v >= 10) out += char('0' + v / 10 % 10);
    out += char('0' + v % 10);
  }
  return out;
}

std::string unix_path(const sockaddr_un* su, socklen_t len) {
  size_t header = offsetof(sockaddr_un, sun_path);
  if (len <= header) return "";
  size_t n = len - header;
  if (su->sun_path[0] == '\0') return "@" + std::string(su->sun_path + 1, n - 1);  // abstract
  return std::string(su->sun_path, strnlen(su->sun_path, n));
}

}  // namespace

Addr::Addr(std::string network, const sockaddr* sa, socklen_t len) : network_(std::move(network)) {
  len_ = std::min<socklen_t>(len, sizeof storage_);
  std::memcpy(&storage_, sa, len_);
}

std::string Addr::ip() const {
  char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "";
  if (storage_.ss_family == AF_INET) {
    auto* s4 = reinterpret_cast<const sockaddr_in*>(&storage_);
    return dotted_quad(reinterpret_cast<const unsigned char*>(&s4->sin_addr));
  }
  if (storage_.ss_family == AF_INET6) {
    auto* s6 = reinterpret_cast<const sockaddr_in6*>(&storage_);
    if (is_v4_mapped(s6->sin6_addr)) return dotted_quad(&s6->sin6_addr.s6_addr[12]);
    inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof text);
    std::string out = text;
    char zone[IF_NAMESIZE];
    if (s6->sin6_scope_id != 0) {
      out += '%';
      out += if_indextoname(s6->sin6_scope_id, zone) ? zone : std::to_string(s6->sin6_scope_id);
    }
    return out;
  }
  return "";
}

int Addr::port() const {
  if (storage_.ss_family == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (storage_.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

std::string Addr::string() const {
  if (!*this) return "<nil>";
  if (storage_.ss_family == AF_UNIX)
    return unix_path(reinterpret_cast<const sockaddr_un*>(&storage_), len_);
  if (storage_.ss_family == AF_INET || storage_.ss_family == AF_INET6)
    return join_host_port(ip(), std::to_string(port()));
  return "";
}

bool operator==(const Addr& a, const Addr& b) {
  return a.network_ == b.network_ && a.len_ == b.len_ &&
         std::memcmp(&a.storage_, &b.storage_, a.len_) == 0;
}

std::ostream& operator<<(std::ostream& os, const Addr& a) { return os << a.string(); }

Result<std::pair<std::string, std::string>> split_host_port(std::string_view hostport) {
  auto addr_error = [&](const char* why) {
    return fail(errors::make("address " + std::string(hostport) + ": " + why));
  };
  size_t colon = hostport.rfind(':');
  if (colon == std::string_view::npos) return addr_error("missing port in address");
  std::string_view host, port = hostport.substr(colon + 1);
  if (!hostport.empty() && hostport[0] == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) return addr_error("missing ']' in address");
    if (close + 1 == hostport.size()) return addr_error("missing port in address");
    if (close + 1 != colon) {
      if (hostport[close + 1] == ':') return addr_error("too many colons in address");
      return addr_error("missing port in address");
    }
    host = hostport.substr(1, close - 1);
    if (host.find('[') != std::string_view::npos) return addr_error("unexpected '[' in address");
  } else {
    host = hostport.substr(0, colon);
    if (host.find(':') != std::string_view::npos) return addr_error("too many colons in address");
    if (host.find('[') != std::string_view::npos) return addr_error("unexpected '[' in address");
    if (host.find(']') != std::string_view::npos) return addr_error("unexpected ']' in address");
  }
  if (port.find(']') != std::string_view::npos) return addr_error("unexpected ']' in address");
  return std::pair{std::string(host), std::string(port)};
}

std::string join_host_port(std::string_view host, std::string_view port) {
  if (host.find(':') != std::string_view::npos)
    return "[" + std::string(host) + "]:" + std::string(port);
  return std::string(host) + ":" + std::string(port);
}

}  // namespace goro::net
