// goro::http internal — ParserCore: the byte-level HTTP/1.x message parser
// on top of Debian's libhttp-parser 2.9, with no I/O and no goro types (so
// the libFuzzer target in tests/fuzz/ can build it with clang alone).
//
// feed() runs http_parser_execute and stops at every boundary the caller
// must act on: the end of the head, each body piece, the end of the message,
// an error. It never consumes past a message's end, so pipelined data stays
// with the caller.
//
// Invariants:
//  - The parser is paused in every boundary callback and unpaused by feed()
//    before it returns; callbacks only record.
//  - pending() is the last body piece delivered; it points into the data
//    given to the feed() that produced it, which the caller must keep
//    unchanged until the piece is taken (take_pending).
//  - After an error every feed() returns 0 and the error stays.
// Single-threaded: one owner at a time.
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goro::http::detail {

struct RawHead {
  std::string method;       // requests
  std::string target;       // requests
  int status_code = 0;      // responses
  std::string status_text;  // responses
  int proto_major = 1;
  int proto_minor = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // canonical keys, in order
  std::int64_t content_length = -1;                          // -1: no Content-Length
  bool chunked = false;
  bool keep_alive = false;
  bool upgrade = false;
  std::size_t head_bytes = 0;  // bytes of start line and headers fed so far
};

class ParserCore {
 public:
  enum class Kind { request, response };
  enum class Failure { none, too_large, malformed, unexpected_eof };

  explicit ParserCore(Kind kind);
  ParserCore(const ParserCore&) = delete;
  ParserCore& operator=(const ParserCore&) = delete;

  // Starts a new message: the head is cleared; max_head_bytes bounds the
  // start line and headers; skip_body: the message has no body (a response
  // to HEAD). Requires message_done() (or no message yet).
  void begin(std::size_t max_head_bytes, bool skip_body);
  // Parses from data; returns how many bytes were consumed. Stops at the end
  // of the head, after a body piece (see pending()), at the end of the
  // message, or at an error.
  std::size_t feed(const char* data, std::size_t len);
  // The input ended: completes a close-delimited body, or fails.
  void feed_eof();

  bool begun() const noexcept { return begun_; }
  bool headers_done() const noexcept { return headers_done_; }
  bool message_done() const noexcept { return message_done_; }
  Failure failure() const noexcept { return failure_; }
  const std::string& failure_text() const noexcept { return failure_text_; }
  RawHead& head() noexcept { return head_; }

  std::string_view pending() const noexcept { return pending_; }
  void take_pending(std::size_t n) noexcept { pending_.remove_prefix(n); }

 private:
  static int on_message_begin(http_parser* p);
  static int on_url(http_parser* p, const char* at, std::size_t n);
  static int on_status(http_parser* p, const char* at, std::size_t n);
  static int on_header_field(http_parser* p, const char* at, std::size_t n);
  static int on_header_value(http_parser* p, const char* at, std::size_t n);
  static int on_headers_complete(http_parser* p);
  static int on_body(http_parser* p, const char* at, std::size_t n);
  static int on_message_complete(http_parser* p);
  static const http_parser_settings settings_;

  void flush_header();
  void fail(Failure f, std::string text);
  void check_head();
  std::size_t run(const char* data, std::size_t len);

  Kind kind_;
  http_parser parser_{};
  RawHead head_;
  std::size_t max_head_bytes_ = 0;
  std::string field_, value_;
  bool in_value_ = false;
  bool begun_ = false;
  bool headers_done_ = false;
  bool message_done_ = true;
  bool skip_body_ = false;
  std::string_view pending_;
  Failure failure_ = Failure::none;
  std::string failure_text_;
};

// Case-insensitive "content-type" -> "Content-Type" (textproto's rule); a
// key with a non-token byte is returned unchanged.
std::string canonical_key(std::string_view key);

}  // namespace goro::http::detail
