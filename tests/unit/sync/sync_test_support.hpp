// Helpers shared by the sync tests (tests/unit/sync/*_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <goro/goro.hpp>

namespace sync_test {

// Loop counts are divided by this under the sanitizers.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr int kScale = 10;
#else
inline constexpr int kScale = 1;
#endif

using namespace std::chrono_literals;

// Poll pred (from the test's plain thread) until it holds or timeout passes.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// The message of the goro::Panic f throws, or "<no panic>".
template <class F>
std::string panic_message(F&& f) {
  try {
    f();
  } catch (const goro::Panic& p) {
    return p.what();
  }
  return "<no panic>";
}

}  // namespace sync_test
