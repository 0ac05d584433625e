// goro::http internal — ServerConn: one accepted connection, served by one
// goroutine (serve()) that reads requests in order, runs the handler on
// itself, and writes the response before reading the next request.
//
// Invariants / who touches what:
//  - conn_ is set at construction and never reassigned; close() may be
//    called on it from any goroutine (Server::close/shutdown), the net layer
//    makes that safe and wakes the serving goroutine.
//  - state_ (ConnState) is an atomic changed by CAS: the serving goroutine
//    moves new/idle -> active and active -> idle; shutdown moves
//    idle (or old new) -> closed and then closes the socket. Whoever wins
//    the CAS decides, so a connection that became active is never cut off
//    by a graceful shutdown.
//  - reader_, the current request's fields and the response writer belong to
//    the serving goroutine. The background read goroutine (started once the
//    request body is at EOF, Go's startBackgroundRead) touches reader_ (fill)
//    and peer_gone_ / cancel_request_ only while the serving goroutine is
//    running the handler; the serving goroutine stops it (a read deadline in
//    the past) and waits for it (bg_wg_) before touching those again.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "goro/http.hpp"
#include "goro/sync.hpp"
#include "http/message_reader.hpp"
#include "http/server_state.hpp"

namespace goro::http::detail {

class ServerBodySource;

class ServerConn : public std::enable_shared_from_this<ServerConn> {
 public:
  ServerConn(std::shared_ptr<ServerState> srv, net::Conn conn);
  ServerConn(const ServerConn&) = delete;
  ServerConn& operator=(const ServerConn&) = delete;

  // The goroutine body: serves requests until the connection ends.
  void serve();

  // ConnState transitions (see above).
  ConnState state() const noexcept { return ConnState(state_.load(std::memory_order_acquire)); }
  // From shutdown: closes the connection if it is idle (or new and older
  // than 5 s). True if it was closed.
  bool close_if_idle();
  // From Server::close: closes now whatever the state.
  void close_now();

  // Used by the response writer and the body.
  net::Conn& conn() noexcept { return conn_; }
  ServerState& server() noexcept { return *srv_; }
  MessageReader& reader() noexcept { return reader_; }
  const std::string& remote() const noexcept { return remote_; }
  // The body reached EOF: start watching for the client going away.
  void start_background_read();
  // 100-continue: write "100 Continue" before the first body read, unless
  // the response has started.
  Error send_continue();
  bool response_started() const noexcept;

 private:
  bool set_state(ConnState from, ConnState to);
  void abort_background_read();
  // Writes a canned error response (400/431...) and closes gracefully.
  void fail_request(int code, std::string_view detail);
  // Shuts the write side and drains input for a while so that the client
  // reads our last response before the socket is closed (Go's
  // closeWriteAndWait).
  void close_write_and_wait();
  void finish_close();
  bool serve_one(bool first);

  std::shared_ptr<ServerState> srv_;
  net::Conn conn_;
  std::string remote_;
  MessageReader reader_;
  std::atomic<int> state_{StateNew};
  std::chrono::steady_clock::time_point created_;

  // Current request (serving goroutine; see above for the background read).
  class ConnResponseWriter* writer_ = nullptr;
  bool expect_continue_ = false;
  bool continue_sent_ = false;
  bool bg_running_ = false;
  std::atomic<bool> bg_aborting_{false};
  bool peer_gone_ = false;
  context::CancelFunc cancel_request_;
  goro::WaitGroup bg_wg_;
  bool closed_ = false;
};

}  // namespace goro::http::detail
