// goro::http internal — chunked encoding, Date values, header output.
// See wire.hpp. No shared state except the per-thread Date cache.
#include "http/wire.hpp"

#include <ctime>

#include <fmt/format.h>

namespace goro::http::detail {

void append_chunk_header(std::string& out, std::size_t n) {
  char buf[24];
  auto end = fmt::format_to(buf, "{:x}\r\n", n);
  out.append(buf, end);
}

void append_chunk(std::string& out, std::string_view data) {
  if (data.empty()) return;
  append_chunk_header(out, data.size());
  out += data;
  out += "\r\n";
}

std::string_view http_date_now() {
  thread_local std::time_t cached_at = 0;
  thread_local char cached[32];
  thread_local std::size_t cached_len = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_at || cached_len == 0) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    cached_len = std::strftime(cached, sizeof cached, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_at = now;
  }
  return {cached, cached_len};
}

void append_headers(std::string& out, const Header& h) {
  for (const auto& [key, values] : h) {
    for (const auto& v : values) {
      out += key;
      out += ": ";
      for (char c : v) out += (c == '\r' || c == '\n') ? ' ' : c;
      out += "\r\n";
    }
  }
}

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (equal_fold(item, token)) return true;
  }
  return false;
}

}  // namespace goro::http::detail
