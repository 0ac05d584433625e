// goro::http internal — Transport (see transport.hpp): dialling and pooling
// connections, writing a request (Content-Length or chunked body), reading
// the response head, and the response body source that gives the
// connection back to the pool at EOF.
#include "http/transport.hpp"

#include <fmt/format.h>

#include "http/wire.hpp"

namespace goro::http::detail {

const Error err_client_timeout_headers = errors::make_timeout(
    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
const Error err_client_timeout_body = errors::make_timeout(
    "context deadline exceeded (Client.Timeout or context cancellation while reading body)");

namespace {

constexpr std::size_t max_response_header_bytes = 10 << 20;  // Go's default

// The response body: streams from the connection; at EOF the connection
// goes back to the pool (if reusable), on close or error it is closed.
class ClientBodySource final : public Body::Source {
 public:
  ClientBodySource(std::shared_ptr<Transport> t, std::shared_ptr<ClientConn> c, bool keep_alive,
                   std::int64_t length)
      : t_(std::move(t)), c_(std::move(c)), keep_alive_(keep_alive), length_(length) {}
  ~ClientBodySource() override { release(false); }

  Result<std::size_t> read(std::span<std::byte> buf) override {
    if (closed_) return fail(err_body_read_after_close);
    if (!c_) return fail(err_ ? err_ : io::eof);
    auto r = c_->reader.read_body(buf);
    if (!r) {
      err_ = r.error();
      if (err_ == io::eof) {
        release(true);
      } else {
        if (err_.timeout()) err_ = err_client_timeout_body;
        release(false);
      }
      return fail(err_);
    }
    return r;
  }
  Error close() override {
    closed_ = true;
    release(c_ && c_->reader.body_done());
    return {};
  }
  std::int64_t length() const override { return length_; }

 private:
  void release(bool reusable) {
    if (!c_) return;
    auto c = std::move(c_);
    c_.reset();
    if (reusable && keep_alive_ && !c->reader.has_buffered()) {
      t_->put_idle(std::move(c));
    } else {
      c->conn.close();
    }
  }

  std::shared_ptr<Transport> t_;
  std::shared_ptr<ClientConn> c_;
  bool keep_alive_;
  std::int64_t length_;
  bool closed_ = false;
  Error err_;
};

bool is_retryable_error(const Error& e) {
  return e == io::eof || e == io::err_unexpected_eof ||
         errors::is(e, errors::from_errno(ECONNRESET)) || errors::is(e, errors::from_errno(EPIPE));
}

}  // namespace

void Transport::put_idle(std::shared_ptr<ClientConn> c) {
  c->conn.set_deadline(net::Deadline{});
  std::lock_guard lock(mu_);
  auto& v = idle_[c->key];
  if (int(v.size()) >= max_idle_per_host.load()) {
    c->conn.close();
    return;
  }
  v.push_back(std::move(c));
}

void Transport::close_idle() {
  std::map<std::string, std::vector<std::shared_ptr<ClientConn>>> all;
  {
    std::lock_guard lock(mu_);
    all.swap(idle_);
  }
  for (auto& [_, v] : all) {
    for (auto& c : v) c->conn.close();
  }
}

Result<std::shared_ptr<ClientConn>> Transport::get_conn(const std::string& key,
                                                        net::Deadline deadline, bool& reused) {
  {
    std::lock_guard lock(mu_);
    auto it = idle_.find(key);
    if (it != idle_.end() && !it->second.empty()) {
      auto c = std::move(it->second.back());
      it->second.pop_back();
      reused = true;
      return c;
    }
  }
  reused = false;
  Result<net::Conn> conn = fail(Error{});
  if (deadline != net::Deadline{}) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds(0)) return fail(err_client_timeout_headers);
    conn = net::dial_timeout("tcp", key, left);
  } else {
    conn = net::dial("tcp", key);
  }
  if (!conn) return fail(conn.error().timeout() ? err_client_timeout_headers : conn.error());
  dials_.fetch_add(1);
  return std::make_shared<ClientConn>(std::move(*conn), key);
}

Result<Response> Transport::exchange(const std::shared_ptr<ClientConn>& c, const Request& req,
                                     Body& body, bool& nothing_received) {
  nothing_received = true;
  // Request line and headers.
  std::string out;
  out.reserve(256);
  out += req.method;
  out += ' ';
  out += req.url.request_uri();
  out += " HTTP/1.1\r\nHost: ";
  out += req.host.empty() ? req.url.host : req.host;
  out += "\r\n";
  if (!req.header.has("User-Agent")) out += "User-Agent: Go-http-client/1.1\r\n";
  Header h = req.header;
  h.del("Host");
  h.del("Content-Length");
  h.del("Transfer-Encoding");
  if (req.close) h.set("Connection", "close");
  append_headers(out, h);
  std::int64_t len = body.is_empty() ? 0 : body.length();
  bool chunked = len < 0;
  if (chunked) {
    out += "Transfer-Encoding: chunked\r\n";
  } else if (len > 0 || (req.method != "GET" && req.method != "HEAD" && req.method != "DELETE" &&
                         req.method != "OPTIONS")) {
    out += fmt::format("Content-Length: {}\r\n", len);
  }
  out += "\r\n";
  // Body: small ones go with the head in one write.
  if (!body.is_empty()) {
    std::string chunk(32 * 1024, '\0');
    std::int64_t sent = 0;
    for (;;) {
      auto n = body.read(io::writable_bytes(chunk));
      if (!n) {
        if (n.error() != io::eof) return fail(n.error());
        break;
      }
      if (chunked) {
        append_chunk(out, std::string_view(chunk.data(), *n));
      } else {
        out.append(chunk.data(), *n);
      }
      sent += std::int64_t(*n);
      if (out.size() >= 32 * 1024) {
        auto w = c->conn.write(out);
        if (!w) return fail(w.error());
        out.clear();
      }
    }
    if (!chunked && sent != len) {
      return fail(
          errors::make(fmt::format("http: ContentLength={} with Body length {}", len, sent)));
    }
    if (chunked) out += last_chunk;
  }
  auto w = c->conn.write(out);
  if (!w) return fail(w.error());

  // Response head (informational 1xx responses are skipped).
  bool head_req = req.method == "HEAD";
  Result<MessageHead> head = fail(Error{});
  for (;;) {
    head = c->reader.read_head(max_response_header_bytes, head_req);
    if (!head) return fail(head.error());
    nothing_received = false;
    if (head->status_code >= 100 && head->status_code <= 199 && head->status_code != 101) continue;
    break;
  }
  Response resp;
  resp.status_code = head->status_code;
  resp.status = fmt::format("{} {}", head->status_code,
                            head->status_text.empty() ? status_text(head->status_code)
                                                      : std::string_view(head->status_text));
  resp.proto_major = head->proto_major;
  resp.proto_minor = head->proto_minor;
  resp.proto = fmt::format("HTTP/{}.{}", resp.proto_major, resp.proto_minor);
  resp.header = std::move(head->header);
  resp.close = !head->keep_alive || req.close;
  if (head->chunked) resp.transfer_encoding = {"chunked"};
  resp.content_length = head->chunked ? -1 : head->content_length;
  bool keep = head->keep_alive && !req.close;
  if (c->reader.body_done()) {
    if (head_req)
      resp.content_length = head->content_length;
    else
      resp.content_length = 0;
    if (keep && !c->reader.has_buffered()) {
      put_idle(c);
    } else {
      c->conn.close();
    }
  } else {
    resp.body =
        Body(std::make_shared<ClientBodySource>(shared_from_this(), c, keep, resp.content_length));
  }
  return resp;
}

Result<Response> Transport::round_trip(const Request& req, net::Deadline deadline) {
  if (req.url.scheme != "http") {
    return fail(errors::make(fmt::format("unsupported protocol scheme \"{}\"", req.url.scheme)));
  }
  if (req.url.host.empty()) return fail(err_missing_host);
  std::string key = req.url.host;
  if (req.url.port().empty()) key = net::join_host_port(req.url.hostname(), "80");
  for (int attempt = 0;; ++attempt) {
    // A body is sent from a fresh replay when it has one, so a retry can
    // send it again.
    Body body = req.body;
    if (auto fresh = req.body.replay()) body = Body(fresh);
    bool replayable = req.body.is_empty() || req.body.replay() != nullptr;

    bool reused = false;
    auto c = get_conn(key, deadline, reused);
    if (!c) return fail(c.error());
    auto& conn = *c;
    if (deadline != net::Deadline{}) conn->conn.set_deadline(deadline);
    // Cancellation through the request's context.
    std::function<bool()> stop;
    if (req.context().done()) {
      net::Conn nc = conn->conn;
      stop = context::after_func(req.context(), [nc]() mutable {
        nc.set_deadline(net::Deadline(std::chrono::nanoseconds(1)));
      });
    }
    bool nothing = true;
    auto resp = exchange(conn, req, body, nothing);
    bool stopped = stop ? stop() : true;
    if (resp) {
      if (!stopped && req.context().err()) {
        conn->conn.close();
        resp->body.close();
        return fail(req.context().err());
      }
      return resp;
    }
    conn->conn.close();
    if (req.context().err()) return fail(req.context().err());
    Error e = resp.error();
    if (reused && nothing && replayable && attempt == 0 && is_retryable_error(e)) continue;
    if (e.timeout() && deadline != net::Deadline{}) return fail(err_client_timeout_headers);
    return fail(e);
  }
}

}  // namespace goro::http::detail
