// goro::io — Go's io package: the Reader/Writer/Closer contracts that
// connections, files, stdin/stdout and buffered readers share, io's sentinel
// errors, and the helpers built on them.
//
//   Go                                  goro
//   n, err := r.Read(buf)               goro::Result<std::size_t> n = r.read(buf);
//   err == io.EOF                       n.error() == goro::io::eof
//   n, err := w.Write(data)             goro::Result<std::size_t> n = w.write(data);
//   io.Copy(dst, src)                   goro::io::copy(dst, src)          -> Result<int64_t>
//   io.CopyN(dst, src, n)               goro::io::copy_n(dst, src, n)     -> Result<int64_t>
//   io.ReadAll(r)                       goro::io::read_all(r)             -> Result<std::string>
//   io.ReadFull(r, buf)                 goro::io::read_full(r, buf)       -> Result<std::size_t>
//   io.WriteString(w, s)                goro::io::write_string(w, s)      -> Result<std::size_t>
//   []byte(s)                           goro::io::bytes(s)   (a view, no copy)
//   io.Discard                          goro::io::Discard{}
//   r, w := io.Pipe()                   auto [r, w] = goro::io::pipe();
//   an io.Reader / io.Writer variable   goro::io::AnyReader / goro::io::AnyWriter
//
// A Reader's read fills at most buf.size() bytes and returns how many it
// read (at least 1 when buf is not empty), or an error; at end of input it
// fails with io::eof. A Writer's write writes all of data or fails.
//
// The helpers take their Reader/Writer by forwarding reference and use it in
// place (they never copy it), so an lvalue connection, a File handle returned
// by value (os::stdout()) or a bufio::Writer all work:
//   goro::io::copy(goro::os::stdout(), conn);
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "goro/error.hpp"

namespace goro::io {

extern const Error eof;                 // "EOF"
extern const Error err_unexpected_eof;  // "unexpected EOF"
extern const Error err_short_write;     // "short write"
extern const Error err_closed_pipe;     // "io: read/write on closed pipe"
extern const Error err_no_progress;     // "multiple Read calls return no data or error"

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

// ---------------------------------------------------------------------------
// Bytes and strings
// ---------------------------------------------------------------------------

// The bytes of s, without copying (Go's []byte(s) for writing).
inline std::span<const std::byte> bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
// The bytes of s as a buffer to read into (s keeps its size).
inline std::span<std::byte> writable_bytes(std::string& s) noexcept {
  return {reinterpret_cast<std::byte*>(s.data()), s.size()};
}
// The bytes b viewed as text.
inline std::string_view as_string(std::span<const std::byte> b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// io.WriteString: writes all of s to w.
template <class W>
requires Writer<std::remove_cvref_t<W>> Result<std::size_t> write_string(W&& w,
                                                                         std::string_view s) {
  return w.write(bytes(s));
}

// ---------------------------------------------------------------------------
// Type-erased Reader and Writer
// ---------------------------------------------------------------------------
//
// Why: bufio's Reader, Scanner and Writer keep a Reader/Writer as a member.
// Making them class templates over the concrete type would put every
// scanner and buffering algorithm in headers and give each stream type its
// own copy; Go's bufio is written against the io.Reader interface for the
// same reason. AnyReader/AnyWriter are that interface value: two pointers
// (plus a shared owner when it owns the object), and one indirect call per
// read or write, which is nothing next to the system call behind it.
//
// Constructed from an lvalue they refer to it (the caller keeps it alive, as
// a Go program passing a pointer would); constructed from an rvalue they
// move it into shared ownership, so a temporary (os::stdin(), a Conn
// returned by value) stays alive as long as any copy of the Any*.
// A default-constructed AnyReader/AnyWriter is nil: it fails with
// "io: nil Reader" / "io: nil Writer".

namespace detail {
Error nil_reader_error();
Error nil_writer_error();
}  // namespace detail

class AnyReader {
 public:
  AnyReader() noexcept = default;

  template <class R>
  requires(Reader<std::remove_reference_t<R>> && !std::same_as<std::remove_cvref_t<R>, AnyReader>)
      AnyReader(R&& r) {  // NOLINT(google-explicit-constructor): a Reader is an AnyReader
    // T keeps a const lvalue const: its read must then be a const member.
    using T = std::conditional_t<std::is_lvalue_reference_v<R>, std::remove_reference_t<R>,
                                 std::remove_cvref_t<R>>;
    if constexpr (std::is_lvalue_reference_v<R>) {
      obj_ = const_cast<void*>(static_cast<const void*>(std::addressof(r)));
    } else {
      auto owned = std::make_shared<std::remove_cvref_t<R>>(std::forward<R>(r));
      obj_ = owned.get();
      owner_ = std::move(owned);
    }
    read_ = [](void* o, std::span<std::byte> buf) { return static_cast<T*>(o)->read(buf); };
  }

  Result<std::size_t> read(std::span<std::byte> buf) {
    if (!read_) return fail(detail::nil_reader_error());
    return read_(obj_, buf);
  }
  explicit operator bool() const noexcept { return read_ != nullptr; }

 private:
  void* obj_ = nullptr;
  Result<std::size_t> (*read_)(void*, std::span<std::byte>) = nullptr;
  std::shared_ptr<void> owner_;
};

class AnyWriter {
 public:
  AnyWriter() noexcept = default;

  template <class W>
  requires(Writer<std::remove_reference_t<W>> && !std::same_as<std::remove_cvref_t<W>, AnyWriter>)
      AnyWriter(W&& w) {  // NOLINT(google-explicit-constructor): a Writer is an AnyWriter
    // T keeps a const lvalue const: its write must then be a const member.
    using T = std::conditional_t<std::is_lvalue_reference_v<W>, std::remove_reference_t<W>,
                                 std::remove_cvref_t<W>>;
    if constexpr (std::is_lvalue_reference_v<W>) {
      obj_ = const_cast<void*>(static_cast<const void*>(std::addressof(w)));
    } else {
      auto owned = std::make_shared<std::remove_cvref_t<W>>(std::forward<W>(w));
      obj_ = owned.get();
      owner_ = std::move(owned);
    }
    write_ = [](void* o, std::span<const std::byte> data) {
      return static_cast<T*>(o)->write(data);
    };
  }

  Result<std::size_t> write(std::span<const std::byte> data) {
    if (!write_) return fail(detail::nil_writer_error());
    return write_(obj_, data);
  }
  explicit operator bool() const noexcept { return write_ != nullptr; }

 private:
  void* obj_ = nullptr;
  Result<std::size_t> (*write_)(void*, std::span<const std::byte>) = nullptr;
  std::shared_ptr<void> owner_;
};

// io.Discard: a Writer on which every write succeeds and does nothing.
struct Discard {
  Result<std::size_t> write(std::span<const std::byte> data) { return data.size(); }
};

// ---------------------------------------------------------------------------
// Copying and reading
// ---------------------------------------------------------------------------

namespace detail {
inline constexpr std::size_t copy_buffer_size = 32 * 1024;  // as Go's io.Copy
inline constexpr int max_empty_reads = 100;
// A heap buffer: goroutine stacks should not carry 32 KiB frames.
inline std::unique_ptr<std::byte[]> make_copy_buffer() {
  return std::make_unique_for_overwrite<std::byte[]>(copy_buffer_size);
}
}  // namespace detail

// io.Copy: copies from src to dst until src reports io::eof (which is not an
// error) or an error occurs. Returns the number of bytes copied, or the
// first read or write error other than io::eof.
template <class W, class R>
requires(Writer<std::remove_cvref_t<W>>&& Reader<std::remove_cvref_t<R>>) Result<std::int64_t> copy(
    W&& dst, R&& src) {
  auto buf = detail::make_copy_buffer();
  std::int64_t written = 0;
  int empty = 0;
  for (;;) {
    auto n = src.read(std::span<std::byte>(buf.get(), detail::copy_buffer_size));
    if (!n) {
      if (n.error() == eof) return written;
      return fail(n.error());
    }
    if (*n == 0) {
      if (++empty >= detail::max_empty_reads) return fail(err_no_progress);
      continue;
    }
    empty = 0;
    auto w = dst.write(std::span<const std::byte>(buf.get(), *n));
    if (!w) return fail(w.error());
    if (*w != *n) return fail(err_short_write);
    written += std::int64_t(*n);
  }
}

// io.CopyN: copies exactly n bytes from src to dst. Fails with io::eof if
// src ended before n bytes (as Go's CopyN), or with the first error.
template <class W, class R>
requires(Writer<std::remove_cvref_t<W>>&& Reader<std::remove_cvref_t<R>>)
    Result<std::int64_t> copy_n(W&& dst, R&& src, std::int64_t n) {
  if (n <= 0) return std::int64_t(0);
  auto buf = detail::make_copy_buffer();
  std::int64_t written = 0;
  int empty = 0;
  while (written < n) {
    std::size_t want =
        std::size_t(std::min<std::int64_t>(n - written, std::int64_t(detail::copy_buffer_size)));
    auto r = src.read(std::span<std::byte>(buf.get(), want));
    if (!r) return fail(r.error());
    if (*r == 0) {
      if (++empty >= detail::max_empty_reads) return fail(err_no_progress);
      continue;
    }
    empty = 0;
    auto w = dst.write(std::span<const std::byte>(buf.get(), *r));
    if (!w) return fail(w.error());
    if (*w != *r) return fail(err_short_write);
    written += std::int64_t(*r);
  }
  return written;
}

// io.ReadAll: reads until io::eof and returns everything read. io::eof is
// not an error; any other error is returned (the data read so far is lost).
template <class R>
requires Reader<std::remove_cvref_t<R>> Result<std::string> read_all(R&& r) {
  std::string out;
  std::size_t len = 0;
  int empty = 0;
  for (;;) {
    if (out.size() - len < 512) out.resize(std::max<std::size_t>(512, out.size() * 2));
    auto n = r.read(
        std::span<std::byte>(reinterpret_cast<std::byte*>(out.data()) + len, out.size() - len));
    if (!n) {
      if (n.error() != eof) return fail(n.error());
      out.resize(len);
      return out;
    }
    if (*n == 0 && ++empty >= detail::max_empty_reads) return fail(err_no_progress);
    if (*n != 0) empty = 0;
    len += *n;
  }
}

// io.ReadFull: reads exactly buf.size() bytes. Fails with io::eof if no byte
// could be read, with io::err_unexpected_eof if the input ended part way,
// or with the reader's error.
template <class R>
requires Reader<std::remove_cvref_t<R>> Result<std::size_t> read_full(R&& r,
                                                                      std::span<std::byte> buf) {
  std::size_t got = 0;
  int empty = 0;
  while (got < buf.size()) {
    auto n = r.read(buf.subspan(got));
    if (!n) {
      if (n.error() == eof) return fail(got == 0 ? eof : err_unexpected_eof);
      return fail(n.error());
    }
    if (*n == 0 && ++empty >= detail::max_empty_reads) return fail(err_no_progress);
    if (*n != 0) empty = 0;
    got += *n;
  }
  return got;
}

// ---------------------------------------------------------------------------
// In-memory pipe
// ---------------------------------------------------------------------------

namespace detail {
struct PipeState;
}

// io.Pipe: a synchronous in-memory pipe between goroutines (or threads).
// Each write blocks until readers have consumed all of it, so a pipe holds
// no data of its own; concurrent writes are serialized, each one delivered
// contiguously. Both ends are handles: copies share the pipe.
//
// After the writing end is closed, reads fail with io::eof (or with the
// error given to close_with_error); after the reading end is closed, writes
// fail with io::err_closed_pipe (or that error). Using an end after closing
// it fails with io::err_closed_pipe. The first close_with_error's error wins.
class PipeReader {
 public:
  Result<std::size_t> read(std::span<std::byte> buf) const;
  Error close() const { return close_with_error(Error()); }
  Error close_with_error(Error err) const;

 private:
  friend std::pair<PipeReader, class PipeWriter> pipe();
  explicit PipeReader(std::shared_ptr<detail::PipeState> s) noexcept : s_(std::move(s)) {}
  std::shared_ptr<detail::PipeState> s_;
};

class PipeWriter {
 public:
  // Writes all of data (returning once it was all read) or fails; an empty
  // write returns 0 at once.
  Result<std::size_t> write(std::span<const std::byte> data) const;
  Error close() const { return close_with_error(Error()); }
  Error close_with_error(Error err) const;

 private:
  friend std::pair<PipeReader, PipeWriter> pipe();
  explicit PipeWriter(std::shared_ptr<detail::PipeState> s) noexcept : s_(std::move(s)) {}
  std::shared_ptr<detail::PipeState> s_;
};

std::pair<PipeReader, PipeWriter> pipe();

}  // namespace goro::io

namespace goro::os {

// A deadline passed (Go's os.ErrDeadlineExceeded): "i/o timeout", timeout().
extern const Error err_deadline_exceeded;

}  // namespace goro::os
