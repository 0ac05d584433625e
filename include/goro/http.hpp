// goro::http — Go's net/http for HTTP/1.1: a server that runs one goroutine
// per connection, a ServeMux, and a client with a keep-alive pool.
//
//   Go                                          goro
//   http.HandleFunc("/inc", f)                  goro::http::handle_func("/inc", f);
//   func(w http.ResponseWriter, r *http.Request)
//                                               [](http::ResponseWriter& w, http::Request& r)
//   fmt.Fprintf(w, "count %d", n)               goro::fmt::fprintf(w, "count {}", n);
//   w.Header().Set("X", "y")                    w.header().set("X", "y");
//   w.WriteHeader(404)                          w.write_header(http::StatusNotFound);
//   w.(http.Flusher).Flush()                    w.flush();
//   http.Error(w, "bad", 400)                   http::error(w, "bad", 400);
//   r.Method, r.URL.Path, r.URL.Query()         r.method, r.url.path, r.url.query()
//   r.RequestURI, r.RemoteAddr, r.Host          r.target, r.remote_addr, r.host
//   io.ReadAll(r.Body)                          goro::io::read_all(r.body)
//   r.Context()                                 r.context()
//   http.ListenAndServe(":8080", nil)           http::listen_and_serve(":8080");
//   mux := http.NewServeMux()                   http::ServeMux mux;
//   srv := &http.Server{Addr: a, Handler: mux, ReadHeaderTimeout: d}
//                                               http::Server srv; srv.addr = a; srv.handler = mux;
//                                               srv.read_header_timeout = d;
//   srv.Serve(ln) / srv.Shutdown(ctx)           srv.serve(ln) / srv.shutdown(ctx)
//   errors.Is(err, http.ErrServerClosed)        err == http::err_server_closed
//   resp, err := http.Get(url)                  auto resp = http::get(url);  // Result<Response>
//   defer resp.Body.Close()                     resp->body.close();  (or read it to EOF)
//   http.Post(url, "text/plain", body)          http::post(url, "text/plain", body);
//   c := &http.Client{Timeout: 2*time.Second}   http::Client c; c.timeout = 2s;
//   c.Do(req)                                   c.do_request(req);
//
// Server behaviour (as Go's): keep-alive and pipelined requests are answered
// in order; a response gets Content-Length when the handler finishes with
// its output still buffered (4 KiB) and did not flush, chunked encoding
// otherwise (close-delimited for HTTP/1.0); HEAD gets no body; Date and
// Content-Type (text/plain; charset=utf-8 when the handler set none) are
// added; Expect: 100-continue is answered when the handler first reads the
// body. Limits answer like Go: headers above max_header_bytes -> 431, a
// malformed request or both Content-Length and Transfer-Encoding -> 400, and
// the connection is closed; read_header_timeout / read_timeout / idle_timeout
// close the connection silently; write_timeout fails writes after it. A
// handler that throws is logged ("http: panic serving 127.0.0.1:5555: what")
// and only its connection is closed. The request context is cancelled when
// the client goes away, when the handler returns, and by Server::close().
//
// Client: plain http only (https fails with `unsupported protocol scheme
// "https"`), redirects (301/302/303 become GET, 307/308 replay the body when
// it can be replayed), at most 10 ("stopped after 10 redirects"), and a pool
// of idle connections per host: a response body read to EOF or closed gives
// its connection back. Client::timeout covers the whole exchange, body
// included. Everything works from goroutines and from plain threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "goro/context.hpp"
#include "goro/error.hpp"
#include "goro/io.hpp"
#include "goro/net.hpp"
#include "goro/time.hpp"
#include "goro/url.hpp"

namespace goro::http {

// ---------------------------------------------------------------------------
// Status codes, errors, limits
// ---------------------------------------------------------------------------
inline constexpr int StatusContinue = 100;
inline constexpr int StatusSwitchingProtocols = 101;
inline constexpr int StatusOK = 200;
inline constexpr int StatusCreated = 201;
inline constexpr int StatusAccepted = 202;
inline constexpr int StatusNoContent = 204;
inline constexpr int StatusPartialContent = 206;
inline constexpr int StatusMovedPermanently = 301;
inline constexpr int StatusFound = 302;
inline constexpr int StatusSeeOther = 303;
inline constexpr int StatusNotModified = 304;
inline constexpr int StatusTemporaryRedirect = 307;
inline constexpr int StatusPermanentRedirect = 308;
inline constexpr int StatusBadRequest = 400;
inline constexpr int StatusUnauthorized = 401;
inline constexpr int StatusForbidden = 403;
inline constexpr int StatusNotFound = 404;
inline constexpr int StatusMethodNotAllowed = 405;
inline constexpr int StatusRequestTimeout = 408;
inline constexpr int StatusLengthRequired = 411;
inline constexpr int StatusRequestEntityTooLarge = 413;
inline constexpr int StatusExpectationFailed = 417;
inline constexpr int StatusRequestHeaderFieldsTooLarge = 431;
inline constexpr int StatusInternalServerError = 500;
inline constexpr int StatusNotImplemented = 501;
inline constexpr int StatusBadGateway = 502;
inline constexpr int StatusServiceUnavailable = 503;
inline constexpr int StatusGatewayTimeout = 504;
inline constexpr int StatusHTTPVersionNotSupported = 505;

// http.StatusText: "Not Found" for 404, "" for an unknown code.
std::string_view status_text(int code);

// http.DefaultMaxHeaderBytes: 1 MB.
inline constexpr std::size_t default_max_header_bytes = 1 << 20;

extern const Error err_server_closed;          // "http: Server closed"
extern const Error err_body_not_allowed;       // "http: request method or response status code
                                               //  does not allow body"
extern const Error err_content_length;         // "http: wrote more than the declared
                                               //  Content-Length"
extern const Error err_body_read_after_close;  // "http: invalid Read on closed Body"
extern const Error err_handler_done;           // "http: write after the handler returned"
extern const Error err_header_too_large;       // "http: request header too large" (431)
extern const Error err_missing_host;           // "http: no Host in request URL"
// Returned by a Client::check_redirect: stop and hand back the redirect
// response itself (Go's ErrUseLastResponse).
extern const Error err_use_last_response;  // "net/http: use last response"

// ---------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------

// textproto.CanonicalMIMEHeaderKey: "content-type" -> "Content-Type". A key
// with a byte that is not a token character is returned unchanged.
std::string canonical_header_key(std::string_view key);

// http.Header: keys are canonicalised on every access, values keep their
// order; iteration is in key order.
class Header {
 public:
  using Map = std::map<std::string, std::vector<std::string>, std::less<>>;

  std::string get(std::string_view key) const;  // first value, "" if none
  void set(std::string_view key, std::string_view value);
  void add(std::string_view key, std::string_view value);
  void del(std::string_view key);
  bool has(std::string_view key) const;
  const std::vector<std::string>& values(std::string_view key) const;

  bool empty() const noexcept { return m_.empty(); }
  std::size_t size() const noexcept { return m_.size(); }
  Map::const_iterator begin() const noexcept { return m_.begin(); }
  Map::const_iterator end() const noexcept { return m_.end(); }

  // Adds with a key that is already canonical (the parsers use it).
  void add_canonical(std::string key, std::string value);

 private:
  Map m_;
};

// ---------------------------------------------------------------------------
// Body: io.ReadCloser for request and response bodies
// ---------------------------------------------------------------------------

class Body {
 public:
  // What a Body reads from. One reader at a time (as Go's Body).
  struct Source {
    virtual ~Source() = default;
    virtual Result<std::size_t> read(std::span<std::byte> buf) = 0;
    virtual Error close() { return {}; }
    // The length when known in advance, else -1.
    virtual std::int64_t length() const { return -1; }
    // A fresh source over the same bytes from the start (for redirects and
    // retries), or nullptr when the body cannot be replayed.
    virtual std::shared_ptr<Source> replay() const { return nullptr; }
  };

  Body() = default;  // http.NoBody: empty
  explicit Body(std::shared_ptr<Source> src) : src_(std::move(src)) {}
  Body(std::string data);  // NOLINT: a string is a body (length known, replayable)
  Body(std::string_view data) : Body(std::string(data)) {}  // NOLINT
  Body(const char* data) : Body(std::string(data)) {}       // NOLINT
  // Any io::Reader (length unknown: sent chunked).
  template <class R>
  requires(io::Reader<std::remove_cvref_t<R>> &&
           !std::same_as<std::remove_cvref_t<R>, Body>) static Body from_reader(R&& r) {
    return Body(make_reader_source(io::AnyReader(std::forward<R>(r))));
  }

  Result<std::size_t> read(std::span<std::byte> buf);
  Error close();
  std::int64_t length() const { return src_ ? src_->length() : 0; }
  std::shared_ptr<Source> replay() const;
  bool is_empty() const noexcept { return src_ == nullptr; }

 private:
  static std::shared_ptr<Source> make_reader_source(io::AnyReader r);
  std::shared_ptr<Source> src_;
};

// ---------------------------------------------------------------------------
// Request and Response
// ---------------------------------------------------------------------------

namespace detail {
class ServerConn;
}

struct Request {
  std::string method = "GET";
  url::URL url;
  std::string target;  // the request-target as received (Go's RequestURI); server side
  std::string proto = "HTTP/1.1";
  int proto_major = 1;
  int proto_minor = 1;
  Header header;
  Body body;
  std::int64_t content_length = 0;  // -1: unknown
  std::vector<std::string> transfer_encoding;
  bool close = false;       // Connection: close
  std::string host;         // the Host header (server) or host to send (client)
  std::string remote_addr;  // "127.0.0.1:5555"; server side

  const std::string& path() const noexcept { return url.path; }
  url::Values query() const { return url.query(); }
  // r.FormValue for the query string only (no form bodies).
  std::string form_value(std::string_view key) const { return url.query().get(key); }
  // The request's context: server side, cancelled when the client goes
  // away, the handler returns or the server is closed.
  const Context& context() const noexcept { return ctx_; }
  Request with_context(Context ctx) const {
    Request r = *this;
    r.ctx_ = std::move(ctx);
    return r;
  }
  bool proto_at_least(int major, int minor) const noexcept {
    return proto_major > major || (proto_major == major && proto_minor >= minor);
  }

 private:
  friend class detail::ServerConn;
  Context ctx_;
};

// http.NewRequest / NewRequestWithContext.
Result<Request> new_request(std::string_view method, std::string_view url, Body body = {});
Result<Request> new_request_with_context(const Context& ctx, std::string_view method,
                                         std::string_view url, Body body = {});

struct Response {
  std::string status;  // "200 OK"
  int status_code = 0;
  std::string proto;  // "HTTP/1.1"
  int proto_major = 1;
  int proto_minor = 1;
  Header header;
  Body body;  // read it to EOF or close it to give the connection back
  std::int64_t content_length = -1;
  std::vector<std::string> transfer_encoding;
  bool close = false;
  Request request;  // the request that produced this response (the last, after redirects)
};

// ---------------------------------------------------------------------------
// Server side
// ---------------------------------------------------------------------------

// http.ResponseWriter (with http.Flusher). Satisfies io::Writer, so
// goro::fmt::fprintf(w, ...) works. Used by one goroutine, the handler's.
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  // The headers to send; changes after write_header/write have no effect.
  virtual Header& header() = 0;
  // Sends the status line and headers (once; later calls are logged and
  // ignored). Called with 200 by the first write if the handler did not.
  virtual void write_header(int status_code) = 0;
  // Writes body data (buffered). Fails with err_body_not_allowed for HEAD
  // requests' bodies (silently discarded, as Go) or 204/304 responses,
  // err_content_length past a declared length, or the connection's error.
  virtual Result<std::size_t> write(std::span<const std::byte> data) = 0;
  Result<std::size_t> write(std::string_view s) { return write(io::bytes(s)); }
  // Sends what is buffered now (headers included); the response is chunked
  // from then on unless the handler set Content-Length.
  virtual Error flush() = 0;
};

using HandlerFunc = std::function<void(ResponseWriter&, Request&)>;
// http.Handler: any callable taking (ResponseWriter&, Request&); a ServeMux
// is one. An empty Handler in a Server means default_serve_mux().
using Handler = HandlerFunc;

// http.Error: writes msg and a newline as text/plain with status code.
void error(ResponseWriter& w, std::string_view msg, int code);
// http.NotFound: 404 "404 page not found".
void not_found(ResponseWriter& w, Request& r);
// http.Redirect: Location (resolved against r's path when relative) and code.
void redirect(ResponseWriter& w, const Request& r, std::string_view url, int code);

// http.ServeMux with Go's (pre-1.22) patterns: "/x" matches the path /x
// exactly; "/x/" matches /x/ and everything below (a subtree); the longest
// matching pattern wins; "/" matches everything. A request for "/x" when only
// "/x/" is registered is redirected (301) to "/x/"; unclean paths ("/a/../b")
// are redirected to their clean form. A ServeMux is a handle: copies share
// the routes (as Go passes *ServeMux). Safe for concurrent use.
class ServeMux {
 public:
  ServeMux();
  // Registers h for pattern. Throws goro::Panic, as Go panics, for an empty
  // or relative pattern, a null handler, or a duplicate registration.
  void handle(std::string_view pattern, Handler h);
  void handle_func(std::string_view pattern, HandlerFunc f) { handle(pattern, std::move(f)); }
  // The handler that serves r and the pattern it matched ("" when none).
  std::pair<Handler, std::string> handler(const Request& r) const;
  void serve_http(ResponseWriter& w, Request& r) const;
  void operator()(ResponseWriter& w, Request& r) const { serve_http(w, r); }

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

ServeMux& default_serve_mux();
void handle(std::string_view pattern, Handler h);
void handle_func(std::string_view pattern, HandlerFunc f);

// http.ConnState, passed to Server::conn_state.
enum ConnState { StateNew, StateActive, StateIdle, StateClosed };
std::string_view conn_state_name(ConnState s);  // "new", "active", "idle", "closed"

namespace detail {
struct ServerState;
}

// http.Server. Set the fields, then call listen_and_serve or serve; fields
// are read when serving starts. Not copyable; destroying a Server closes it.
class Server {
 public:
  std::string addr;                      // ":8080"; "" means ":http" (port 80)
  Handler handler;                       // empty: default_serve_mux()
  time::Duration read_timeout{};         // whole request, headers and body
  time::Duration read_header_timeout{};  // headers; 0: read_timeout
  time::Duration write_timeout{};        // from the end of the headers to the end of the response
  time::Duration idle_timeout{};         // between keep-alive requests; 0: read_timeout
  std::size_t max_header_bytes = 0;      // 0: default_max_header_bytes
  // Called on every connection state change (tests count connections).
  std::function<void(const net::Conn&, ConnState)> conn_state;
  // Where errors and recovered panics are logged; empty: stderr with a
  // timestamp, as Go's log package.
  std::function<void(std::string_view)> error_log;

  Server();
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Listens on addr and serves; returns err_server_closed after
  // shutdown/close, or the listen/accept error.
  Error listen_and_serve();
  // Accepts connections on ln, one goroutine each. Always returns an error:
  // err_server_closed after shutdown/close. ln is closed on return.
  Error serve(net::Listener ln);
  // Graceful: stops accepting, closes idle connections, waits for active
  // ones to finish their request and go idle. Returns ctx.err() if ctx ends
  // first (connections are left running; call close() to end them).
  Error shutdown(const Context& ctx);
  // Closes the listeners and every connection now; handlers still running
  // see their context cancelled and their writes fail.
  Error close();
  // Keep-alives on (default) or off (every response says Connection: close).
  void set_keep_alives_enabled(bool on);

 private:
  std::shared_ptr<detail::ServerState> state_;
};

// http.ListenAndServe(addr, handler); an empty handler serves default_serve_mux().
Error listen_and_serve(std::string_view addr, Handler handler = {});

// ---------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------

namespace detail {
class Transport;
}

// http.Client. Copies share the connection pool.
class Client {
 public:
  // The limit on a whole exchange: dial, request, redirects and reading the
  // body. 0: none.
  time::Duration timeout{};
  // Go's Transport.MaxIdleConnsPerHost (default 2).
  int max_idle_conns_per_host = 2;
  // Go's CheckRedirect: called before following a redirect with the next
  // request and the requests made so far (oldest first); a non-nil error
  // stops. Empty: stop after 10 redirects.
  std::function<Error(const Request& next, const std::vector<Request>& via)> check_redirect;

  Client();

  Result<Response> get(std::string_view url);
  Result<Response> head(std::string_view url);
  Result<Response> post(std::string_view url, std::string_view content_type, Body body);
  // Go's Client.Do. Errors read like Go's url.Error: `Get "http://h/": <cause>`.
  Result<Response> do_request(Request req);
  // Closes the pooled idle connections.
  void close_idle_connections();
  // Connections dialled so far (for tests and diagnostics).
  std::uint64_t dial_count() const;

 private:
  std::shared_ptr<detail::Transport> transport_;
};

// http.DefaultClient and its shorthands.
Client& default_client();
Result<Response> get(std::string_view url);
Result<Response> head(std::string_view url);
Result<Response> post(std::string_view url, std::string_view content_type, Body body);

}  // namespace goro::http

static_assert(goro::io::Reader<goro::http::Body>);
static_assert(goro::io::Closer<goro::http::Body>);
static_assert(goro::io::Writer<goro::http::ResponseWriter>);
