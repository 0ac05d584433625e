// goro::http internal — ServerConn: the per-connection request loop (see
// server_conn.hpp for ownership and the state machine), the request body
// source, the background read that notices a client going away, and Go's
// answers to bad requests.
#include "http/server_conn.hpp"

#include <fmt/format.h>

#include "goro/go.hpp"
#include "goro/panic.hpp"
#include "http/response_writer.hpp"
#include "http/wire.hpp"

namespace goro::http::detail {

namespace {

using Clock = std::chrono::steady_clock;

net::Deadline deadline_after(time::Duration d) { return Clock::now() + d.chrono(); }

// A deadline in the past: wakes a blocked read at once (abortPendingRead).
const net::Deadline past_deadline = net::Deadline(std::chrono::nanoseconds(1));

// How much unread request body the server reads and throws away to keep a
// connection alive (Go's maxPostHandlerReadBytes).
constexpr std::size_t max_discard_bytes = 256 << 10;

}  // namespace

// The request body: reads from the connection's MessageReader. Marked done
// when its request ends, so a Body kept beyond the handler cannot read the
// next request.
class ServerBodySource final : public Body::Source {
 public:
  ServerBodySource(ServerConn& conn, std::int64_t length) : conn_(conn), length_(length) {}

  Result<std::size_t> read(std::span<std::byte> buf) override {
    if (closed_ || done_) return fail(err_body_read_after_close);
    if (Error e = conn_.send_continue()) return fail(e);
    auto r = conn_.reader().read_body(buf);
    if (!r && r.error() == io::eof) {
      if (!eof_seen_) {
        eof_seen_ = true;
        conn_.start_background_read();
      }
    }
    return r;
  }
  Error close() override {
    closed_ = true;
    return {};
  }
  std::int64_t length() const override { return length_; }
  void mark_done() noexcept { done_ = true; }
  bool closed() const noexcept { return closed_; }

 private:
  ServerConn& conn_;
  std::int64_t length_;
  bool closed_ = false;
  bool done_ = false;
  bool eof_seen_ = false;
};

ServerConn::ServerConn(std::shared_ptr<ServerState> srv, net::Conn conn)
    : srv_(std::move(srv)),
      conn_(std::move(conn)),
      remote_(conn_.remote_addr().string()),
      reader_(MessageReader::Kind::request, conn_),
      created_(Clock::now()) {}

bool ServerConn::set_state(ConnState from, ConnState to) {
  int f = from;
  if (!state_.compare_exchange_strong(f, to, std::memory_order_acq_rel)) return false;
  if (srv_->conn_state) srv_->conn_state(conn_, to);
  return true;
}

bool ServerConn::close_if_idle() {
  int s = state_.load(std::memory_order_acquire);
  if (s == StateNew && Clock::now() - created_ < std::chrono::seconds(5)) return false;
  if (s != StateIdle && s != StateNew) return false;
  if (!state_.compare_exchange_strong(s, StateClosed, std::memory_order_acq_rel)) return false;
  conn_.close();
  return true;
}

void ServerConn::close_now() { conn_.close(); }

bool ServerConn::response_started() const noexcept { return writer_ && writer_->committed(); }

Error ServerConn::send_continue() {
  if (!expect_continue_ || continue_sent_) return {};
  continue_sent_ = true;
  if (response_started()) return {};
  auto w = conn_.write(std::string_view("HTTP/1.1 100 Continue\r\n\r\n"));
  return w ? Error{} : w.error();
}

void ServerConn::start_background_read() {
  if (bg_running_ || reader_.has_buffered()) return;
  bg_running_ = true;
  bg_aborting_.store(false, std::memory_order_relaxed);
  bg_wg_.add(1);
  go([self = shared_from_this()] {
    auto r = self->reader_.fill();
    if (!r) {
      bool aborted = self->bg_aborting_.load(std::memory_order_acquire) && r.error().timeout();
      if (!aborted) {
        // The client went away (or broke the connection): cancel the request.
        self->peer_gone_ = true;
        if (self->cancel_request_) self->cancel_request_();
      }
    }
    self->bg_wg_.done();
  });
}

void ServerConn::abort_background_read() {
  if (!bg_running_) return;
  bg_aborting_.store(true, std::memory_order_release);
  conn_.set_read_deadline(past_deadline);
  bg_wg_.wait();
  bg_running_ = false;
  conn_.set_read_deadline(net::Deadline{});
}

void ServerConn::close_write_and_wait() {
  conn_.close_write();
  conn_.set_read_deadline(deadline_after(std::chrono::milliseconds(500)));
  std::byte sink[1024];
  std::size_t total = 0;
  while (total < (1 << 20)) {
    auto r = conn_.read(sink);
    if (!r) break;
    total += *r;
  }
}

void ServerConn::fail_request(int code, std::string_view detail) {
  std::string text = fmt::format("{} {}", code, status_text(code));
  std::string body = detail.empty() ? text : fmt::format("{}: {}", text, detail);
  std::string resp = fmt::format(
      "HTTP/1.1 {}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n{}", text,
      body);
  if (srv_->write_timeout.nanoseconds() > 0)
    conn_.set_write_deadline(deadline_after(srv_->write_timeout));
  if (conn_.write(resp)) close_write_and_wait();
}

void ServerConn::finish_close() {
  if (closed_) return;
  closed_ = true;
  conn_.close();
  // Reported once, whoever (this goroutine or a shutdown) closed it first.
  state_.store(StateClosed, std::memory_order_release);
  if (srv_->conn_state) srv_->conn_state(conn_, StateClosed);
}

void ServerConn::serve() {
  if (srv_->conn_state) srv_->conn_state(conn_, StateNew);
  bool first = true;
  while (serve_one(first)) first = false;
  finish_close();
  std::lock_guard lock(srv_->mu);
  srv_->conns.erase(this);
}

// Reads and answers one request; false when the connection must end.
bool ServerConn::serve_one(bool first) {
  ServerState& srv = *srv_;
  // Between requests: wait for the next one for at most the idle timeout.
  if (!first && !reader_.has_buffered()) {
    time::Duration idle = srv.idle_timeout.nanoseconds() > 0 ? srv.idle_timeout : srv.read_timeout;
    if (idle.nanoseconds() > 0) conn_.set_read_deadline(deadline_after(idle));
    auto r = reader_.fill();
    if (!r) return false;
  }
  // Header deadline (and the whole-request one).
  time::Duration hdr =
      srv.read_header_timeout.nanoseconds() > 0 ? srv.read_header_timeout : srv.read_timeout;
  auto start = Clock::now();
  if (hdr.nanoseconds() > 0) {
    conn_.set_read_deadline(start + hdr.chrono());
  } else if (!first) {
    conn_.set_read_deadline(net::Deadline{});
  }

  auto head = reader_.read_head(srv.max_header_bytes);
  if (!head) {
    switch (reader_.failure()) {
      case MessageReader::Failure::too_large:
        fail_request(StatusRequestHeaderFieldsTooLarge, "");
        break;
      case MessageReader::Failure::malformed:
        fail_request(StatusBadRequest, head.error().message());
        break;
      default:
        break;  // EOF, timeout, reset: nothing to answer (as Go)
    }
    return false;
  }
  if (!set_state(first ? StateNew : StateIdle, StateActive)) return false;  // shut down meanwhile

  // Body and write deadlines.
  if (srv.read_header_timeout.nanoseconds() > 0 || srv.read_timeout.nanoseconds() > 0) {
    conn_.set_read_deadline(srv.read_timeout.nanoseconds() > 0 ? start + srv.read_timeout.chrono()
                                                               : net::Deadline{});
  }
  if (srv.write_timeout.nanoseconds() > 0)
    conn_.set_write_deadline(deadline_after(srv.write_timeout));

  // Build the Request.
  Request req;
  req.method = std::move(head->method);
  req.target = std::move(head->target);
  auto u = url::parse_request_uri(req.target);
  if (!u) {
    fail_request(StatusBadRequest, "malformed HTTP request: invalid request URI");
    return false;
  }
  req.url = std::move(*u);
  req.proto_major = head->proto_major;
  req.proto_minor = head->proto_minor;
  if (req.proto_major < 10 && req.proto_minor < 10 && req.proto_major >= 0 &&
      req.proto_minor >= 0) {
    req.proto = "HTTP/0.0";  // the usual case, without a format call per request
    req.proto[5] = char('0' + req.proto_major);
    req.proto[7] = char('0' + req.proto_minor);
  } else {
    req.proto = fmt::format("HTTP/{}.{}", req.proto_major, req.proto_minor);
  }
  req.header = std::move(head->header);
  const auto& hosts = req.header.values("Host");
  if (hosts.size() > 1 || (hosts.empty() && req.proto_at_least(1, 1))) {
    fail_request(StatusBadRequest,
                 hosts.empty() ? "missing required Host header" : "too many Host headers");
    return false;
  }
  req.host = !req.url.host.empty() ? req.url.host : hosts.empty() ? "" : hosts.front();
  req.header.del("Host");
  if (head->chunked) {
    req.content_length = -1;
    req.transfer_encoding = {"chunked"};
  } else {
    req.content_length = head->content_length < 0 ? 0 : head->content_length;
  }
  req.close = !head->keep_alive || head->upgrade;
  req.remote_addr = remote_;

  expect_continue_ = false;
  continue_sent_ = false;
  peer_gone_ = false;
  std::string expect = req.header.get("Expect");
  if (!expect.empty()) {
    if (equal_fold(expect, "100-continue") && req.proto_at_least(1, 1)) {
      expect_continue_ = req.content_length != 0;
    } else {
      fail_request(StatusExpectationFailed, "");
      return false;
    }
  }

  std::shared_ptr<ServerBodySource> body;
  if (req.content_length != 0) {
    body = std::make_shared<ServerBodySource>(*this, req.content_length);
    req.body = Body(body);
  }
  auto [ctx, cancel] = context::with_cancel(srv.base_ctx);
  cancel_request_ = cancel;
  req.ctx_ = ctx;

  bool want_close = req.close || srv.shutting_down() || !srv.keep_alives.load();
  ConnResponseWriter w(*this, req, want_close);
  writer_ = &w;
  if (!body) start_background_read();

  bool panicked = false;
  try {
    srv.handler(w, req);
  } catch (const std::exception& e) {
    panicked = true;
    srv.log(fmt::format("http: panic serving {}: {}", remote_, e.what()));
  } catch (...) {
    panicked = true;
    srv.log(fmt::format("http: panic serving {}: unknown exception", remote_));
  }
  abort_background_read();
  if (body) body->mark_done();
  writer_ = nullptr;
  if (panicked) {
    cancel();
    cancel_request_ = nullptr;
    return false;
  }

  bool keep = !peer_gone_ && !w.close_after();
  if (keep && !reader_.body_done()) {
    // The handler left body unread: a client waiting for 100 Continue never
    // sent it; otherwise read and drop a bounded amount to keep the
    // connection usable.
    if (expect_continue_ && !continue_sent_) {
      keep = false;
    } else {
      std::byte sink[4096];
      std::size_t dropped = 0;
      while (!reader_.body_done() && dropped <= max_discard_bytes) {
        auto r = reader_.read_body(sink);
        if (!r) break;
        dropped += *r;
      }
      keep = reader_.body_done();
    }
    if (!keep) w.set_close_after();
  }
  Error werr = w.finish();
  cancel();
  cancel_request_ = nullptr;
  if (werr || w.close_after() || !keep) {
    if (!werr && !reader_.body_done()) close_write_and_wait();
    return false;
  }
  if (srv.write_timeout.nanoseconds() > 0) conn_.set_write_deadline(net::Deadline{});
  return set_state(StateActive, StateIdle);
}

}  // namespace goro::http::detail
