// goro::http internal — ConnResponseWriter: the server's ResponseWriter for
// one request on one connection.
//
// Invariants (all fields belong to the serving goroutine, which runs the
// handler): until committed_, the status line and headers are not
// serialised and body bytes collect in body_ (at most buffer_size); at
// commit the framing is chosen (Content-Length / chunked / close-delimited /
// none) and never changes; out_ holds serialised bytes not yet written to
// the socket and is written when it passes buffer_size, on flush() and at
// finish(). After a write error every later write fails with that error.
#pragma once

#include <cstdint>
#include <string>

#include "goro/http.hpp"

namespace goro::http::detail {

class ServerConn;

class ConnResponseWriter final : public ResponseWriter {
 public:
  static constexpr std::size_t buffer_size = 4096;

  ConnResponseWriter(ServerConn& conn, const Request& req, bool want_close);

  Header& header() override { return header_; }
  void write_header(int status_code) override;
  Result<std::size_t> write(std::span<const std::byte> data) override;
  using ResponseWriter::write;
  Error flush() override;

  // After the handler: completes the response and writes it out.
  Error finish();
  bool committed() const noexcept { return committed_; }
  // The connection must be closed after this response.
  bool close_after() const noexcept { return close_after_; }
  void set_close_after() noexcept { close_after_ = true; }
  int status() const noexcept { return status_; }

 private:
  bool body_allowed() const noexcept;
  void commit(bool final);
  Error write_out();
  Error write_direct(std::span<const std::byte> data);

  ServerConn& conn_;
  const Request& req_;
  bool head_;
  Header header_;
  bool wrote_header_ = false;
  int status_ = 0;
  bool committed_ = false;
  bool chunked_ = false;
  bool close_after_;
  std::int64_t declared_ = -1;  // Content-Length the handler set, -1 none
  std::int64_t written_ = 0;    // body bytes the handler wrote
  std::string body_;            // body bytes before commit
  std::string out_;             // bytes to write to the socket
  Error werr_;
};

}  // namespace goro::http::detail
