// Socket helpers shared by dial, listen and the connection types: creating
// a registered non-blocking socket, reading its addresses, and Go's OpError
// text ("<op> <net> [<source>-><addr>|<addr>]: <cause>"). Stateless.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "net/netfd.hpp"

namespace goro::net::detail {

// socket(2), non-blocking and close-on-exec, registered with the poller.
Result<std::shared_ptr<NetFD>> new_socket(int family, int sotype, const std::string& net);
Addr local_name(int fd, const std::string& base);
Addr peer_name(int fd, const std::string& base);
// Go's *net.OpError message around cause; an absent or empty address is
// left out. io::eof passes through unwrapped (Go returns bare io.EOF).
Error op_error(std::string_view op, std::string_view net, const Addr* source, const Addr* addr,
               Error cause);

}  // namespace goro::net::detail
