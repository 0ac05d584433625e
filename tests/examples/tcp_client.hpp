// A plain-POSIX TCP client for the end-to-end tests of the network examples
// (clock, netcat, reverb, greet, chat): it talks to a server the way nc
// would, independently of goro's own net package.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <gtest/gtest.h>

#include "support/free_port.hpp"
#include "support/process.hpp"

namespace tcp_client {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

using goro_test::free_port;

inline std::string addr_string(const sockaddr_in& sa) {
  char ip[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip);
  return std::string(ip) + ":" + std::to_string(ntohs(sa.sin_port));
}

class Client {
 public:
  Client() = default;
  Client(Client&& o) noexcept : fd_(o.fd_), buf_(std::move(o.buf_)), eof_(o.eof_) { o.fd_ = -1; }
  Client& operator=(Client&& o) noexcept {
    std::swap(fd_, o.fd_);
    std::swap(buf_, o.buf_);
    std::swap(eof_, o.eof_);
    return *this;
  }
  ~Client() { close(); }

  // Connects to 127.0.0.1:port, retrying while the server is not yet
  // listening (connection refused), for up to timeout.
  static std::optional<Client> dial(int port, std::chrono::milliseconds timeout = 20s) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      sa.sin_port = htons(uint16_t(port));
      if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
        Client c;
        c.fd_ = fd;
        return c;
      }
      ::close(fd);
      if (Clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(20ms);
    }
  }

  static Client adopt(int fd) {
    Client c;
    c.fd_ = fd;
    return c;
  }

  // This end's address as the server sees it: "127.0.0.1:54321".
  std::string local_addr() const {
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    return addr_string(sa);
  }

  // The next line without its '\n'; nullopt on timeout or at end of input
  // (then eof() tells which).
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 10s) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return line;
      }
      if (eof_ || !fill(deadline)) return std::nullopt;
    }
  }

  // Whatever arrives within `wait` (for checking that nothing does).
  std::string read_for(std::chrono::milliseconds wait) {
    auto deadline = Clock::now() + wait;
    while (!eof_ && fill(deadline)) {
    }
    std::string s = std::move(buf_);
    buf_.clear();
    return s;
  }

  // Reads and discards until the server closes its side; false on timeout.
  bool wait_eof(std::chrono::milliseconds timeout = 10s) {
    auto deadline = Clock::now() + timeout;
    while (!eof_) {
      if (!fill(deadline) && !eof_) return false;
      buf_.clear();
    }
    return true;
  }
  bool eof() const { return eof_; }

  bool write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(size_t(n));
    }
    return true;
  }
  void close_write() { ::shutdown(fd_, SHUT_WR); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  // One read into buf_ before the deadline; false on timeout or EOF/error.
  bool fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, int(left.count()));
    if (r < 0 && errno == EINTR) return true;
    if (r <= 0) return false;
    char tmp[4096];
    ssize_t n = ::read(fd_, tmp, sizeof tmp);
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    buf_.append(tmp, size_t(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
  bool eof_ = false;
};

// A listening socket on 127.0.0.1 (any free port), standing in for a server.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    ::listen(fd_, 16);
    socklen_t len = sizeof sa;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
  }
  ~Listener() { ::close(fd_); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  int port() const { return port_; }
  std::string addr() const { return "127.0.0.1:" + std::to_string(port_); }

  // The next connection, or nullopt after timeout.
  std::optional<Client> accept(std::chrono::milliseconds timeout = 10s) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, int(timeout.count())) <= 0) return std::nullopt;
    int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return std::nullopt;
    return Client::adopt(fd);
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Stops a server (SIGTERM) and checks that it reported no sanitizer error
// (ASan/UBSan/TSan builds) nor anything else on stderr.
inline void stop_server(ChildProcess& server) {
  EXPECT_TRUE(server.running()) << "the server stopped by itself";
  server.terminate();
  ProcessResult r = server.wait(std::chrono::seconds(10));
  EXPECT_EQ(r.err.find("Sanitizer"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("runtime error"), std::string::npos) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace tcp_client
