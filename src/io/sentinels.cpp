// The package-level sentinel errors of io and os. Each is created once at
// static initialisation and compared by identity.
#include "goro/io.hpp"

namespace goro::io {

const Error eof = errors::make("EOF");
const Error err_unexpected_eof = errors::make("unexpected EOF");
const Error err_short_write = errors::make("short write");
const Error err_closed_pipe = errors::make("io: read/write on closed pipe");
const Error err_no_progress = errors::make("multiple Read calls return no data or error");

namespace detail {

Error nil_reader_error() {
  static const Error err = errors::make("io: nil Reader");
  return err;
}

Error nil_writer_error() {
  static const Error err = errors::make("io: nil Writer");
  return err;
}

}  // namespace detail

}  // namespace goro::io

namespace goro::os {

const Error err_deadline_exceeded = errors::make_timeout("i/o timeout");

}  // namespace goro::os
