// io::pipe: Go's synchronous in-memory pipe.
//
// Invariants (all under PipeState::mu): `data` is the unread rest of the one
// write in progress (empty when none); only the writer holding wr_mu sets
// it. A reader consumes a prefix of it and broadcasts; the writer waits
// until it is empty or either end is closed. Closing an end sets its flag
// and error once (the first close wins) and broadcasts, so every party
// blocked on the pipe re-checks. Lock order: wr_mu before mu.
#include "goro/io.hpp"
#include "goro/sync.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>

namespace goro::io {

namespace detail {

struct PipeState {
  goro::Mutex mu;
  goro::Cond cond{mu};
  goro::Mutex wr_mu;  // one write at a time
  std::span<const std::byte> data;
  bool read_closed = false;  // the reading end was closed
  Error read_err;            // ...with this error (nil: err_closed_pipe for writers)
  bool write_closed = false;
  Error write_err;  // nil: io::eof for readers
};

}  // namespace detail

std::pair<PipeReader, PipeWriter> pipe() {
  auto s = std::make_shared<detail::PipeState>();
  return {PipeReader(s), PipeWriter(s)};
}

Result<std::size_t> PipeReader::read(std::span<std::byte> buf) const {
  std::unique_lock lock(s_->mu);
  for (;;) {
    if (s_->read_closed) return fail(err_closed_pipe);
    if (buf.empty()) return std::size_t(0);
    if (!s_->data.empty()) {
      std::size_t n = std::min(buf.size(), s_->data.size());
      std::memcpy(buf.data(), s_->data.data(), n);
      s_->data = s_->data.subspan(n);
      if (s_->data.empty()) s_->cond.broadcast();
      return n;
    }
    if (s_->write_closed) return fail(s_->write_err ? s_->write_err : eof);
    s_->cond.wait();
  }
}

Error PipeReader::close_with_error(Error err) const {
  std::unique_lock lock(s_->mu);
  if (!s_->read_closed) {
    s_->read_closed = true;
    s_->read_err = std::move(err);
    s_->cond.broadcast();
  }
  return Error();
}

Result<std::size_t> PipeWriter::write(std::span<const std::byte> data) const {
  auto closed_error = [&]() -> Error {
    if (s_->write_closed) return err_closed_pipe;
    if (s_->read_closed) return s_->read_err ? s_->read_err : err_closed_pipe;
    return Error();
  };
  if (data.empty()) {
    std::unique_lock lock(s_->mu);
    if (Error e = closed_error()) return fail(e);
    return std::size_t(0);
  }
  std::unique_lock writing(s_->wr_mu);
  std::unique_lock lock(s_->mu);
  if (Error e = closed_error()) return fail(e);
  s_->data = data;
  s_->cond.broadcast();
  while (!s_->data.empty() && !closed_error()) s_->cond.wait();
  if (!s_->data.empty()) {
    s_->data = {};
    return fail(closed_error());
  }
  return data.size();
}

Error PipeWriter::close_with_error(Error err) const {
  std::unique_lock lock(s_->mu);
  if (!s_->write_closed) {
    s_->write_closed = true;
    s_->write_err = std::move(err);
    s_->cond.broadcast();
  }
  return Error();
}

}  // namespace goro::io
