// goro::http internal — MessageReader (see message_reader.hpp): buffer and
// source handling around ParserCore, and the translation of parse failures
// into goro errors.
#include "http/message_reader.hpp"

#include <algorithm>
#include <cstring>

namespace goro::http::detail {

MessageReader::MessageReader(Kind kind, io::AnyReader src, std::size_t buf_size)
    : kind_(kind),
      core_(kind),
      src_(std::move(src)),
      buf_(std::make_unique_for_overwrite<char[]>(std::max<std::size_t>(buf_size, 64))),
      cap_(std::max<std::size_t>(buf_size, 64)) {}

Error MessageReader::set_failure(Failure f, Error e) {
  failure_ = f;
  err_ = e;
  return e;
}

bool MessageReader::read_more() {
  r_ = w_ = 0;
  auto got = src_.read(std::span<std::byte>(reinterpret_cast<std::byte*>(buf_.get()), cap_));
  if (!got) {
    if (got.error() == io::eof) {
      src_eof_ = true;
      return true;
    }
    set_failure(Failure::source, got.error());
    return false;
  }
  w_ = *got;
  return true;
}

bool MessageReader::parse() {
  if (src_eof_ && r_ == w_) {
    core_.feed_eof();
  } else {
    r_ += core_.feed(buf_.get() + r_, w_ - r_);
  }
  switch (core_.failure()) {
    case ParserCore::Failure::none:
      return true;
    case ParserCore::Failure::too_large:
      set_failure(Failure::too_large, err_header_too_large);
      return false;
    case ParserCore::Failure::unexpected_eof:
      set_failure(Failure::source, io::err_unexpected_eof);
      return false;
    case ParserCore::Failure::malformed:
      set_failure(Failure::malformed,
                  errors::make(std::string(kind_ == Kind::response ? "malformed HTTP response: "
                                                                   : "malformed HTTP request: ") +
                               core_.failure_text()));
      return false;
  }
  return false;
}

Result<MessageHead> MessageReader::read_head(std::size_t max_head_bytes, bool skip_body) {
  if (err_) return fail(err_);
  if (!core_.message_done()) {
    return fail(set_failure(Failure::source, errors::make("http: previous body not read")));
  }
  core_.begin(max_head_bytes, skip_body);
  while (!core_.headers_done()) {
    if (r_ == w_ && !src_eof_) {
      if (!read_more()) return fail(err_);
      continue;
    }
    if (r_ == w_ && src_eof_ && !core_.begun()) return fail(set_failure(Failure::source, io::eof));
    if (!parse()) return fail(err_);
  }
  RawHead& raw = core_.head();
  MessageHead h;
  h.method = std::move(raw.method);
  h.target = std::move(raw.target);
  h.status_code = raw.status_code;
  h.status_text = std::move(raw.status_text);
  h.proto_major = raw.proto_major;
  h.proto_minor = raw.proto_minor;
  for (auto& [k, v] : raw.headers) h.header.add_canonical(std::move(k), std::move(v));
  h.content_length = raw.content_length;
  h.chunked = raw.chunked;
  h.keep_alive = raw.keep_alive;
  h.upgrade = raw.upgrade;
  return h;
}

Result<std::size_t> MessageReader::read_body(std::span<std::byte> buf) {
  for (;;) {
    std::string_view piece = core_.pending();
    if (!piece.empty()) {
      std::size_t n = std::min(buf.size(), piece.size());
      std::memcpy(buf.data(), piece.data(), n);
      core_.take_pending(n);
      return n;
    }
    if (core_.message_done()) return fail(io::eof);
    if (err_) return fail(err_);
    if (buf.empty()) return std::size_t(0);
    if (r_ == w_ && !src_eof_) {
      if (!read_more()) return fail(err_);
      continue;
    }
    if (!parse()) return fail(err_);
  }
}

Result<std::size_t> MessageReader::fill() {
  if (err_) return fail(err_);
  if (src_eof_) return fail(io::eof);
  r_ = w_ = 0;
  auto got = src_.read(std::span<std::byte>(reinterpret_cast<std::byte*>(buf_.get()), cap_));
  if (!got) {
    if (got.error() == io::eof) src_eof_ = true;
    return got;
  }
  w_ = *got;
  return got;
}

}  // namespace goro::http::detail
