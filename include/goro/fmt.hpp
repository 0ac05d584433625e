// goro::fmt — Go's fmt printing functions, formatting with libfmt.
//
//   Go                                    goro
//   fmt.Fprintln(conn, "\t", shout)       goro::fmt::fprintln(conn, "\t", shout);
//   fmt.Fprint(w, a, b)                   goro::fmt::fprint(w, a, b);
//   fmt.Fprintf(os.Stderr, "du: %v\n", e) goro::fmt::fprintf(goro::os::stderr(), "du: {}\n", e);
//   fmt.Println(a, b) / Print / Printf    goro::fmt::println(a, b) / print / printf
//   fmt.Sprint / Sprintln / Sprintf       goro::fmt::sprint / sprintln / sprintf -> std::string
//   fmt.Errorf("bad %d", n)               goro::fmt::errorf("bad {}", n) -> goro::Error
//   n, err := fmt.Println(...)            goro::Result<std::size_t> n = goro::fmt::println(...);
//
// Format strings use libfmt's syntax ("{}", "{:>8}", "{:.1f}"), checked at
// compile time, NOT Go's verbs (%d, %v, %s). Operands print as libfmt's "{}"
// does; goro::Error prints its message (and "<nil>" when nil), os::FileMode
// as "drwxr-xr-x", std::chrono durations and time points via <fmt/chrono.h>.
//
// Spacing is Go's: println/fprintln put a space between every two operands
// and a newline at the end; print/fprint put a space between two operands
// only when neither is a string.
//
// Each call formats the whole output first and hands it to the Writer in
// one write, so lines printed by different goroutines to the same File do
// not interleave. The stdout functions write to goro::os::stdout() directly
// (unbuffered, as Go's): mixing them with C stdio or ::fmt::print on the
// same stream needs an fflush(stdout) in between.
//
// This namespace is goro::fmt; libfmt's is ::fmt. With `using namespace
// goro;` in effect, write ::fmt:: for libfmt.
#pragma once

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "goro/error.hpp"
#include "goro/io.hpp"
#include "goro/os.hpp"

template <>
struct fmt::formatter<goro::Error> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const goro::Error& err, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(err.message(), ctx);
  }
};

template <>
struct fmt::formatter<goro::os::FileMode> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const goro::os::FileMode& mode, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(mode.string(), ctx);
  }
};

namespace goro::fmt {

namespace detail {

// Whether Go would treat an operand of type T as a string for Print's
// spacing rule.
template <class T>
inline constexpr bool is_string_operand =
    std::is_convertible_v<const std::remove_cvref_t<T>&, std::string_view>;

// Go's Print/Println operand list into buf.
template <class... Args>
void append_operands(::fmt::memory_buffer& buf, bool always_space, const Args&... args) {
  bool first = true;
  bool prev_string = false;
  auto one = [&]<class T>(const T& arg) {
    constexpr bool str = is_string_operand<T>;
    if (!first && (always_space || (!str && !prev_string))) buf.push_back(' ');
    if constexpr (str) {
      std::string_view s = arg;
      buf.append(s.data(), s.data() + s.size());
    } else {
      ::fmt::format_to(std::back_inserter(buf), "{}", arg);
    }
    first = false;
    prev_string = str;
  };
  (one(args), ...);
  (void)one;  // no operands: fprintln(w)
}

template <class W>
Result<std::size_t> write_buffer(W& w, const ::fmt::memory_buffer& buf) {
  return w.write(io::bytes(std::string_view(buf.data(), buf.size())));
}

}  // namespace detail

// fmt.Fprint: operands, a space between two operands when neither is a
// string. Returns the bytes written or the Writer's error.
template <class W, class... Args>
requires io::Writer<std::remove_cvref_t<W>> Result<std::size_t> fprint(W&& w, const Args&... args) {
  ::fmt::memory_buffer buf;
  detail::append_operands(buf, false, args...);
  return detail::write_buffer(w, buf);
}

// fmt.Fprintln: operands separated by spaces, then a newline.
template <class W, class... Args>
requires io::Writer<std::remove_cvref_t<W>> Result<std::size_t> fprintln(W&& w,
                                                                         const Args&... args) {
  ::fmt::memory_buffer buf;
  detail::append_operands(buf, true, args...);
  buf.push_back('\n');
  return detail::write_buffer(w, buf);
}

// fmt.Fprintf with libfmt's format syntax.
template <class W, class... Args>
requires io::Writer<std::remove_cvref_t<W>> Result<std::size_t> fprintf(
    W&& w, ::fmt::format_string<Args...> format, Args&&... args) {
  ::fmt::memory_buffer buf;
  ::fmt::format_to(std::back_inserter(buf), format, std::forward<Args>(args)...);
  return detail::write_buffer(w, buf);
}

// fmt.Print, fmt.Println, fmt.Printf: the same on os::stdout().
template <class... Args>
Result<std::size_t> print(const Args&... args) {
  return fprint(os::stdout(), args...);
}

template <class... Args>
Result<std::size_t> println(const Args&... args) {
  return fprintln(os::stdout(), args...);
}

template <class... Args>
Result<std::size_t> printf(::fmt::format_string<Args...> format, Args&&... args) {
  ::fmt::memory_buffer buf;
  ::fmt::format_to(std::back_inserter(buf), format, std::forward<Args>(args)...);
  return detail::write_buffer(os::stdout(), buf);
}

// fmt.Sprint, fmt.Sprintln, fmt.Sprintf: the same into a string.
template <class... Args>
std::string sprint(const Args&... args) {
  ::fmt::memory_buffer buf;
  detail::append_operands(buf, false, args...);
  return ::fmt::to_string(buf);
}

template <class... Args>
std::string sprintln(const Args&... args) {
  ::fmt::memory_buffer buf;
  detail::append_operands(buf, true, args...);
  buf.push_back('\n');
  return ::fmt::to_string(buf);
}

template <class... Args>
std::string sprintf(::fmt::format_string<Args...> format, Args&&... args) {
  return ::fmt::format(format, std::forward<Args>(args)...);
}

// fmt.Errorf without %w: a new error with the formatted message. (To wrap
// an error use goro::errors::wrap(cause, context).)
template <class... Args>
Error errorf(::fmt::format_string<Args...> format, Args&&... args) {
  return errors::make(::fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace goro::fmt
