// goro::http internal — ParserCore (see parser_core.hpp): drives
// libhttp-parser with pauses at every boundary and validates what Go
// rejects beyond the parser: oversized heads, Content-Length together with
// Transfer-Encoding, conflicting Content-Lengths.
#include "http/parser_core.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <mutex>

namespace goro::http::detail {

namespace {

ParserCore* self(http_parser* p) { return static_cast<ParserCore*>(p->data); }

// The head size limit is ours; lift the parser's compiled-in 80 KB once.
void lift_parser_header_limit() {
  static std::once_flag once;
  std::call_once(once,
                 [] { http_parser_set_max_header_size(std::numeric_limits<uint32_t>::max()); });
}

// RFC 7230 tchar, as a table: header keys are checked byte by byte for
// every header of every message.
constexpr std::array<bool, 256> token_chars = [] {
  std::array<bool, 256> t{};
  for (int c = 0x21; c < 0x7f; ++c) t[c] = true;
  for (unsigned char c : std::string_view("()<>@,;:\\\"/[]?={}")) t[c] = false;
  return t;
}();

bool is_token_char(unsigned char c) { return token_chars[c]; }

}  // namespace

std::string canonical_key(std::string_view key) {
  for (unsigned char c : key) {
    if (!is_token_char(c)) return std::string(key);
  }
  std::string out(key);
  bool upper = true;
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') {
      c = char(c - 'a' + 'A');
    } else if (!upper && c >= 'A' && c <= 'Z') {
      c = char(c - 'A' + 'a');
    }
    upper = c == '-';
  }
  return out;
}

const http_parser_settings ParserCore::settings_ = [] {
  http_parser_settings s{};
  s.on_message_begin = &ParserCore::on_message_begin;
  s.on_url = &ParserCore::on_url;
  s.on_status = &ParserCore::on_status;
  s.on_header_field = &ParserCore::on_header_field;
  s.on_header_value = &ParserCore::on_header_value;
  s.on_headers_complete = &ParserCore::on_headers_complete;
  s.on_body = &ParserCore::on_body;
  s.on_message_complete = &ParserCore::on_message_complete;
  return s;
}();

ParserCore::ParserCore(Kind kind) : kind_(kind) {
  lift_parser_header_limit();
  http_parser_init(&parser_, kind == Kind::request ? HTTP_REQUEST : HTTP_RESPONSE);
  parser_.data = this;
}

int ParserCore::on_message_begin(http_parser* p) {
  self(p)->begun_ = true;
  return 0;
}

int ParserCore::on_url(http_parser* p, const char* at, std::size_t n) {
  self(p)->head_.target.append(at, n);
  return 0;
}

int ParserCore::on_status(http_parser* p, const char* at, std::size_t n) {
  self(p)->head_.status_text.append(at, n);
  return 0;
}

void ParserCore::flush_header() {
  while (!value_.empty() && (value_.back() == ' ' || value_.back() == '\t')) value_.pop_back();
  head_.headers.emplace_back(canonical_key(field_), std::move(value_));
  field_.clear();
  value_.clear();
}

int ParserCore::on_header_field(http_parser* p, const char* at, std::size_t n) {
  ParserCore* c = self(p);
  if (c->in_value_) {
    c->flush_header();
    c->in_value_ = false;
  }
  c->field_.append(at, n);
  return 0;
}

int ParserCore::on_header_value(http_parser* p, const char* at, std::size_t n) {
  ParserCore* c = self(p);
  c->in_value_ = true;
  c->value_.append(at, n);
  return 0;
}

int ParserCore::on_headers_complete(http_parser* p) {
  ParserCore* c = self(p);
  if (c->in_value_ || !c->field_.empty()) c->flush_header();
  c->in_value_ = false;
  RawHead& h = c->head_;
  h.proto_major = p->http_major;
  h.proto_minor = p->http_minor;
  if (c->kind_ == Kind::request) {
    h.method = http_method_str(static_cast<http_method>(p->method));
  } else {
    h.status_code = int(p->status_code);
  }
  h.chunked = (p->flags & F_CHUNKED) != 0;
  h.content_length = (p->flags & F_CONTENTLENGTH) ? std::int64_t(p->content_length) : -1;
  h.keep_alive = http_should_keep_alive(p) != 0;
  h.upgrade = p->upgrade != 0;
  c->headers_done_ = true;
  http_parser_pause(p, 1);
  return c->skip_body_ ? 1 : 0;
}

int ParserCore::on_body(http_parser* p, const char* at, std::size_t n) {
  self(p)->pending_ = std::string_view(at, n);
  http_parser_pause(p, 1);
  return 0;
}

int ParserCore::on_message_complete(http_parser* p) {
  self(p)->message_done_ = true;
  http_parser_pause(p, 1);
  return 0;
}

void ParserCore::fail(Failure f, std::string text) {
  if (failure_ != Failure::none) return;
  failure_ = f;
  failure_text_ = std::move(text);
}

void ParserCore::begin(std::size_t max_head_bytes, bool skip_body) {
  head_ = RawHead{};
  max_head_bytes_ = max_head_bytes;
  field_.clear();
  value_.clear();
  in_value_ = false;
  begun_ = false;
  headers_done_ = false;
  message_done_ = false;
  skip_body_ = skip_body;
  pending_ = {};
}

void ParserCore::check_head() {
  bool has_cl = false, has_te = false;
  std::string_view first_cl;
  for (const auto& [k, v] : head_.headers) {
    if (k == "Content-Length") {
      if (has_cl && v != first_cl) {
        fail(Failure::malformed, "conflicting Content-Length");
        return;
      }
      has_cl = true;
      first_cl = v;
    } else if (k == "Transfer-Encoding") {
      has_te = true;
    }
  }
  if (kind_ == Kind::request && has_cl && has_te) {
    fail(Failure::malformed, "both Content-Length and Transfer-Encoding");
  }
}

std::size_t ParserCore::run(const char* data, std::size_t len) {
  bool was_head = !headers_done_;
  std::size_t n = http_parser_execute(&parser_, &settings_, data, len);
  auto err = HTTP_PARSER_ERRNO(&parser_);
  if (err == HPE_PAUSED) {
    http_parser_pause(&parser_, 0);
  } else if (err == HPE_HEADER_OVERFLOW) {
    fail(Failure::too_large, "header too large");
  } else if (err == HPE_INVALID_EOF_STATE && len == 0) {
    fail(Failure::unexpected_eof, "unexpected EOF");
  } else if (err != HPE_OK) {
    fail(Failure::malformed, http_errno_description(err));
  }
  if (was_head) {
    head_.head_bytes += n;
    if (head_.head_bytes > max_head_bytes_) fail(Failure::too_large, "header too large");
    if (headers_done_ && failure_ == Failure::none) check_head();
  }
  return n;
}

std::size_t ParserCore::feed(const char* data, std::size_t len) {
  if (failure_ != Failure::none || len == 0 || !pending_.empty() || message_done_) return 0;
  bool in_head = !headers_done_;
  std::size_t n = run(data, len);
  // At the end of the head the final LF is still unconsumed: run over what
  // is here once more, so that a message without a body completes at once
  // (or its first body piece is delivered). Never past the message end.
  if (in_head && headers_done_ && failure_ == Failure::none && n < len) {
    n += run(data + n, len - n);
  }
  return n;
}

void ParserCore::feed_eof() {
  if (failure_ != Failure::none || message_done_) return;
  run(nullptr, 0);
  if (!message_done_) fail(Failure::unexpected_eof, "unexpected EOF");
}

}  // namespace goro::http::detail
