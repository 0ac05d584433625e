// goro::Panic — what Go calls a panic.
//
// The runtime throws Panic on misuse that Go treats as a programming error
// (send on a closed channel, negative WaitGroup counter, ...). Catching it is
// Go's recover. A Panic (or any other exception) that escapes a goroutine
// ends the program like an unrecovered Go panic: `panic: <what>` and a
// goroutine dump on stderr, exit status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace goro {

class Panic : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void panic(const std::string& message) { throw Panic(message); }

}  // namespace goro
