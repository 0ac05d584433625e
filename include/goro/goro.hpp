// goro: Go's concurrency for C++. One include for everything.
//
//   go.hpp       goro::go — start a goroutine
//   runtime.hpp  yield, num_goroutine, gomaxprocs, lock_os_thread, blocking
//   error.hpp    goro::Error (Go's error), Result<T>, errors::make/wrap/is
//   io.hpp       io::Reader/Writer/Closer concepts, io::eof and friends
//   context.hpp  Context, context::with_cancel/with_timeout/with_value/...
//   errgroup.hpp ErrGroup (x/sync/errgroup)
//   flag.hpp     flag::integer/string/boolean/duration, flag::parse (Go's flag)
//   time.hpp     time::sleep/after/tick/Timer/Ticker/after_func/now/since
//   panic.hpp    goro::Panic, Go's panic
//   chan.hpp     Chan<T>, SendChan<T>, RecvChan<T>, make_chan, Event
//   select.hpp   select over receive/send cases with an optional default
#pragma once

#include "goro/chan.hpp"
#include "goro/context.hpp"
#include "goro/errgroup.hpp"
#include "goro/flag.hpp"
#include "goro/error.hpp"
#include "goro/go.hpp"
#include "goro/io.hpp"
#include "goro/net.hpp"
#include "goro/panic.hpp"
#include "goro/runtime.hpp"
#include "goro/select.hpp"
#include "goro/semaphore.hpp"
#include "goro/sync.hpp"
#include "goro/time.hpp"
