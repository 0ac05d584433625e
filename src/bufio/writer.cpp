// bufio::Writer: a buffer in front of an io::AnyWriter.
//
// Invariants: buffered data is buf_[0, n_). err_ is sticky: once a write to
// the destination failed, every write and flush returns it until reset().
// A destination write either writes everything or fails (io::Writer's
// contract), so a failed flush keeps the buffer as it was.
#include <algorithm>
#include <cstring>

#include "goro/bufio.hpp"

namespace goro::bufio {

Writer::Writer(io::AnyWriter wr, std::size_t size)
    : wr_(std::move(wr)), buf_(size == 0 ? default_buf_size : size) {}

void Writer::reset(io::AnyWriter wr) {
  wr_ = std::move(wr);
  n_ = 0;
  err_ = Error();
}

Error Writer::flush() {
  if (err_) return err_;
  if (n_ == 0) return Error();
  auto n = wr_.write(std::span<const std::byte>(buf_.data(), n_));
  if (!n) {
    err_ = n.error();
    return err_;
  }
  if (*n != n_) {
    err_ = io::err_short_write;
    return err_;
  }
  n_ = 0;
  return Error();
}

Result<std::size_t> Writer::write(std::span<const std::byte> data) {
  std::size_t total = data.size();
  while (data.size() > available() && !err_) {
    if (n_ == 0) {
      // Nothing buffered and more than fits: write it straight through.
      auto n = wr_.write(data);
      if (!n) {
        err_ = n.error();
        break;
      }
      data = {};
      break;
    }
    std::size_t k = available();
    std::memcpy(buf_.data() + n_, data.data(), k);
    n_ += k;
    data = data.subspan(k);
    flush();
  }
  if (err_) return fail(err_);
  if (!data.empty()) std::memcpy(buf_.data() + n_, data.data(), data.size());
  n_ += data.size();
  return total;
}

Error Writer::write_byte(std::uint8_t c) {
  if (err_) return err_;
  if (available() == 0 && flush()) return err_;
  buf_[n_++] = std::byte(c);
  return Error();
}

}  // namespace goro::bufio
