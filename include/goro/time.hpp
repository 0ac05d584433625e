// Time: sleeping. (Timers, tickers, after and context deadlines build on the
// same runtime timers.)
#pragma once

#include <chrono>

namespace goro {

// Pause the calling goroutine for at least d (Go's time.Sleep). Other
// goroutines keep running on its processor. On a plain thread it sleeps the
// thread. A zero or negative d returns at once.
void sleep(std::chrono::nanoseconds d);

}  // namespace goro
