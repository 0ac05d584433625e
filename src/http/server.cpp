// goro::http — Server: accepting connections, graceful shutdown and close,
// and the listen_and_serve shorthands.
//
// Owns: ServerState's lifecycle (see server_state.hpp for its locking).
// serve() runs on the caller (goroutine or thread) and starts one goroutine
// per accepted connection (ServerConn::serve).
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "goro/go.hpp"
#include "goro/select.hpp"
#include "http/server_conn.hpp"
#include "http/server_state.hpp"

namespace goro::http {

namespace detail {

ServerState::ServerState() {
  auto [ctx, cancel] = context::with_cancel(context::background());
  base_ctx = ctx;
  cancel_base = cancel;
}

void ServerState::log(std::string_view msg) const {
  if (error_log) {
    error_log(msg);
    return;
  }
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
  std::string line = fmt::format("{} {}\n", stamp, msg);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

bool ServerState::close_idle_conns() {
  std::lock_guard lock(mu);
  bool quiescent = true;
  for (auto& [_, c] : conns) {
    if (!c->close_if_idle() && c->state() != StateClosed) quiescent = false;
  }
  return quiescent && conns.empty();
}

}  // namespace detail

Server::Server() : state_(std::make_shared<detail::ServerState>()) {}

Server::~Server() { close(); }

void Server::set_keep_alives_enabled(bool on) {
  state_->keep_alives.store(on);
  if (!on) state_->close_idle_conns();
}

Error Server::listen_and_serve() {
  if (state_->shutting_down()) return err_server_closed;
  std::string a = addr.empty() ? std::string(":http") : addr;
  if (a == ":http") a = ":80";
  auto ln = net::listen("tcp", a);
  if (!ln) return ln.error();
  return serve(std::move(*ln));
}

Error Server::serve(net::Listener ln) {
  auto st = state_;
  {
    std::lock_guard lock(st->mu);
    if (st->shutting_down()) {
      ln.close();
      return err_server_closed;
    }
    if (!st->configured) {
      st->configured = true;
      st->handler = handler ? handler : Handler(default_serve_mux());
      st->read_timeout = read_timeout;
      st->read_header_timeout = read_header_timeout;
      st->write_timeout = write_timeout;
      st->idle_timeout = idle_timeout;
      st->max_header_bytes = max_header_bytes ? max_header_bytes : default_max_header_bytes;
      st->conn_state = conn_state;
      st->error_log = error_log;
    }
    st->listeners.push_back(ln);
  }
  for (;;) {
    auto c = ln.accept();
    if (!c) {
      ln.close();
      {
        std::lock_guard lock(st->mu);
        std::erase(st->listeners, ln);
      }
      if (st->shutting_down()) return err_server_closed;
      return c.error();
    }
    auto sc = std::make_shared<detail::ServerConn>(st, std::move(*c));
    {
      std::lock_guard lock(st->mu);
      if (st->closed.load()) {
        sc->close_now();
        continue;
      }
      st->conns.emplace(sc.get(), sc);
    }
    go([sc] { sc->serve(); });
  }
}

Error Server::shutdown(const Context& ctx) {
  auto st = state_;
  st->in_shutdown.store(true, std::memory_order_release);
  {
    std::lock_guard lock(st->mu);
    for (auto& ln : st->listeners) ln.close();
  }
  // Poll, as Go does: 1 ms doubling up to 500 ms.
  auto interval = std::chrono::milliseconds(1);
  for (;;) {
    if (st->close_idle_conns()) return {};
    if (ctx.err()) return ctx.err();
    bool done = false;
    goro::select(goro::recv(ctx.done(), [&](auto) { done = true; }),
                 goro::recv(time::after(interval)));
    if (done) return ctx.err();
    interval = std::min(interval * 2, std::chrono::milliseconds(500));
  }
}

Error Server::close() {
  auto st = state_;
  st->in_shutdown.store(true, std::memory_order_release);
  st->closed.store(true, std::memory_order_release);
  st->cancel_base();
  std::lock_guard lock(st->mu);
  for (auto& ln : st->listeners) ln.close();
  for (auto& [_, c] : st->conns) c->close_now();
  return {};
}

Error listen_and_serve(std::string_view addr, Handler handler) {
  Server srv;
  srv.addr = std::string(addr);
  srv.handler = std::move(handler);
  return srv.listen_and_serve();
}

}  // namespace goro::http
