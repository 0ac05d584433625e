// bufio::Reader: a buffer in front of an io::AnyReader.
//
// Invariants: unread data is buf_[r_, w_), r_ <= w_ <= buf_.size(). err_ is
// the source's error, kept until the buffered data before it is consumed and
// then reported once (take_error). last_byte_ is the byte unread_byte may put
// back, or -1.
#include <algorithm>
#include <cstring>

#include "goro/bufio.hpp"

namespace goro::bufio {

namespace {
constexpr std::size_t min_buf_size = 16;
constexpr int max_empty_reads = 100;
}  // namespace

Reader::Reader(io::AnyReader rd, std::size_t size)
    : rd_(std::move(rd)), buf_(std::max(size, min_buf_size)) {}

void Reader::reset(io::AnyReader rd) {
  rd_ = std::move(rd);
  r_ = w_ = 0;
  err_ = Error();
  last_byte_ = -1;
}

Error Reader::take_error() {
  Error e = err_;
  err_ = Error();
  return e;
}

// Reads one more chunk into the buffer (sliding unread data to the front).
void Reader::fill() {
  if (r_ > 0) {
    std::memmove(buf_.data(), buf_.data() + r_, w_ - r_);
    w_ -= r_;
    r_ = 0;
  }
  if (w_ >= buf_.size()) return;  // full: callers check before filling
  for (int i = 0; i < max_empty_reads; ++i) {
    auto n = rd_.read(std::span<std::byte>(buf_.data() + w_, buf_.size() - w_));
    if (!n) {
      err_ = n.error();
      return;
    }
    if (*n > 0) {
      w_ += std::min(*n, buf_.size() - w_);
      return;
    }
  }
  err_ = io::err_no_progress;
}

Result<std::size_t> Reader::read(std::span<std::byte> buf) {
  if (buf.empty()) {
    if (buffered() > 0) return std::size_t(0);
    if (err_) return fail(take_error());
    return std::size_t(0);
  }
  if (r_ == w_) {
    if (err_) return fail(take_error());
    if (buf.size() >= buf_.size()) {
      // Large read into an empty buffer: read straight into buf.
      for (int i = 0; i < max_empty_reads; ++i) {
        auto n = rd_.read(buf);
        if (!n) return fail(n.error());
        if (*n > 0) {
          last_byte_ = int(std::to_integer<std::uint8_t>(buf[*n - 1]));
          return *n;
        }
      }
      return fail(io::err_no_progress);
    }
    r_ = w_ = 0;
    fill();
    if (r_ == w_) return fail(take_error());
  }
  std::size_t n = std::min(buf.size(), w_ - r_);
  std::memcpy(buf.data(), buf_.data() + r_, n);
  r_ += n;
  last_byte_ = int(std::to_integer<std::uint8_t>(buf_[r_ - 1]));
  return n;
}

Result<std::uint8_t> Reader::read_byte() {
  while (r_ == w_) {
    if (err_) {
      last_byte_ = -1;
      return fail(take_error());
    }
    fill();
  }
  auto c = std::to_integer<std::uint8_t>(buf_[r_++]);
  last_byte_ = c;
  return c;
}

Error Reader::unread_byte() {
  if (last_byte_ < 0 || (r_ == 0 && w_ > 0)) return err_invalid_unread_byte;
  if (r_ > 0) {
    --r_;
  } else {
    w_ = 1;  // r_ == w_ == 0
  }
  buf_[r_] = std::byte(last_byte_);
  last_byte_ = -1;
  return Error();
}

// Up to and including delim, as a view into the buffer; err_buffer_full
// when the buffer filled up without delim; the source's error with the
// remaining data when the input ended without delim.
Reader::Slice Reader::read_slice(char delim) {
  std::size_t searched = 0;  // bytes of buf_[r_, w_) known not to hold delim
  for (;;) {
    auto begin = buf_.begin() + std::ptrdiff_t(r_ + searched);
    auto end = buf_.begin() + std::ptrdiff_t(w_);
    auto it = std::find(begin, end, std::byte(static_cast<unsigned char>(delim)));
    if (it != end) {
      std::size_t len = std::size_t(it - buf_.begin()) + 1 - r_;
      Slice s{std::span<const std::byte>(buf_.data() + r_, len), Error()};
      r_ += len;
      return s;
    }
    if (err_) {
      Slice s{std::span<const std::byte>(buf_.data() + r_, w_ - r_), take_error()};
      r_ = w_;
      return s;
    }
    if (buffered() >= buf_.size()) {
      Slice s{std::span<const std::byte>(buf_.data(), buf_.size()), err_buffer_full};
      r_ = w_;
      return s;
    }
    searched = w_ - r_;
    fill();
  }
}

StringResult Reader::read_string(char delim) {
  StringResult out;
  for (;;) {
    Slice s = read_slice(delim);
    out.str.append(io::as_string(s.data));
    if (s.err == err_buffer_full) continue;
    out.err = s.err;
    break;
  }
  last_byte_ = out.str.empty() ? -1 : int(static_cast<unsigned char>(out.str.back()));
  return out;
}

LineResult Reader::read_line() {
  LineResult out;
  Slice s = read_slice('\n');
  last_byte_ = -1;
  if (s.err == err_buffer_full) {
    // A "\r\n" split across the buffer boundary: leave the '\r' for next time.
    if (!s.data.empty() && s.data.back() == std::byte('\r')) {
      --r_;
      s.data = s.data.first(s.data.size() - 1);
    }
    out.line = std::string(io::as_string(s.data));
    out.is_prefix = true;
    return out;
  }
  if (s.data.empty()) {
    out.err = s.err;
    return out;
  }
  std::string_view line = io::as_string(s.data);
  if (line.back() == '\n') {
    line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  }
  out.line = std::string(line);
  if (s.err) err_ = s.err;  // a line and an error never come together: next call
  return out;
}

Result<std::span<const std::byte>> Reader::peek(std::size_t n) {
  last_byte_ = -1;
  if (n > buf_.size()) return fail(err_buffer_full);
  while (w_ - r_ < n && !err_) fill();
  if (w_ - r_ < n) return fail(take_error());
  return std::span<const std::byte>(buf_.data() + r_, n);
}

Result<std::size_t> Reader::discard(std::size_t n) {
  last_byte_ = -1;
  std::size_t done = 0;
  while (done < n) {
    if (r_ == w_) {
      if (err_) return fail(take_error());
      fill();
      continue;
    }
    std::size_t skip = std::min(n - done, w_ - r_);
    r_ += skip;
    done += skip;
  }
  return done;
}

}  // namespace goro::bufio
