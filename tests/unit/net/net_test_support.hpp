// Helpers shared by the goro::net tests: run a body in a goroutine and wait
// for it, bytes <-> strings, and reading exactly n bytes.
#pragma once

#include <gtest/gtest.h>

#include <goro/goro.hpp>
#include <string>

#include "support/checks.hpp"

namespace net_test {

// Run f in a goroutine; block this thread until it returns, then until it
// is gone (tests capture locals by reference).
template <class F>
void in_goroutine(F f) {
  auto done = goro::make_chan<int>(1);
  goro::go([&f, done] {
    f();
    done.send(1);
  });
  done.recv();
  ASSERT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

inline std::span<const std::byte> bytes(std::string_view s) { return std::as_bytes(std::span(s)); }

// Read exactly n bytes (or fail the test); returns them as a string.
inline std::string read_n(goro::net::Conn& c, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    auto r = c.read(std::as_writable_bytes(std::span(out.data() + got, n - got)));
    if (!r) {
      ADD_FAILURE() << "read_n: " << r.error();
      return out.substr(0, got);
    }
    got += *r;
  }
  return out;
}

// Read until EOF; returns the data (the EOF error is expected).
inline std::string read_all(goro::net::Conn& c) {
  std::string out;
  char buf[4096];
  for (;;) {
    auto r = c.read(std::as_writable_bytes(std::span(buf)));
    if (!r) {
      EXPECT_EQ(r.error(), goro::io::eof) << r.error();
      return out;
    }
    out.append(buf, *r);
  }
}

}  // namespace net_test
