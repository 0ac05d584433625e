// libFuzzer target for goro::http's request reader: ParserCore (the layer
// over libhttp-parser that MessageReader drives) fed arbitrary bytes in
// arbitrary chunk sizes, exactly as MessageReader feeds it: more input only
// when the buffer is consumed and no body piece is pending.
//
// Checks, beyond "no crash, no sanitizer report": feed() never consumes more
// than it was given and always makes progress or reports why not; body
// pieces lie inside the fed buffer; a message framed by Content-Length
// delivers exactly that many body bytes; a failure is sticky.
//
// Input: byte 0 = chunk size - 1, byte 1 bit 0 = small head limit (256),
// bit 1 = parse responses instead of requests; the rest is the stream.
//
// Built with clang++ only (tests/fuzz/run.sh, or the CMake target
// fuzz_request_reader): parser_core has no goro dependency for this reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/parser_core.hpp"

using goro::http::detail::ParserCore;

namespace {

[[noreturn]] void check_failed() { __builtin_trap(); }
#define FUZZ_CHECK(cond)         \
  do {                           \
    if (!(cond)) check_failed(); \
  } while (0)

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t step = std::size_t(data[0]) + 1;
  const std::size_t max_head = (data[1] & 1) ? 256 : (1 << 20);
  const auto kind = (data[1] & 2) ? ParserCore::Kind::response : ParserCore::Kind::request;
  const char* in = reinterpret_cast<const char*>(data + 2);
  const std::size_t n = size - 2;

  ParserCore core(kind);
  std::size_t fed = 0;        // input handed to the "buffer" so far
  const char* buf = nullptr;  // current buffer window [buf + r, buf + w)
  std::size_t r = 0, w = 0;
  bool eof = false;

  auto refill = [&] {
    if (fed == n) {
      eof = true;
      return;
    }
    std::size_t len = std::min(step, n - fed);
    buf = in + fed;
    r = 0;
    w = len;
    fed += len;
  };

  for (int messages = 0; messages < 64; ++messages) {
    if (r == w) refill();
    if (eof && r == w) break;
    core.begin(max_head, false);
    std::int64_t body = 0;
    int spins = 0;
    while (core.failure() == ParserCore::Failure::none && !core.message_done()) {
      FUZZ_CHECK(++spins < 1'000'000);
      std::string_view piece = core.pending();
      if (!piece.empty()) {
        // The piece must lie within the current buffer window.
        FUZZ_CHECK(piece.data() >= buf && piece.data() + piece.size() <= buf + w);
        std::size_t take = std::min<std::size_t>(piece.size(), 1 + (piece.size() % 7));
        core.take_pending(take);
        body += std::int64_t(take);
        continue;
      }
      if (r == w) {
        refill();
        if (eof) {
          core.feed_eof();
          break;
        }
        continue;
      }
      bool head_before = core.headers_done();
      std::size_t got = core.feed(buf + r, w - r);
      FUZZ_CHECK(got <= w - r);
      r += got;
      // No progress is only allowed with a reason.
      if (got == 0) {
        FUZZ_CHECK(core.failure() != ParserCore::Failure::none || !core.pending().empty() ||
                   core.message_done() || core.headers_done() != head_before);
      }
    }
    // Drain what the last step delivered.
    while (!core.pending().empty()) {
      body += std::int64_t(core.pending().size());
      core.take_pending(core.pending().size());
    }
    if (core.failure() != ParserCore::Failure::none) {
      // Sticky: nothing more is consumed.
      if (r < w) FUZZ_CHECK(core.feed(buf + r, w - r) == 0);
      break;
    }
    if (!core.message_done()) break;
    const auto& head = core.head();
    FUZZ_CHECK(core.headers_done());
    if (kind == ParserCore::Kind::request && !head.chunked && head.content_length >= 0) {
      FUZZ_CHECK(body == head.content_length);
    }
    if (kind == ParserCore::Kind::request) {
      FUZZ_CHECK(!head.method.empty());
      FUZZ_CHECK(head.head_bytes <= max_head);
    }
  }
  return 0;
}
