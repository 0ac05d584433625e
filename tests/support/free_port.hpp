// A loopback TCP port for a test server that another process will listen
// on (the examples take -port N, as their Go originals do).
//
// Asking the kernel for port 0 and passing the number on has a window: the
// port goes back to the ephemeral range, from which any outgoing connection
// (another test running in parallel) may take it before the server binds.
// So the port is picked below the ephemeral range instead, where the kernel
// never assigns ports by itself: from a sequence seeded by the process id
// (tests run in parallel as separate processes), skipping ports that are
// taken.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

namespace goro_test {

inline bool port_is_free(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as servers do
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(uint16_t(port));
  bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  ::close(fd);
  return free;
}

// A free port below the kernel's ephemeral range; 0 if none was found.
inline int free_port() {
  int ephemeral_low = 32768;
  if (std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range"); range) range >> ephemeral_low;
  const int low = 10000, high = ephemeral_low > low + 1000 ? ephemeral_low : 32768;
  const int span = high - low;
  static std::atomic<int> next{int((unsigned(::getpid()) * 2654435761u) % unsigned(span))};
  for (int tries = 0; tries < span; ++tries) {
    int port = low + next.fetch_add(1) % span;
    if (port_is_free(port)) return port;
  }
  return 0;
}

}  // namespace goro_test
