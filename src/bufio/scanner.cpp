// bufio::Scanner: tokens from an io::AnyReader via a SplitFunc.
//
// Invariants: unconsumed data is buf_[start_, end_). The buffer grows by
// doubling (from 4096, or the size given to buffer()) up to max_token_;
// a token that does not fit then is err_too_long. err_ holds the first
// error; io::eof there means the input ended (err() reports nil). Once scan
// returned false it keeps returning false (done_).
#include <algorithm>
#include <cstring>

#include "goro/bufio.hpp"
#include "goro/panic.hpp"

namespace goro::bufio {

namespace {
constexpr std::size_t start_buf_size = 4096;
constexpr int max_empty = 100;
}  // namespace

Scanner::Scanner(io::AnyReader rd) : rd_(std::move(rd)) {}

void Scanner::split(SplitFunc f) {
  if (scan_called_) goro::panic("bufio.Scanner: split called after scan");
  if (!f) goro::panic("bufio.Scanner: split with an empty SplitFunc");
  split_ = std::move(f);
}

void Scanner::buffer(std::size_t initial, std::size_t max) {
  if (scan_called_) goro::panic("bufio.Scanner: buffer called after scan");
  initial_ = initial;
  max_token_ = max;
}

Error Scanner::err() const noexcept { return err_ == io::eof ? Error() : err_; }

void Scanner::set_error(const Error& e) {
  if (!err_ || err_ == io::eof) err_ = e;
}

bool Scanner::scan() {
  if (done_) return false;
  scan_called_ = true;
  for (;;) {
    // Try for a token in what is buffered (at the end, even with nothing:
    // the split function decides).
    if (end_ > start_ || err_) {
      SplitResult res =
          split_(std::span<const std::byte>(buf_.data() + start_, end_ - start_), bool(err_));
      if (res.err) {
        if (res.err == err_final_token) {
          token_ = res.token.value_or(std::span<const std::byte>());
          done_ = true;
          return res.token.has_value();
        }
        set_error(res.err);
        done_ = true;
        token_ = {};
        return false;
      }
      if (res.advance > end_ - start_) {
        set_error(err_advance_too_far);
        done_ = true;
        token_ = {};
        return false;
      }
      start_ += res.advance;
      if (res.token) {
        token_ = *res.token;
        // Tokens that consume nothing, over and over, would never end (Go
        // checks this at EOF only; a buggy SplitFunc can do it anywhere).
        if (res.advance > 0) {
          empties_ = 0;
        } else if (++empties_ > max_empty) {
          set_error(err_no_progress);
          done_ = true;
          token_ = {};
          return false;
        }
        return true;
      }
    }
    if (err_) {
      start_ = end_ = 0;
      done_ = true;
      token_ = {};
      return false;
    }
    // Make room: slide the data down, or grow the buffer.
    if (start_ > 0 && (end_ == buf_.size() || start_ > buf_.size() / 2)) {
      std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
    }
    if (end_ == buf_.size()) {
      if (buf_.size() >= max_token_) {
        set_error(err_too_long);
        done_ = true;
        token_ = {};
        return false;
      }
      std::size_t size =
          buf_.empty() ? (initial_ > 0 ? initial_ : start_buf_size) : buf_.size() * 2;
      size = std::min(size, std::max(max_token_, initial_));
      size = std::max<std::size_t>(size, 1);
      std::vector<std::byte> bigger(size);
      if (end_ > start_) std::memcpy(bigger.data(), buf_.data() + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
      buf_ = std::move(bigger);
    }
    // Read more, tolerating a few empty reads.
    for (int loop = 0;;) {
      auto n = rd_.read(std::span<std::byte>(buf_.data() + end_, buf_.size() - end_));
      if (!n) {
        set_error(n.error());
        break;
      }
      end_ += std::min(*n, buf_.size() - end_);
      if (*n > 0) {
        empties_ = 0;
        break;
      }
      if (++loop > max_empty) {
        set_error(io::err_no_progress);
        break;
      }
    }
  }
}

}  // namespace goro::bufio
