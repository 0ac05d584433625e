// goro: Go's concurrency for C++. One include for everything.
//
//   go.hpp       goro::go — start a goroutine
//   runtime.hpp  yield, num_goroutine, gomaxprocs, lock_os_thread, blocking
//   time.hpp     sleep
//   panic.hpp    goro::Panic, Go's panic
#pragma once

#include "goro/go.hpp"
#include "goro/panic.hpp"
#include "goro/runtime.hpp"
#include "goro/time.hpp"
