// goro::http internal — ServerState: what a Server and its connections
// share.
//
// Invariants / locking:
//  - The configuration fields (handler, timeouts, limits, callbacks) are
//    written once by Server::serve before any connection exists and are
//    read-only afterwards.
//  - mu guards listeners and conns. Connection goroutines add themselves
//    (under mu, refused once closing) and remove themselves when they end.
//  - in_shutdown / closed / keep_alives are atomics read by connections
//    without the lock.
//  - base_ctx is cancelled by close(); every request context derives from it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "goro/context.hpp"
#include "goro/http.hpp"
#include "goro/sync.hpp"

namespace goro::http::detail {

class ServerConn;

struct ServerState : std::enable_shared_from_this<ServerState> {
  // Configuration (read-only once serving).
  Handler handler;
  time::Duration read_timeout{}, read_header_timeout{}, write_timeout{}, idle_timeout{};
  std::size_t max_header_bytes = default_max_header_bytes;
  std::function<void(const net::Conn&, ConnState)> conn_state;
  std::function<void(std::string_view)> error_log;
  bool configured = false;  // under mu

  std::atomic<bool> in_shutdown{false};
  std::atomic<bool> closed{false};
  std::atomic<bool> keep_alives{true};

  Context base_ctx;
  context::CancelFunc cancel_base;

  goro::Mutex mu;
  std::vector<net::Listener> listeners;                                // under mu
  std::unordered_map<ServerConn*, std::shared_ptr<ServerConn>> conns;  // under mu

  ServerState();
  void log(std::string_view msg) const;
  bool shutting_down() const noexcept { return in_shutdown.load(std::memory_order_acquire); }
  // Closes idle connections (and new ones older than 5 s); true when no
  // connection is left.
  bool close_idle_conns();
};

}  // namespace goro::http::detail
