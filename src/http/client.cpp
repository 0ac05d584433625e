// goro::http — Client: requests, redirects, the overall timeout, and the
// package-level get/head/post on default_client().
//
// Owns: the redirect policy and error wrapping (Go's url.Error:
// `Get "http://h/p": cause`). The connection pool is the Transport's, shared
// by copies of a Client.
#include <fmt/format.h>

#include "http/transport.hpp"
#include "http/wire.hpp"

namespace goro::http {

namespace {

std::string title_method(std::string_view m) {
  std::string s(m);
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] >= 'A' && s[i] <= 'Z') s[i] = char(s[i] - 'A' + 'a');
  }
  return s;
}

Error url_error(std::string_view method, const std::string& url, const Error& cause) {
  return errors::wrap(cause, fmt::format("{} \"{}\"", title_method(method), url));
}

bool is_redirect(int code) {
  return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
}

}  // namespace

Result<Request> new_request_with_context(const Context& ctx, std::string_view method,
                                         std::string_view raw_url, Body body) {
  if (method.empty()) method = "GET";
  for (char c : method) {
    if (c <= ' ' || c >= 0x7f ||
        std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos) {
      return fail(errors::make(fmt::format("net/http: invalid method \"{}\"", method)));
    }
  }
  auto u = url::parse(raw_url);
  if (!u) return fail(u.error());
  Request r;
  r.method = std::string(method);
  r.url = std::move(*u);
  r.url.fragment.clear();
  r.host = r.url.host;
  r.content_length = body.is_empty() ? 0 : body.length();
  r.body = std::move(body);
  return r.with_context(ctx);
}

Result<Request> new_request(std::string_view method, std::string_view url, Body body) {
  return new_request_with_context(context::background(), method, url, std::move(body));
}

Client::Client() : transport_(std::make_shared<detail::Transport>()) {}

std::uint64_t Client::dial_count() const { return transport_->dials(); }

void Client::close_idle_connections() { transport_->close_idle(); }

Result<Response> Client::get(std::string_view url) {
  auto req = new_request("GET", url);
  if (!req) return fail(url_error("GET", std::string(url), req.error()));
  return do_request(std::move(*req));
}

Result<Response> Client::head(std::string_view url) {
  auto req = new_request("HEAD", url);
  if (!req) return fail(url_error("HEAD", std::string(url), req.error()));
  return do_request(std::move(*req));
}

Result<Response> Client::post(std::string_view url, std::string_view content_type, Body body) {
  auto req = new_request("POST", url, std::move(body));
  if (!req) return fail(url_error("POST", std::string(url), req.error()));
  req->header.set("Content-Type", content_type);
  return do_request(std::move(*req));
}

Result<Response> Client::do_request(Request req) {
  transport_->max_idle_per_host.store(max_idle_conns_per_host);
  net::Deadline deadline{};
  if (timeout.nanoseconds() > 0) deadline = std::chrono::steady_clock::now() + timeout.chrono();
  std::vector<Request> via;
  for (;;) {
    std::string where = req.url.string();
    auto resp = transport_->round_trip(req, deadline);
    if (!resp) return fail(url_error(req.method, where, resp.error()));
    if (!is_redirect(resp->status_code)) {
      resp->request = req;
      resp->request.body = Body();
      return resp;
    }
    std::string loc = resp->header.get("Location");
    if (loc.empty()) {
      resp->request = req;
      return resp;  // Go returns a redirect without Location as is
    }
    auto ref = url::parse(loc);
    if (!ref) {
      resp->body.close();
      return fail(url_error(req.method, where,
                            errors::make(fmt::format("failed to parse Location header \"{}\": {}",
                                                     loc, ref.error().message()))));
    }
    Request next = req;
    next.url = req.url.resolve_reference(*ref);
    next.url.fragment.clear();
    next.host = next.url.host;
    int code = resp->status_code;
    if ((code == 301 || code == 302 || code == 303) && req.method != "GET" &&
        req.method != "HEAD") {
      next.method = "GET";
      next.body = Body();
      next.content_length = 0;
      next.header.del("Content-Type");
      next.header.del("Content-Length");
    } else if ((code == 307 || code == 308) && !req.body.is_empty()) {
      auto fresh = req.body.replay();
      if (!fresh) {
        resp->request = req;
        return resp;  // the body cannot be sent again: hand back the redirect
      }
      next.body = Body(fresh);
    }
    if (next.url.host != req.url.host) {
      next.header.del("Authorization");
      next.header.del("Cookie");
    }
    next.header.set("Referer", req.url.string());
    via.push_back(req);
    Error stop;
    if (check_redirect) {
      stop = check_redirect(next, via);
    } else if (via.size() >= 10) {
      stop = errors::make("stopped after 10 redirects");
    }
    if (stop == err_use_last_response) {
      resp->request = req;
      return resp;
    }
    // Drain a little so the connection can be reused, then let it go.
    {
      std::byte sink[2048];
      auto n = io::read_full(resp->body, sink);
      (void)n;
      resp->body.close();
    }
    if (stop) return fail(url_error(next.method, next.url.string(), stop));
    req = std::move(next);
  }
}

Client& default_client() {
  static Client* c = new Client();  // never destroyed: used until exit
  return *c;
}

Result<Response> get(std::string_view url) { return default_client().get(url); }
Result<Response> head(std::string_view url) { return default_client().head(url); }
Result<Response> post(std::string_view url, std::string_view content_type, Body body) {
  return default_client().post(url, content_type, std::move(body));
}

}  // namespace goro::http
