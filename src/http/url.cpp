// goro::url — URL parsing, escaping, reference resolution and query strings.
//
// Owns: url::URL's parse/format, url::Values, the percent-encoding helpers.
// Pure functions over values: no shared state, no locks.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "goro/url.hpp"

namespace goro::url {

namespace {

enum class Mode { path, query_component, host };

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool should_escape(unsigned char c, Mode mode) {
  if (std::isalnum(c)) return false;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
      return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      if (mode == Mode::path) return c == '?';
      return true;
    default:
      return true;
  }
}

std::string escape(std::string_view s, Mode mode) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c == ' ' && mode == Mode::query_component) {
      out += '+';
    } else if (should_escape(c, mode)) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += char(c);
    }
  }
  return out;
}

Result<std::string> unescape(std::string_view s, Mode mode) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        std::string bad(s.substr(i, std::min<std::size_t>(3, s.size() - i)));
        return fail(errors::make("invalid URL escape \"" + bad + "\""));
      }
      out += char(unhex(s[i + 1]) * 16 + unhex(s[i + 2]));
      i += 2;
    } else if (c == '+' && mode == Mode::query_component) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Error parse_error(std::string_view raw, std::string_view what) {
  return errors::make("parse \"" + std::string(raw) + "\": " + std::string(what));
}

bool valid_host_char(unsigned char c) {
  if (std::isalnum(c)) return true;
  return std::string_view("-._~!$&'()*+,;=:[]%").find(char(c)) != std::string_view::npos;
}

// Go's path resolution: remove dot segments (RFC 3986 5.2.4).
std::string remove_dot_segments(std::string_view path) {
  if (path.empty()) return "";
  std::vector<std::string_view> out;
  bool trailing = false;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    trailing = false;
    if (seg == ".") {
      trailing = true;
    } else if (seg == "..") {
      if (out.size() > 1) out.pop_back();
      trailing = true;
    } else {
      out.push_back(seg);
    }
    i = j + 1;
  }
  std::string r;
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (k) r += '/';
    r += out[k];
  }
  if (trailing && (r.empty() || r.back() != '/')) r += '/';
  if (r.empty() || r[0] != '/') r.insert(r.begin(), '/');
  return r;
}

}  // namespace

std::string query_escape(std::string_view s) { return escape(s, Mode::query_component); }
Result<std::string> query_unescape(std::string_view s) {
  return unescape(s, Mode::query_component);
}
std::string path_escape(std::string_view s) { return escape(s, Mode::path); }
Result<std::string> path_unescape(std::string_view s) { return unescape(s, Mode::path); }

// --- Values ----------------------------------------------------------------

std::string Values::get(std::string_view key) const {
  auto it = m_.find(key);
  return it == m_.end() || it->second.empty() ? std::string() : it->second.front();
}
void Values::set(std::string_view key, std::string_view value) {
  m_.insert_or_assign(std::string(key), std::vector<std::string>{std::string(value)});
}
void Values::add(std::string_view key, std::string_view value) {
  auto it = m_.find(key);
  if (it == m_.end()) it = m_.emplace(std::string(key), std::vector<std::string>{}).first;
  it->second.emplace_back(value);
}
void Values::del(std::string_view key) {
  auto it = m_.find(key);
  if (it != m_.end()) m_.erase(it);
}
bool Values::has(std::string_view key) const { return m_.find(key) != m_.end(); }
const std::vector<std::string>& Values::values(std::string_view key) const {
  static const std::vector<std::string> none;
  auto it = m_.find(key);
  return it == m_.end() ? none : it->second;
}
std::string Values::encode() const {
  std::string out;
  for (const auto& [k, vs] : m_) {
    for (const auto& v : vs) {
      if (!out.empty()) out += '&';
      out += query_escape(k);
      out += '=';
      out += query_escape(v);
    }
  }
  return out;
}

Result<Values> parse_query(std::string_view query) {
  Values v;
  Error first;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    if (pair.find(';') != std::string_view::npos) {
      if (!first) first = errors::make("invalid semicolon separator in query");
      continue;
    }
    std::size_t eq = pair.find('=');
    auto k = query_unescape(pair.substr(0, eq));
    auto val = query_unescape(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!k || !val) {
      if (!first) first = !k ? k.error() : val.error();
      continue;
    }
    v.add(*k, *val);
  }
  if (first) return fail(first);
  return v;
}

// --- URL -------------------------------------------------------------------

std::string URL::hostname() const {
  std::string_view h = host;
  if (!h.empty() && h[0] == '[') {
    auto end = h.find(']');
    return std::string(h.substr(1, end == std::string_view::npos ? h.size() - 1 : end - 1));
  }
  auto colon = h.rfind(':');
  return std::string(colon == std::string_view::npos ? h : h.substr(0, colon));
}

std::string URL::port() const {
  std::string_view h = host;
  std::size_t from = 0;
  if (!h.empty() && h[0] == '[') {
    from = h.find(']');
    if (from == std::string_view::npos) return "";
  }
  auto colon = h.find(':', from);
  if (colon == std::string_view::npos) return "";
  return std::string(h.substr(colon + 1));
}

std::string URL::escaped_path() const {
  if (!raw_path.empty()) {
    auto p = path_unescape(raw_path);
    if (p && *p == path) return raw_path;
  }
  return path_escape(path);
}

std::string URL::request_uri() const {
  std::string r = escaped_path();
  if (r.empty()) r = "/";
  if (!raw_query.empty()) {
    r += '?';
    r += raw_query;
  }
  return r;
}

Values URL::query() const {
  Values v;
  std::string_view q = raw_query;
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty() || pair.find(';') != std::string_view::npos) continue;
    std::size_t eq = pair.find('=');
    auto k = query_unescape(pair.substr(0, eq));
    auto val = query_unescape(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (k && val) v.add(*k, *val);
  }
  return v;
}

std::string URL::string() const {
  std::string s;
  if (!scheme.empty()) {
    s += scheme;
    s += ':';
  }
  if (!scheme.empty() || !host.empty()) {
    s += "//";
    s += host;
  }
  std::string p = escaped_path();
  if (!p.empty() && p[0] != '/' && !host.empty()) s += '/';
  s += p;
  if (!raw_query.empty()) {
    s += '?';
    s += raw_query;
  }
  if (!fragment.empty()) {
    s += '#';
    s += fragment;
  }
  return s;
}

URL URL::resolve_reference(const URL& ref) const {
  URL u = ref;
  if (ref.scheme.empty()) u.scheme = scheme;
  if (!ref.scheme.empty() || !ref.host.empty()) {
    u.path = remove_dot_segments(ref.path);
    u.raw_path.clear();
    return u;
  }
  u.host = host;
  if (ref.path.empty()) {
    u.path = path;
    u.raw_path = raw_path;
    if (ref.raw_query.empty()) u.raw_query = raw_query;
    return u;
  }
  u.raw_path.clear();
  if (ref.path[0] == '/') {
    u.path = remove_dot_segments(ref.path);
  } else {
    std::string base = path;
    auto slash = base.rfind('/');
    base = slash == std::string::npos ? std::string("/") : base.substr(0, slash + 1);
    u.path = remove_dot_segments(base + ref.path);
  }
  return u;
}

namespace {

Result<URL> parse_impl(std::string_view raw, bool via_request) {
  for (unsigned char c : raw) {
    if (c < 0x20 || c == 0x7f)
      return fail(parse_error(raw, "net/url: invalid control character in URL"));
  }
  URL u;
  std::string_view rest = raw;
  if (!via_request) {
    auto hash = rest.find('#');
    if (hash != std::string_view::npos) {
      auto frag = unescape(rest.substr(hash + 1), Mode::path);
      if (!frag) return fail(parse_error(raw, frag.error().message()));
      u.fragment = *frag;
      rest = rest.substr(0, hash);
    }
  }
  if (rest.empty() && via_request) return fail(parse_error(raw, "empty url"));
  if (rest == "*") {
    u.path = "*";
    return u;
  }
  // Scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (std::isalpha(static_cast<unsigned char>(c))) continue;
    if (i > 0 && (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))
      continue;
    if (c == ':') {
      if (i == 0) return fail(parse_error(raw, "missing protocol scheme"));
      u.scheme = std::string(rest.substr(0, i));
      std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(),
                     [](unsigned char ch) { return char(std::tolower(ch)); });
      rest = rest.substr(i + 1);
    }
    break;
  }
  auto q = rest.find('?');
  if (q != std::string_view::npos) {
    u.raw_query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (via_request && u.scheme.empty() && (rest.empty() || rest[0] != '/')) {
    return fail(parse_error(raw, "invalid URI for request"));
  }
  if ((!u.scheme.empty() || !via_request) && rest.starts_with("//")) {
    rest = rest.substr(2);
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    auto at = authority.rfind('@');
    if (at != std::string_view::npos) authority = authority.substr(at + 1);
    for (unsigned char c : authority) {
      if (!valid_host_char(c)) {
        return fail(
            parse_error(raw, "invalid character \"" + std::string(1, char(c)) + "\" in host name"));
      }
    }
    if (!authority.empty() && authority[0] == '[' &&
        authority.find(']') == std::string_view::npos) {
      return fail(parse_error(raw, "missing ']' in host"));
    }
    // A port must be digits.
    URL tmp;
    tmp.host = std::string(authority);
    for (char c : tmp.port()) {
      if (!std::isdigit(static_cast<unsigned char>(c))) {
        return fail(parse_error(raw, "invalid port \":" + tmp.port() + "\" after host"));
      }
    }
    u.host = std::string(authority);
  } else if (!u.scheme.empty() && !rest.empty() && rest[0] != '/') {
    // Opaque URLs (mailto:x) are not supported.
    return fail(parse_error(raw, "opaque URLs are not supported"));
  }
  auto p = path_unescape(rest);
  if (!p) return fail(parse_error(raw, p.error().message()));
  u.path = *p;
  if (path_escape(u.path) != rest) u.raw_path = std::string(rest);
  return u;
}

}  // namespace

Result<URL> parse(std::string_view raw) { return parse_impl(raw, false); }
Result<URL> parse_request_uri(std::string_view raw) { return parse_impl(raw, true); }

}  // namespace goro::url
