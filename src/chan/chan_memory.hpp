// Memory for channels (chan_make / chan_release in chan.cpp).
//
// Owns: a per-thread cache of freed blocks of the most common channel size
// (the header alone, at 64-byte alignment: every unbuffered channel of
// elements aligned to at most 64 bytes), so that programs that make and drop
// many channels (one per request, per tree node) skip the aligned allocator,
// which has no fast path in glibc (_mid_memalign splits a larger chunk;
// skynet: about 6% of its CPU time in malloc for 111 000 channels).
//
// Invariants: a thread's cache holds at most 64 blocks and is touched only by
// that thread; a block freed on one thread may be reused on another, as with
// malloc. The functions are out of line and never inlined: a goroutine may
// move to another thread between two calls, and the cache must be the one
// of the thread running the call. Under AddressSanitizer the cache is off,
// so that a use after free of a channel is still caught.
#pragma once

#include <cstddef>
#include <new>

namespace goro::detail {

void* chan_memory_alloc(std::size_t bytes, std::align_val_t align);
void chan_memory_free(void* block, std::size_t bytes, std::align_val_t align) noexcept;

}  // namespace goro::detail
