// goro::io — Go's io package: the Reader/Writer/Closer contracts that
// connections, files, stdin/stdout and buffered readers share, and io's
// sentinel errors.
//
//   Go                                  goro
//   n, err := r.Read(buf)               goro::Result<std::size_t> n = r.read(buf);
//   err == io.EOF                       n.error() == goro::io::eof
//   n, err := w.Write(data)             goro::Result<std::size_t> n = w.write(data);
//
// A Reader's read fills at most buf.size() bytes and returns how many it
// read (at least 1 when buf is not empty), or an error; at end of input it
// fails with io::eof. A Writer's write writes all of data or fails.
#pragma once

#include <concepts>
#include <cstddef>
#include <span>

#include "goro/error.hpp"

namespace goro::io {

extern const Error eof;                 // "EOF"
extern const Error err_unexpected_eof;  // "unexpected EOF"
extern const Error err_short_write;     // "short write"
extern const Error err_closed_pipe;     // "io: read/write on closed pipe"

template <class R>
concept Reader = requires(R& r, std::span<std::byte> buf) {
  { r.read(buf) } -> std::same_as<Result<std::size_t>>;
};

template <class W>
concept Writer = requires(W& w, std::span<const std::byte> data) {
  { w.write(data) } -> std::same_as<Result<std::size_t>>;
};

template <class C>
concept Closer = requires(C& c) {
  { c.close() } -> std::same_as<Error>;
};

}  // namespace goro::io

namespace goro::os {

// A deadline passed (Go's os.ErrDeadlineExceeded): "i/o timeout", timeout().
extern const Error err_deadline_exceeded;

}  // namespace goro::os
