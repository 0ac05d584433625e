// The standard split functions: scan_lines, scan_words, scan_bytes and
// scan_runes, with the small UTF-8 decoder the last two need.
//
// Each returns tokens as views into its data argument (or into a static
// U+FFFD encoding for invalid UTF-8), and asks for more data by returning
// advance 0 and no token.
#include <algorithm>
#include <cstdint>

#include "goro/bufio.hpp"

namespace goro::bufio {

namespace {

constexpr char32_t rune_error = 0xFFFD;
constexpr std::byte rune_error_bytes[] = {std::byte(0xEF), std::byte(0xBF), std::byte(0xBD)};

struct Rune {
  char32_t r;
  std::size_t width;  // 0: an incomplete but so far valid sequence
};

// Decodes the first UTF-8 character of data (which is not empty). Invalid
// encodings (overlong, surrogates, beyond U+10FFFF, bad continuation bytes)
// give rune_error with width 1.
Rune decode_rune(std::span<const std::byte> data) {
  auto at = [&](std::size_t i) { return std::to_integer<std::uint8_t>(data[i]); };
  std::uint8_t c = at(0);
  if (c < 0x80) return {c, 1};
  std::size_t need;
  char32_t r;
  char32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2, r = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3, r = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4, r = c & 0x07, min = 0x10000;
  } else {
    return {rune_error, 1};
  }
  for (std::size_t i = 1; i < need; ++i) {
    if (i >= data.size()) return {rune_error, 0};
    std::uint8_t cc = at(i);
    if ((cc & 0xC0) != 0x80) return {rune_error, 1};
    r = (r << 6) | (cc & 0x3F);
    // Reject overlong forms and out-of-range values as soon as visible.
    if (i == 1) {
      if (c == 0xE0 && cc < 0xA0) return {rune_error, 1};
      if (c == 0xED && cc > 0x9F) return {rune_error, 1};  // surrogates
      if (c == 0xF0 && cc < 0x90) return {rune_error, 1};
      if (c == 0xF4 && cc > 0x8F) return {rune_error, 1};
    }
  }
  if (r < min) return {rune_error, 1};
  return {r, need};
}

// Go's unicode.IsSpace.
bool is_space(char32_t r) {
  if (r <= 0xFF) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || r == 0x85 ||
           r == 0xA0;
  }
  if (r >= 0x2000 && r <= 0x200A) return true;
  return r == 0x1680 || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

// A decoded rune with an incomplete tail counted as one invalid byte (what
// Go's utf8.DecodeRune does).
Rune decode_or_error(std::span<const std::byte> data) {
  Rune r = decode_rune(data);
  if (r.width == 0) r.width = 1;
  return r;
}

}  // namespace

SplitResult scan_lines(std::span<const std::byte> data, bool at_eof) {
  if (at_eof && data.empty()) return {};
  auto drop_cr = [](std::span<const std::byte> line) {
    if (!line.empty() && line.back() == std::byte('\r')) return line.first(line.size() - 1);
    return line;
  };
  auto nl = std::find(data.begin(), data.end(), std::byte('\n'));
  if (nl != data.end()) {
    std::size_t i = std::size_t(nl - data.begin());
    return {i + 1, drop_cr(data.first(i)), Error()};
  }
  if (at_eof) return {data.size(), drop_cr(data), Error()};
  return {};
}

SplitResult scan_words(std::span<const std::byte> data, bool at_eof) {
  std::size_t start = 0;
  while (start < data.size()) {
    Rune r = decode_or_error(data.subspan(start));
    if (!is_space(r.r)) break;
    start += r.width;
  }
  for (std::size_t i = start; i < data.size();) {
    Rune r = decode_or_error(data.subspan(i));
    if (is_space(r.r)) return {i + r.width, data.subspan(start, i - start), Error()};
    i += r.width;
  }
  if (at_eof && data.size() > start) return {data.size(), data.subspan(start), Error()};
  return {start, std::nullopt, Error()};  // skip the spaces, ask for more
}

SplitResult scan_bytes(std::span<const std::byte> data, bool at_eof) {
  if (at_eof && data.empty()) return {};
  if (data.empty()) return {};
  return {1, data.first(1), Error()};
}

SplitResult scan_runes(std::span<const std::byte> data, bool at_eof) {
  if (data.empty()) return {};
  Rune r = decode_rune(data);
  if (r.width == 0) {
    if (!at_eof) return {};  // wait for the rest of the character
    r.width = 1;
  }
  if (r.r == rune_error && r.width == 1) {
    // An invalid byte (a real U+FFFD is 3 bytes and passes through as is).
    return {1, std::span<const std::byte>(rune_error_bytes), Error()};
  }
  return {r.width, data.first(r.width), Error()};
}

}  // namespace goro::bufio
