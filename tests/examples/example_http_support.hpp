// Helpers for the HTTP examples' end-to-end tests: a free loopback port and
// waiting until a server accepts connections.
#pragma once

#include <chrono>
#include <goro/http.hpp>
#include <goro/net.hpp>
#include <string>
#include <thread>

#include "support/free_port.hpp"

namespace example_http {

using goro_test::free_port;

// Polls until something accepts connections on 127.0.0.1:port.
inline bool wait_listening(int port, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto c = goro::net::dial("tcp", "127.0.0.1:" + std::to_string(port));
    if (c) {
      c->close();
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace example_http
