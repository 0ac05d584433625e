// goro::http — ServeMux (Go's pre-1.22 patterns), the default mux, and the
// small helpers handlers use: error, not_found, redirect.
//
// Owns: the route table. Impl::mu (a goro::RWMutex-like Mutex) guards exact
// and subtree; lookups copy the chosen Handler out under the lock, so a
// registration racing with requests is safe (as Go's).
#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "goro/fmt.hpp"
#include "goro/panic.hpp"
#include "goro/sync.hpp"
#include "http/wire.hpp"

namespace goro::http {

struct ServeMux::Impl {
  mutable goro::Mutex mu;
  std::map<std::string, Handler, std::less<>> exact;  // every pattern
  // Patterns ending in '/', longest first.
  std::vector<std::pair<std::string, Handler>> subtree;
};

namespace {

// Go's cleanPath: path.Clean, keeping a trailing slash.
std::string clean_path(std::string_view p) {
  if (p.empty()) return "/";
  std::vector<std::string_view> segs;
  std::size_t i = 0;
  while (i < p.size()) {
    std::size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view seg = p.substr(i, j - i);
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segs.push_back(seg);
    }
    i = j + 1;
  }
  std::string out;
  for (auto s : segs) {
    out += '/';
    out += s;
  }
  if (out.empty()) return "/";
  if (p.back() == '/' || p.ends_with("/.") || p.ends_with("/..")) {
    if (p.back() == '/') out += '/';
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Handler redirect_handler(std::string url, int code) {
  return [url = std::move(url), code](ResponseWriter& w, Request& r) { redirect(w, r, url, code); };
}

}  // namespace

void error(ResponseWriter& w, std::string_view msg, int code) {
  Header& h = w.header();
  h.del("Content-Length");
  h.set("Content-Type", "text/plain; charset=utf-8");
  h.set("X-Content-Type-Options", "nosniff");
  w.write_header(code);
  std::string body(msg);
  body += '\n';
  w.write(body);
}

void not_found(ResponseWriter& w, Request&) { error(w, "404 page not found", StatusNotFound); }

void redirect(ResponseWriter& w, const Request& r, std::string_view target, int code) {
  std::string loc(target);
  auto u = url::parse(target);
  if (u && u->scheme.empty() && u->host.empty()) {
    // Relative: make it absolute on this server, as Go does.
    std::string path = u->path;
    if (path.empty() || path[0] != '/') {
      std::string dir = r.url.path;
      auto slash = dir.rfind('/');
      dir = slash == std::string::npos ? std::string("/") : dir.substr(0, slash + 1);
      path = dir + path;
    }
    bool trailing = !path.empty() && path.back() == '/';
    path = clean_path(path);
    if (trailing && path.back() != '/') path += '/';
    url::URL v = *u;
    v.path = path;
    v.raw_path.clear();
    loc = v.string();
  }
  Header& h = w.header();
  bool had_ct = h.has("Content-Type");
  h.set("Location", loc);
  if (!had_ct && (r.method == "GET" || r.method == "HEAD")) {
    h.set("Content-Type", "text/html; charset=utf-8");
  }
  w.write_header(code);
  if (!had_ct && r.method == "GET") {
    w.write(::fmt::format("<a href=\"{}\">{}</a>.\n\n", html_escape(loc), status_text(code)));
  }
}

ServeMux::ServeMux() : impl_(std::make_shared<Impl>()) {}

void ServeMux::handle(std::string_view pattern, Handler h) {
  if (pattern.empty()) throw goro::Panic("http: invalid pattern");
  if (pattern[0] != '/') {
    throw goro::Panic(
        ::fmt::format("http: invalid pattern {} (host patterns are not supported)", pattern));
  }
  if (!h) throw goro::Panic("http: nil handler");
  std::lock_guard lock(impl_->mu);
  if (impl_->exact.contains(pattern)) {
    throw goro::Panic(::fmt::format("http: multiple registrations for {}", pattern));
  }
  impl_->exact.emplace(std::string(pattern), h);
  if (pattern.back() == '/') {
    auto& st = impl_->subtree;
    auto pos = std::find_if(st.begin(), st.end(),
                            [&](const auto& e) { return e.first.size() < pattern.size(); });
    st.insert(pos, {std::string(pattern), h});
  }
}

std::pair<Handler, std::string> ServeMux::handler(const Request& r) const {
  const std::string& path = r.url.path;
  std::string clean = clean_path(path);
  std::lock_guard lock(impl_->mu);
  auto match = [&](std::string_view p) -> std::pair<Handler, std::string> {
    if (auto it = impl_->exact.find(p); it != impl_->exact.end()) return {it->second, it->first};
    for (const auto& [pat, h] : impl_->subtree) {
      if (p.starts_with(pat)) return {h, pat};
    }
    return {nullptr, ""};
  };
  // "/tree" with only "/tree/" registered: redirect to "/tree/".
  auto slash_redirect = [&](std::string_view p) -> std::pair<Handler, std::string> {
    std::string with_slash = std::string(p) + "/";
    if (p.ends_with('/') || impl_->exact.contains(p) || !impl_->exact.contains(with_slash)) {
      return {nullptr, ""};
    }
    url::URL u = r.url;
    u.path = with_slash;
    u.raw_path.clear();
    u.scheme.clear();
    u.host.clear();
    return {redirect_handler(u.request_uri(), StatusMovedPermanently), with_slash};
  };
  if (r.method == "CONNECT") {
    if (auto rd = slash_redirect(path); rd.first) return rd;
    if (auto m = match(path); m.first) return m;
  } else {
    if (auto rd = slash_redirect(clean); rd.first) return rd;
    if (clean != path) {
      auto m = match(clean);
      url::URL u = r.url;
      u.path = clean;
      u.raw_path.clear();
      u.scheme.clear();
      u.host.clear();
      return {redirect_handler(u.request_uri(), StatusMovedPermanently), m.second};
    }
    if (auto m = match(path); m.first) return m;
  }
  return {Handler(not_found), ""};
}

void ServeMux::serve_http(ResponseWriter& w, Request& r) const {
  if (r.target == "*") {
    if (r.proto_at_least(1, 1)) w.header().set("Connection", "close");
    w.write_header(StatusBadRequest);
    return;
  }
  auto [h, pattern] = handler(r);
  h(w, r);
}

ServeMux& default_serve_mux() {
  static ServeMux* mux = new ServeMux();  // never destroyed: handlers may run at exit
  return *mux;
}

void handle(std::string_view pattern, Handler h) {
  default_serve_mux().handle(pattern, std::move(h));
}
void handle_func(std::string_view pattern, HandlerFunc f) {
  default_serve_mux().handle(pattern, std::move(f));
}

}  // namespace goro::http
