// goro::url — the part of Go's net/url that HTTP needs: parsing absolute and
// relative URLs, resolving a reference against a base, and query strings.
//
//   Go                                     goro
//   u, err := url.Parse(s)                 auto u = goro::url::parse(s);   // Result<URL>
//   u.Scheme, u.Host, u.Path, u.RawQuery   u->scheme, u->host, u->path, u->raw_query
//   u.Hostname(), u.Port()                 u->hostname(), u->port()
//   u.RequestURI()                         u->request_uri()               // "/p?q"
//   u.String()                             u->string()
//   u.Query().Get("k")                     u->query().get("k")
//   base.ResolveReference(ref)             base.resolve_reference(ref)
//   url.ParseQuery(s)                      goro::url::parse_query(s)      // Result<Values>
//   url.QueryEscape(s) / QueryUnescape(s)  goro::url::query_escape(s) / query_unescape(s)
//   url.PathUnescape(s)                    goro::url::path_unescape(s)
//
// Simplifications: no user info handling beyond skipping "user@", no opaque
// URLs (mailto:x), and path is kept as sent with percent-escapes decoded
// (raw_path keeps the original when they differ).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "goro/error.hpp"

namespace goro::url {

// url.Values: a query string's keys and their values, in key order.
class Values {
 public:
  // The first value for key, "" if none.
  std::string get(std::string_view key) const;
  void set(std::string_view key, std::string_view value);
  void add(std::string_view key, std::string_view value);
  void del(std::string_view key);
  bool has(std::string_view key) const;
  // Every value for key (empty if none).
  const std::vector<std::string>& values(std::string_view key) const;
  // "a=1&b=2", keys sorted, escaped (Go's Values.Encode).
  std::string encode() const;
  bool empty() const noexcept { return m_.empty(); }
  auto begin() const { return m_.begin(); }
  auto end() const { return m_.end(); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> m_;
};

struct URL {
  std::string scheme;     // "http", lower case
  std::string host;       // "host" or "host:port" or "[::1]:80"
  std::string path;       // decoded: "/a b"
  std::string raw_path;   // the encoded path when it is not the default encoding of path
  std::string raw_query;  // without '?': "a=1&b=2"
  std::string fragment;   // without '#'

  // Host without port, brackets removed from an IPv6 literal.
  std::string hostname() const;
  // The port, "" if host has none.
  std::string port() const;
  // The encoded path ("/" when empty) and "?query" if any: what a client
  // puts in its request line.
  std::string request_uri() const;
  // The encoded path.
  std::string escaped_path() const;
  bool is_abs() const noexcept { return !scheme.empty(); }
  // Parsed raw_query (malformed pairs are dropped, as Go's Query()).
  Values query() const;
  // "scheme://host/path?query#fragment".
  std::string string() const;
  // RFC 3986 section 5.2: ref resolved against this URL.
  URL resolve_reference(const URL& ref) const;
};

// url.Parse: an absolute URL ("http://h:8080/p?q") or a reference ("/p",
// "../x", "?q"). Errors read like Go's: `parse "h t": invalid character " " in host name`.
Result<URL> parse(std::string_view raw);
// Parses a request target as a server receives it: "/path?query" or "*" or
// an absolute URL (url.ParseRequestURI).
Result<URL> parse_request_uri(std::string_view raw);
Result<Values> parse_query(std::string_view query);

std::string query_escape(std::string_view s);
Result<std::string> query_unescape(std::string_view s);
std::string path_escape(std::string_view s);
Result<std::string> path_unescape(std::string_view s);

}  // namespace goro::url
