// goro::http — Body, the io.ReadCloser of requests and responses, and its
// simple sources (a string, any io::Reader).
//
// Owns: Body's handle logic. A Body is used by one reader at a time; the
// Source behind it is shared by the handle's copies (as Go shares Body).
#include <algorithm>
#include <cstring>

#include "goro/http.hpp"

namespace goro::http {

namespace {

// A body held in memory: length known, replayable.
class StringSource final : public Body::Source {
 public:
  explicit StringSource(std::shared_ptr<const std::string> data) : data_(std::move(data)) {}
  Result<std::size_t> read(std::span<std::byte> buf) override {
    if (closed_) return fail(err_body_read_after_close);
    if (pos_ >= data_->size()) return fail(io::eof);
    std::size_t n = std::min(buf.size(), data_->size() - pos_);
    std::memcpy(buf.data(), data_->data() + pos_, n);
    pos_ += n;
    return n;
  }
  Error close() override {
    closed_ = true;
    return {};
  }
  std::int64_t length() const override { return std::int64_t(data_->size()); }
  std::shared_ptr<Body::Source> replay() const override {
    return std::make_shared<StringSource>(data_);
  }

 private:
  std::shared_ptr<const std::string> data_;
  std::size_t pos_ = 0;
  bool closed_ = false;
};

// Any io::Reader: length unknown, not replayable.
class ReaderSource final : public Body::Source {
 public:
  explicit ReaderSource(io::AnyReader r) : r_(std::move(r)) {}
  Result<std::size_t> read(std::span<std::byte> buf) override {
    if (closed_) return fail(err_body_read_after_close);
    return r_.read(buf);
  }
  Error close() override {
    closed_ = true;
    return {};
  }

 private:
  io::AnyReader r_;
  bool closed_ = false;
};

}  // namespace

Body::Body(std::string data) {
  if (!data.empty()) {
    src_ = std::make_shared<StringSource>(std::make_shared<const std::string>(std::move(data)));
  }
}

std::shared_ptr<Body::Source> Body::make_reader_source(io::AnyReader r) {
  return std::make_shared<ReaderSource>(std::move(r));
}

Result<std::size_t> Body::read(std::span<std::byte> buf) {
  if (!src_) return fail(io::eof);
  return src_->read(buf);
}

Error Body::close() { return src_ ? src_->close() : Error{}; }

std::shared_ptr<Body::Source> Body::replay() const { return src_ ? src_->replay() : nullptr; }

}  // namespace goro::http
