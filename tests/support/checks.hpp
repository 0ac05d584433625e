// Helpers shared by goro's unit tests: waiting for a condition from the
// test's plain thread, catching a goro::Panic's message, a move-only element
// type, and whether this is a sanitizer build (tests scale their sizes down).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <goro/panic.hpp>

namespace goro_test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool sanitized = true;
#else
inline constexpr bool sanitized = false;
#endif

// Polls pred (on this plain thread) until it holds; false after `limit`.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// The message of the goro::Panic that f throws, or "(no panic)".
template <class F>
std::string panic_message(F&& f) {
  try {
    f();
  } catch (const goro::Panic& p) {
    return p.what();
  }
  return "(no panic)";
}

struct MoveOnly {
  explicit MoveOnly(int v) : p(std::make_unique<int>(v)) {}
  std::unique_ptr<int> p;
};

}  // namespace goro_test

using goro_test::eventually;
using goro_test::MoveOnly;
using goro_test::panic_message;
using goro_test::sanitized;
