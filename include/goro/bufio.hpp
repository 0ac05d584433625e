// goro::bufio — Go's bufio package: buffered reading, scanning and writing
// over any io::Reader / io::Writer (a connection, a File, stdin, a pipe).
//
//   Go                                     goro
//   input := bufio.NewScanner(conn)        goro::bufio::Scanner input(conn);
//   for input.Scan() { input.Text() }      while (input.scan()) { input.text(); }
//   input.Err()                            input.err()           (nil at end of input)
//   input.Split(bufio.ScanWords)           input.split(goro::bufio::scan_words);
//   input.Buffer(make([]byte, n), max)     input.buffer(n, max);
//   r := bufio.NewReader(conn)             goro::bufio::Reader r(conn);
//   line, err := r.ReadString('\n')        auto [line, err] = r.read_string('\n');
//   line, isPrefix, err := r.ReadLine()    auto [line, is_prefix, err] = r.read_line();
//   b, err := r.ReadByte()                 goro::Result<std::uint8_t> b = r.read_byte();
//   w := bufio.NewWriter(f)                goro::bufio::Writer w(f);
//   w.WriteString(s); w.Flush()            w.write_string(s); w.flush();
//   bufio.NewWriterSize(f, n)              goro::bufio::Writer w(f, n);
//
// Each takes its source or destination as an io::AnyReader / io::AnyWriter:
// an lvalue is used by reference (keep it alive while the bufio object is
// used, as a Go program keeps its conn), an rvalue is moved into shared
// ownership (goro::bufio::Scanner input(goro::os::stdin()) is fine).
//
// Like Go's, these objects are for one goroutine at a time, and a Writer is
// not flushed by its destructor: call flush() (Go: w.Flush()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "goro/error.hpp"
#include "goro/io.hpp"

namespace goro::bufio {

inline constexpr std::size_t default_buf_size = 4096;
// The largest token a Scanner accepts unless buffer() says otherwise.
inline constexpr std::size_t max_scan_token_size = 64 * 1024;

extern const Error err_invalid_unread_byte;  // "bufio: invalid use of UnreadByte"
extern const Error err_buffer_full;          // "bufio: buffer full"
extern const Error err_negative_count;       // "bufio: negative count"
extern const Error err_too_long;             // "bufio.Scanner: token too long"
extern const Error err_advance_too_far;      // "bufio.Scanner: SplitFunc returns advance count
                                             //  beyond input"
extern const Error err_no_progress;          // "bufio.Scan: too many empty tokens without
                                             //  progressing" (Go panics here)
extern const Error err_final_token;          // "final token": a SplitFunc's way to stop

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

// read_string's result: the data and the error, both, as Go returns them.
// err is nil when str ends with the delimiter; otherwise str is what was
// read before the error (io::eof at end of input).
struct StringResult {
  std::string str;
  Error err;
};

// read_line's result (Go's ReadLine): a line without its "\n" or "\r\n";
// is_prefix when the line did not fit in the buffer (the rest follows in the
// next calls). Either line is set or err is, never both.
struct LineResult {
  std::string line;
  bool is_prefix = false;
  Error err;
};

class Reader {
 public:
  // bufio.NewReaderSize (size at least 16); bufio.NewReader with the default.
  explicit Reader(io::AnyReader rd, std::size_t size = default_buf_size);
  Reader(Reader&&) noexcept = default;
  Reader& operator=(Reader&&) noexcept = default;

  // io.Reader: at most buf.size() bytes, from the buffer or from at most one
  // read of the source; io::eof (or the source's error) once drained.
  Result<std::size_t> read(std::span<std::byte> buf);
  // One byte, or the error that ended the input.
  Result<std::uint8_t> read_byte();
  // Puts back the last byte read (only right after a read_byte or read).
  Error unread_byte();
  // Everything up to and including the first delim.
  StringResult read_string(char delim);
  LineResult read_line();
  // The next n bytes without consuming them (valid until the next call).
  // Fails with err_buffer_full when n is larger than the buffer, or with the
  // error that ended the input before n bytes.
  Result<std::span<const std::byte>> peek(std::size_t n);
  // Skips n bytes; returns how many were skipped or the error that stopped it.
  Result<std::size_t> discard(std::size_t n);

  std::size_t buffered() const noexcept { return w_ - r_; }
  std::size_t size() const noexcept { return buf_.size(); }
  // Drops buffered data and reads from rd from now on.
  void reset(io::AnyReader rd);

 private:
  struct Slice {
    std::span<const std::byte> data;
    Error err;
  };
  Slice read_slice(char delim);
  void fill();
  Error take_error();

  io::AnyReader rd_;
  std::vector<std::byte> buf_;
  std::size_t r_ = 0, w_ = 0;  // unread data is buf_[r_, w_)
  Error err_;                  // the source's error, reported once drained
  int last_byte_ = -1;
};

// ---------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------

// What a SplitFunc returns: how many bytes of data to consume, the token if
// one was found (a view into data, or into storage the function owns), and
// an error that stops scanning (err_final_token: stop after this token).
struct SplitResult {
  std::size_t advance = 0;
  std::optional<std::span<const std::byte>> token;
  Error err;
};

// Go's SplitFunc: called with the unconsumed data and whether the input has
// ended. Returning no token and advance 0 asks for more data.
using SplitFunc = std::function<SplitResult(std::span<const std::byte> data, bool at_eof)>;

// Lines without their "\n" or "\r\n"; a last line without newline counts.
SplitResult scan_lines(std::span<const std::byte> data, bool at_eof);
// Words separated by Unicode white space (UTF-8).
SplitResult scan_words(std::span<const std::byte> data, bool at_eof);
// Each byte.
SplitResult scan_bytes(std::span<const std::byte> data, bool at_eof);
// Each UTF-8 character; invalid encodings become U+FFFD.
SplitResult scan_runes(std::span<const std::byte> data, bool at_eof);

class Scanner {
 public:
  // bufio.NewScanner: lines, tokens up to max_scan_token_size.
  explicit Scanner(io::AnyReader rd);
  Scanner(Scanner&&) noexcept = default;
  Scanner& operator=(Scanner&&) noexcept = default;

  // Sets the split function. Panics (goro::Panic) once scanning started.
  void split(SplitFunc f);
  // Initial buffer size and the maximum token size: a token must be
  // shorter than max(initial, max) bytes. Panics once scanning started.
  void buffer(std::size_t initial, std::size_t max);

  // Advances to the next token; false at the end of input or on error.
  bool scan();
  // The last token, copied / viewed (valid until the next scan).
  std::string text() const { return std::string(io::as_string(token_)); }
  std::span<const std::byte> bytes() const noexcept { return token_; }
  // The first error other than io::eof, nil otherwise.
  Error err() const noexcept;

 private:
  void set_error(const Error& e);

  io::AnyReader rd_;
  SplitFunc split_ = scan_lines;
  std::size_t max_token_ = max_scan_token_size;
  std::size_t initial_ = 0;
  std::vector<std::byte> buf_;
  std::size_t start_ = 0, end_ = 0;  // unconsumed data is buf_[start_, end_)
  std::span<const std::byte> token_;
  Error err_;
  int empties_ = 0;
  bool scan_called_ = false;
  bool done_ = false;
};

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

class Writer {
 public:
  // bufio.NewWriterSize; bufio.NewWriter with the default 4096 bytes.
  explicit Writer(io::AnyWriter wr, std::size_t size = default_buf_size);
  Writer(Writer&&) noexcept = default;
  Writer& operator=(Writer&&) noexcept = default;

  // io.Writer: buffers data, writing the buffer out whenever it fills (and
  // large writes on an empty buffer directly). After a failed write every
  // later call fails with the same error (Go's sticky error).
  Result<std::size_t> write(std::span<const std::byte> data);
  Result<std::size_t> write_string(std::string_view s) { return write(io::bytes(s)); }
  Error write_byte(std::uint8_t c);
  // Writes out everything buffered.
  Error flush();

  std::size_t available() const noexcept { return buf_.size() - n_; }
  std::size_t buffered() const noexcept { return n_; }
  std::size_t size() const noexcept { return buf_.size(); }
  // Drops buffered data and any error, and writes to wr from now on.
  void reset(io::AnyWriter wr);

 private:
  io::AnyWriter wr_;
  std::vector<std::byte> buf_;
  std::size_t n_ = 0;  // buffered bytes: buf_[0, n_)
  Error err_;
};

}  // namespace goro::bufio
