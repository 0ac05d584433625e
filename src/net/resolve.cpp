// Network names and address resolution. See resolve.hpp.
#include "net/resolve.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "goro/runtime.hpp"

namespace goro::net::detail {

namespace {

Addr make_inet(const std::string& base, int family, const void* ip, int port, uint32_t scope = 0) {
  if (family == AF_INET) {
    sockaddr_in s{};
    s.sin_family = AF_INET;
    s.sin_port = htons(uint16_t(port));
    std::memcpy(&s.sin_addr, ip, 4);
    return Addr(base, reinterpret_cast<sockaddr*>(&s), sizeof s);
  }
  sockaddr_in6 s{};
  s.sin6_family = AF_INET6;
  s.sin6_port = htons(uint16_t(port));
  s.sin6_scope_id = scope;
  std::memcpy(&s.sin6_addr, ip, 16);
  return Addr(base, reinterpret_cast<sockaddr*>(&s), sizeof s);
}

Result<int> parse_port(const Network& net, std::string_view port, std::string_view address) {
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (!port.empty() && ec == std::errc() && end == port.data() + port.size()) {
    if (value < 0 || value > 65535)
      return fail(errors::make("address " + std::string(address) + ": invalid port"));
    return value;
  }
  if (port.empty()) return 0;  // Go: an empty port is port 0
  // A service name ("http"), from /etc/services.
  servent entry, *found = nullptr;
  char buf[1024];
  std::string name(port);
  getservbyname_r(name.c_str(), net.base.c_str(), &entry, buf, sizeof buf, &found);
  if (!found) return fail(errors::make("lookup " + net.base + "/" + name + ": unknown port"));
  return int(ntohs(uint16_t(found->s_port)));
}

bool family_ok(const Network& net, int family) {
  return net.family == AF_UNSPEC || net.family == family;
}

}  // namespace

bool ipv6_supported() {
  static const bool ok = [] {
    int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    ::close(fd);
    return true;
  }();
  return ok;
}

Result<Network> parse_network(std::string_view name) {
  Network n{std::string(name), "", AF_UNSPEC, SOCK_STREAM};
  if (name == "tcp" || name == "tcp4" || name == "tcp6") {
    n.base = "tcp";
  } else if (name == "udp" || name == "udp4" || name == "udp6") {
    n.base = "udp";
    n.sotype = SOCK_DGRAM;
  } else if (name == "unix") {
    n.base = "unix";
    n.family = AF_UNIX;
    return n;
  } else {
    return fail(errors::make("unknown network " + std::string(name)));
  }
  if (name.ends_with('4')) n.family = AF_INET;
  if (name.ends_with('6')) n.family = AF_INET6;
  return n;
}

Result<Resolved> resolve_inet(const Network& net, std::string_view address, bool for_listen) {
  auto split = split_host_port(address);
  if (!split) return fail(split.error());
  auto& [host, port_text] = *split;
  auto port = parse_port(net, port_text, address);
  if (!port) return fail(port.error());
  Resolved out;
  out.port = port_text;

  // Literal IPs (an IPv6 one may carry a %zone).
  in_addr v4;
  in6_addr v6;
  std::string ip6 = host, zone;
  if (size_t pct = host.find('%'); pct != std::string::npos) {
    ip6 = host.substr(0, pct);
    zone = host.substr(pct + 1);
  }
  bool unspecified = host.empty();
  if (!host.empty() && inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    unspecified = v4.s_addr == htonl(INADDR_ANY);
    if (!unspecified || for_listen) {
      if (!family_ok(net, AF_INET)) {
        // tcp6 with an IPv4 literal: Go maps it (::ffff:a.b.c.d).
        return fail(errors::make("address " + host + ": no suitable address found"));
      }
      out.addrs.push_back(make_inet(net.base, AF_INET, &v4, *port));
      out.wildcard = unspecified;
      return out;
    }
  } else if (!host.empty() && inet_pton(AF_INET6, ip6.c_str(), &v6) == 1) {
    unspecified = IN6_IS_ADDR_UNSPECIFIED(&v6);
    if (!unspecified || for_listen) {
      if (!family_ok(net, AF_INET6))
        return fail(errors::make("address " + host + ": no suitable address found"));
      uint32_t scope = 0;
      if (!zone.empty()) {
        scope = if_nametoindex(zone.c_str());
        if (scope == 0) std::from_chars(zone.data(), zone.data() + zone.size(), scope);
      }
      out.addrs.push_back(make_inet(net.base, AF_INET6, &v6, *port, scope));
      out.wildcard = unspecified;
      return out;
    }
  }

  if (unspecified) {
    // Listen: every interface. Dial: the local system.
    int family = net.family;
    if (family == AF_UNSPEC) family = for_listen && ipv6_supported() ? AF_INET6 : AF_INET;
    if (family == AF_INET) {
      in_addr a{htonl(for_listen ? INADDR_ANY : INADDR_LOOPBACK)};
      out.addrs.push_back(make_inet(net.base, AF_INET, &a, *port));
    } else {
      in6_addr a = for_listen ? in6addr_any : in6addr_loopback;
      out.addrs.push_back(make_inet(net.base, AF_INET6, &a, *port));
    }
    out.wildcard = for_listen;
    return out;
  }

  // A host name: getaddrinfo may block on DNS, so it runs in the blocking pool.
  addrinfo hints{};
  hints.ai_family = net.family;
  hints.ai_socktype = net.sotype;
  addrinfo* list = nullptr;
  int rc = goro::blocking([&] { return getaddrinfo(host.c_str(), nullptr, &hints, &list); });
  if (rc != 0) {
    std::string why = rc == EAI_NONAME || rc == EAI_NODATA ? "no such host"
                      : rc == EAI_SYSTEM                   ? errors::from_errno(errno).message()
                                                           : std::string(gai_strerror(rc));
    return fail(errors::make("lookup " + host + ": " + why));
  }
  for (addrinfo* ai = list; ai; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET) {
      auto* s = reinterpret_cast<sockaddr_in*>(ai->ai_addr);
      out.addrs.push_back(make_inet(net.base, AF_INET, &s->sin_addr, *port));
    } else if (ai->ai_family == AF_INET6) {
      auto* s = reinterpret_cast<sockaddr_in6*>(ai->ai_addr);
      out.addrs.push_back(make_inet(net.base, AF_INET6, &s->sin6_addr, *port, s->sin6_scope_id));
    }
  }
  freeaddrinfo(list);
  // IPv4 first (stable), and without duplicates.
  std::stable_sort(out.addrs.begin(), out.addrs.end(), [](const Addr& a, const Addr& b) {
    return a.sockaddr_ptr()->sa_family == AF_INET && b.sockaddr_ptr()->sa_family != AF_INET;
  });
  out.addrs.erase(std::unique(out.addrs.begin(), out.addrs.end()), out.addrs.end());
  if (out.addrs.empty())
    return fail(errors::make("lookup " + host + ": no suitable address found"));
  return out;
}

Result<Addr> unix_addr(const Network& net, std::string_view path) {
  sockaddr_un su{};
  su.sun_family = AF_UNIX;
  if (path.empty()) return fail(errors::make("missing address"));
  if (path.size() >= sizeof su.sun_path)
    return fail(errors::wrap(errors::from_errno(EINVAL), "address " + std::string(path)));
  std::memcpy(su.sun_path, path.data(), path.size());
  socklen_t len = socklen_t(offsetof(sockaddr_un, sun_path) + path.size());
  if (path[0] == '@')
    su.sun_path[0] = '\0';  // abstract: no trailing NUL in the length
  else
    len += 1;
  return Addr(net.base, reinterpret_cast<sockaddr*>(&su), len);
}

}  // namespace goro::net::detail
