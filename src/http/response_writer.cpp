// goro::http internal — ConnResponseWriter (see response_writer.hpp): how a
// handler's header(), write_header(), write() and flush() turn into bytes,
// and the framing choice Go makes:
//   - handler done, body within the buffer, never flushed -> Content-Length;
//   - handler set Content-Length -> identity with that length;
//   - otherwise HTTP/1.1 -> chunked; HTTP/1.0 -> close-delimited;
//   - HEAD, 1xx, 204, 304 -> no body.
#include "http/response_writer.hpp"

#include <charconv>

#include <fmt/format.h>

#include "goro/panic.hpp"
#include "http/server_conn.hpp"
#include "http/wire.hpp"

namespace goro::http::detail {

ConnResponseWriter::ConnResponseWriter(ServerConn& conn, const Request& req, bool want_close)
    : conn_(conn), req_(req), head_(req.method == "HEAD"), close_after_(want_close) {}

bool ConnResponseWriter::body_allowed() const noexcept {
  if (status_ >= 100 && status_ <= 199) return false;
  return status_ != 204 && status_ != 304;
}

void ConnResponseWriter::write_header(int code) {
  if (code < 100 || code > 999) {
    throw goro::Panic(fmt::format("invalid WriteHeader code {}", code));
  }
  if (wrote_header_) {
    conn_.server().log("http: superfluous response.WriteHeader call");
    return;
  }
  if (code >= 100 && code <= 199 && code != 101) {
    // An informational response: sent at once; the final one follows.
    std::string s = fmt::format("HTTP/1.1 {} {}\r\n", code, status_text(code));
    append_headers(s, header_);
    s += "\r\n";
    if (code == 100)
      conn_.send_continue();
    else if (!werr_) {
      auto w = conn_.conn().write(s);
      if (!w) werr_ = w.error();
    }
    return;
  }
  wrote_header_ = true;
  status_ = code;
  if (header_.has("Content-Length")) {
    std::string v = header_.get("Content-Length");
    std::int64_t n = -1;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n < 0) {
      conn_.server().log(fmt::format("http: invalid Content-Length of \"{}\"", v));
      header_.del("Content-Length");
    } else {
      declared_ = n;
    }
  }
}

void ConnResponseWriter::commit(bool final) {
  committed_ = true;
  Header& h = header_;
  out_.reserve(256 + body_.size());
  std::string_view text = status_text(status_);
  if (text.empty()) {
    out_ += fmt::format("HTTP/1.1 {} status code {}\r\n", status_, status_);
  } else {
    out_ += fmt::format("HTTP/1.1 {} {}\r\n", status_, text);
  }
  if (has_token(h.get("Connection"), "close")) close_after_ = true;
  bool allowed = body_allowed();
  std::int64_t body_len = head_ ? written_ : std::int64_t(body_.size());
  if (!allowed) {
    h.del("Content-Length");
    h.del("Transfer-Encoding");
  } else if (declared_ >= 0) {
    h.del("Transfer-Encoding");
  } else if (final && (!head_ || written_ > 0)) {
    // Everything the handler wrote is here: send its length.
    if (!head_ || body_len <= std::int64_t(buffer_size)) {
      h.set("Content-Length", std::to_string(body_len));
    }
    h.del("Transfer-Encoding");
  } else if (!head_) {
    if (req_.proto_at_least(1, 1)) {
      chunked_ = true;
      h.set("Transfer-Encoding", "chunked");
    } else {
      close_after_ = true;  // HTTP/1.0: the body ends when the connection does
    }
  }
  if (allowed && written_ > 0 && !h.has("Content-Type")) {
    h.set("Content-Type", "text/plain; charset=utf-8");
  }
  if (!h.has("Date")) h.set("Date", http_date_now());
  if (close_after_) {
    h.set("Connection", "close");
  } else if (!req_.proto_at_least(1, 1)) {
    h.set("Connection", "keep-alive");
  }
  append_headers(out_, h);
  out_ += "\r\n";
  if (!head_ && allowed && !body_.empty()) {
    if (chunked_) {
      append_chunk(out_, body_);
    } else {
      out_ += body_;
    }
  }
  body_.clear();
  body_.shrink_to_fit();
}

Error ConnResponseWriter::write_out() {
  if (werr_) return werr_;
  if (out_.empty()) return {};
  auto w = conn_.conn().write(out_);
  out_.clear();
  if (!w) {
    werr_ = w.error();
    close_after_ = true;
  }
  return werr_;
}

Error ConnResponseWriter::write_direct(std::span<const std::byte> data) {
  if (Error e = write_out()) return e;
  auto w = conn_.conn().write(data);
  if (!w) {
    werr_ = w.error();
    close_after_ = true;
  }
  return werr_;
}

Result<std::size_t> ConnResponseWriter::write(std::span<const std::byte> data) {
  if (werr_) return fail(werr_);
  if (!wrote_header_) write_header(StatusOK);
  if (data.empty()) return std::size_t(0);
  if (!body_allowed()) return fail(err_body_not_allowed);
  written_ += std::int64_t(data.size());
  if (declared_ >= 0 && written_ > declared_) {
    written_ -= std::int64_t(data.size());
    return fail(err_content_length);
  }
  if (head_) return data.size();  // HEAD: the body is discarded
  std::string_view s = io::as_string(data);
  if (!committed_) {
    if (body_.size() + s.size() <= buffer_size) {
      body_ += s;
      return data.size();
    }
    commit(false);
  }
  if (chunked_) {
    append_chunk_header(out_, s.size());
    if (s.size() >= buffer_size) {
      if (Error e = write_direct(data)) return fail(e);
    } else {
      out_ += s;
    }
    out_ += "\r\n";
  } else if (s.size() >= buffer_size) {
    if (Error e = write_direct(data)) return fail(e);
  } else {
    out_ += s;
  }
  if (out_.size() >= buffer_size) {
    if (Error e = write_out()) return fail(e);
  }
  return data.size();
}

Error ConnResponseWriter::flush() {
  if (!wrote_header_) write_header(StatusOK);
  if (!committed_) commit(false);
  return write_out();
}

Error ConnResponseWriter::finish() {
  if (!wrote_header_) write_header(StatusOK);
  if (!committed_) {
    commit(true);
  } else if (chunked_) {
    out_ += last_chunk;
  } else if (declared_ >= 0 && written_ < declared_ && !head_ && body_allowed()) {
    // The client waits for bytes that will never come: end the connection.
    close_after_ = true;
  }
  return write_out();
}

}  // namespace goro::http::detail
