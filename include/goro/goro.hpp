// goro: Go's concurrency for C++. One include for everything but fmt.
//
//   go.hpp        goro::go — start a goroutine
//   runtime.hpp   yield, num_goroutine, gomaxprocs, lock_os_thread, blocking
//   panic.hpp     goro::Panic, Go's panic
//   chan.hpp      Chan<T>, SendChan<T>, RecvChan<T>, make_chan, Event
//   select.hpp    select over receive/send cases with an optional default
//   sync.hpp      WaitGroup, Mutex, RWMutex, Once, Cond
//   semaphore.hpp Semaphore (x/sync/semaphore)
//   time.hpp      time::sleep/after/tick/Timer/Ticker/after_func/now/since
//   context.hpp   Context, context::with_cancel/with_timeout/with_value/...
//   errgroup.hpp  ErrGroup (x/sync/errgroup)
//   error.hpp     goro::Error (Go's error), Result<T>, errors::make/wrap/is
//   io.hpp        io::Reader/Writer concepts, io::copy/read_all, io::eof
//   bufio.hpp     bufio::Reader, Scanner, Writer
//   os.hpp        os::File, open/create, stdin/stdout/stderr, read_dir, stat
//   net.hpp       net::listen/dial, Conn, Listener, PacketConn
//   flag.hpp      flag::integer/string/boolean/duration, flag::parse
//
// goro/fmt.hpp (fmt::println, fprintf, ...) is included separately: it
// brings in libfmt, whose namespace ::fmt would make `fmt::` ambiguous for a
// program that says `using namespace goro;`. Such a program writes
// goro::fmt::println.
#pragma once

#include "goro/bufio.hpp"
#include "goro/chan.hpp"
#include "goro/context.hpp"
#include "goro/errgroup.hpp"
#include "goro/error.hpp"
#include "goro/flag.hpp"
#include "goro/go.hpp"
#include "goro/io.hpp"
#include "goro/net.hpp"
#include "goro/os.hpp"
#include "goro/panic.hpp"
#include "goro/runtime.hpp"
#include "goro/select.hpp"
#include "goro/semaphore.hpp"
#include "goro/sync.hpp"
#include "goro/time.hpp"
