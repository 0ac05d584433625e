// Network names and address resolution for dial/listen: "tcp4" -> AF_INET
// stream sockets, "host:port" -> socket addresses (IPv4 first, as Go
// prefers for listen), host names looked up through the blocking pool.
// Stateless apart from a cached "does this host have IPv6" probe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "goro/net.hpp"

namespace goro::net::detail {

struct Network {
  std::string name;  // as the caller gave it ("tcp4")
  std::string base;  // "tcp", "udp" or "unix"
  int family;        // AF_UNSPEC, AF_INET, AF_INET6 or AF_UNIX
  int sotype;        // SOCK_STREAM or SOCK_DGRAM
};

// "unknown network <name>" for anything else.
Result<Network> parse_network(std::string_view name);

struct Resolved {
  std::vector<Addr> addrs;  // at least one
  bool wildcard = false;    // empty or unspecified host for listen
  std::string port;         // as given
};

// TCP/UDP: every address of host:port usable with net.family. For listen an
// empty host is the wildcard (dual-stack [::] for "tcp"/"udp" when the host
// has IPv6); for dial it is the local system (loopback).
Result<Resolved> resolve_inet(const Network& net, std::string_view address, bool for_listen);
// Unix: the path ("@name": abstract namespace).
Result<Addr> unix_addr(const Network& net, std::string_view path);
// Whether AF_INET6 sockets can be made here.
bool ipv6_supported();

}  // namespace goro::net::detail
