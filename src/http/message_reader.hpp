// goro::http internal — MessageReader: reads HTTP/1.x messages (requests on
// the server, responses on the client) from an io::Reader, one at a time,
// streaming bodies. The parsing is ParserCore's; this class owns the I/O.
//
// Invariants:
//  - buf_[r_, w_) holds bytes read from the source and not yet consumed by
//    the parser. The source is read only when r_ == w_ and no body piece is
//    pending, so a pipelined next message stays buffered until read_head is
//    called again, and a pending piece (which points into buf_) is never
//    overwritten.
//  - After an error the reader is broken: every later call returns err_.
// One goroutine uses a reader at a time (the connection's); the server's
// background read (fill) runs only while the connection goroutine runs the
// handler after the body reached EOF, and is waited for before any other
// call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "goro/http.hpp"
#include "goro/io.hpp"
#include "http/parser_core.hpp"

namespace goro::http::detail {

// The start line and headers of one message.
struct MessageHead {
  std::string method;       // requests
  std::string target;       // requests
  int status_code = 0;      // responses
  std::string status_text;  // responses
  int proto_major = 1;
  int proto_minor = 1;
  Header header;
  std::int64_t content_length = -1;  // from the header; -1 when absent
  bool chunked = false;
  bool keep_alive = false;  // the parser's verdict (version, Connection)
  bool upgrade = false;
};

class MessageReader {
 public:
  using Kind = ParserCore::Kind;
  // What went wrong, for the server's choice of answer.
  enum class Failure { none, source, too_large, malformed };

  MessageReader(Kind kind, io::AnyReader src, std::size_t buf_size = 4096);
  MessageReader(const MessageReader&) = delete;
  MessageReader& operator=(const MessageReader&) = delete;

  // The next message's head. Fails with io::eof when the source ended
  // cleanly before a new message, err_header_too_large past max_head_bytes,
  // a "malformed HTTP request/response: ..." error, io::err_unexpected_eof,
  // or the source's error. skip_body: the message has no body whatever its
  // headers say (a response to HEAD).
  Result<MessageHead> read_head(std::size_t max_head_bytes, bool skip_body = false);
  // Body bytes of the current message; io::eof at its end.
  Result<std::size_t> read_body(std::span<std::byte> buf);
  // Whether the current message has been read to its end.
  bool body_done() const noexcept { return core_.message_done(); }
  // Unconsumed bytes are buffered (a pipelined request).
  bool has_buffered() const noexcept { return r_ < w_; }
  // One read from the source into the (empty) buffer: the server's idle
  // wait and background read. Requires body_done() and !has_buffered().
  Result<std::size_t> fill();
  Failure failure() const noexcept { return failure_; }

 private:
  // Reads more into the buffer; false (with err_ set) on error; sets
  // src_eof_ at the end of the source.
  bool read_more();
  // Runs the parser over the buffer; false (with err_ set) on a parse error.
  bool parse();
  Error set_failure(Failure f, Error e);

  Kind kind_;
  ParserCore core_;
  io::AnyReader src_;
  std::unique_ptr<char[]> buf_;
  std::size_t cap_;
  std::size_t r_ = 0, w_ = 0;
  bool src_eof_ = false;
  Failure failure_ = Failure::none;
  Error err_;
};

}  // namespace goro::http::detail
