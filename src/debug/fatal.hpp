// Fatal errors, unrecovered panics and the goroutine dump.
//
// Owns: the text the runtime prints when the program must end (Go's
// "fatal error: ..." and "panic: ..." forms) and the dump of every
// goroutine. Output goes straight to fd 2 with write(2); stdout is flushed
// first only if its lock can be taken without waiting (another thread may be
// frozen holding it).
//
// Invariants: dump_goroutines reads G fields racily (a torn wait reason is
// acceptable in a dump); it takes Sched::allg_lock only to walk the list.
#pragma once

#include <string_view>

namespace goro::rt {

struct G;

[[noreturn]] void fatal_error(std::string_view message);
[[noreturn]] void fatal_panic(G* g, std::string_view what);
// Every goroutine with id, state, wait time, creation and blocking site.
void dump_goroutines(int fd);
void flush_stdout_if_possible();

}  // namespace goro::rt
