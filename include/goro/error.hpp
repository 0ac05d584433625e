// goro::Error — Go's `error` value — and Result<T>, the return type of every
// goro operation that can fail.
//
//   goro::Error err;                        // var err error   (nil)
//   if (err) ...                            // if err != nil
//   err.message()                           // err.Error()
//   auto e = goro::errors::make("boom");    // errors.New("boom")
//   auto w = goro::errors::wrap(e, "load"); // fmt.Errorf("load: %w", e) -> "load: boom"
//   goro::errors::is(w, e)                  // errors.Is(w, e) -> true
//   goro::errors::from_errno(ECONNREFUSED)  // syscall.ECONNREFUSED -> "connection refused"
//
//   goro::Result<std::size_t> n = conn.read(buf);   // n, err := conn.Read(buf)
//   if (!n) return n.error();                       // if err != nil { return err }
//
// An Error is an immutable, cheaply copied, reference-counted value. Two
// Errors compare equal when they are the same value (both nil, or copies of
// one errors::make) — so package-level sentinels such as goro::io::eof work
// like Go's `err == io.EOF`. errors::is also looks through wrapping and
// matches errno values, like errors.Is with a syscall.Errno target.
#pragma once

#include <expected>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

namespace goro {

class Error {
 public:
  Error() noexcept = default;  // nil

  explicit operator bool() const noexcept { return data_ != nullptr; }

  // Go's err.Error(); "<nil>" for nil.
  const std::string& message() const noexcept;
  // The wrapped error (errors.Unwrap), nil when there is none.
  Error unwrap() const noexcept;
  // The errno this error is or wraps (first in the chain), 0 if none.
  int errno_value() const noexcept;
  // True when this error or one it wraps was made with errors::timeout
  // (Go's net.Error Timeout(): deadlines).
  bool timeout() const noexcept;

  friend bool operator==(const Error& a, const Error& b) noexcept { return a.data_ == b.data_; }
  friend std::ostream& operator<<(std::ostream& os, const Error& e);

  struct Data;

 private:
  explicit Error(std::shared_ptr<const Data> data) noexcept : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;

  friend struct ErrorAccess;
};

// std::expected with goro::Error: a value, or the error that prevented it.
template <class T>
using Result = std::expected<T, Error>;

// Shorthand for returning an error from a function returning Result<T>:
//   return goro::fail(err);
inline std::unexpected<Error> fail(Error err) noexcept {
  return std::unexpected<Error>(std::move(err));
}

namespace errors {

// errors.New: a new, distinct error value with this message.
Error make(std::string message);
// fmt.Errorf("<context>: %w", cause): message "context: cause", unwraps to cause.
// A nil cause gives nil.
Error wrap(Error cause, std::string_view context);
// syscall.Errno: the error for errnum, with Go's lowercase message
// ("connection refused", "too many open files"). Two from_errno errors with
// the same errnum match each other under errors::is.
Error from_errno(int errnum);
// A distinct error value that reports timeout() (os.ErrDeadlineExceeded is one).
Error make_timeout(std::string message);
// errors.Is: whether err or any error it wraps is target (the same value, or
// the same errno when target is a from_errno error).
bool is(const Error& err, const Error& target) noexcept;

}  // namespace errors

}  // namespace goro
