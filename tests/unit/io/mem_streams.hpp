// In-memory Readers and Writers for the io, bufio and fmt tests: a reader
// that hands out its data in chunks of a chosen size and then fails with
// io::eof (or a chosen error), and a writer that records what it got.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <utility>

#include <goro/io.hpp>

namespace goro_test {

struct ChunkReader {
  explicit ChunkReader(std::string data,
                       std::size_t chunk = std::numeric_limits<std::size_t>::max(),
                       goro::Error end_error = {})
      : data(std::move(data)), chunk(chunk), end_error(std::move(end_error)) {}

  std::string data;
  std::size_t chunk = std::numeric_limits<std::size_t>::max();
  goro::Error end_error;  // nil: io::eof
  std::size_t pos = 0;
  int reads = 0;

  goro::Result<std::size_t> read(std::span<std::byte> buf) {
    ++reads;
    if (buf.empty()) return std::size_t(0);
    if (pos == data.size()) return goro::fail(end_error ? end_error : goro::io::eof);
    std::size_t n = std::min({buf.size(), chunk, data.size() - pos});
    std::memcpy(buf.data(), data.data() + pos, n);
    pos += n;
    return n;
  }
};

// A broken Reader: returns 0 bytes and no error forever.
struct ZeroReader {
  goro::Result<std::size_t> read(std::span<std::byte>) { return std::size_t(0); }
};

struct StringWriter {
  std::string out;
  int writes = 0;
  // Fail every write once `out` holds at least fail_after bytes.
  std::size_t fail_after = std::numeric_limits<std::size_t>::max();
  goro::Error fail_with;

  goro::Result<std::size_t> write(std::span<const std::byte> data) {
    ++writes;
    if (out.size() >= fail_after) return goro::fail(fail_with);
    out.append(goro::io::as_string(data));
    return data.size();
  }
};

}  // namespace goro_test
