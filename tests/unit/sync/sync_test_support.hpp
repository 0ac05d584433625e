// Helpers shared by the sync tests (tests/unit/sync/*_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <goro/goro.hpp>

#include "support/checks.hpp"

namespace sync_test {

// Loop counts are divided by this under the sanitizers.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr int kScale = 10;
#else
inline constexpr int kScale = 1;
#endif

using namespace std::chrono_literals;

using goro_test::eventually;
using goro_test::panic_message;

}  // namespace sync_test
