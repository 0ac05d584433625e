// The type-erased channel core behind goro::Chan<T> and goro::select.
//
// The core (src/chan/, src/select/) moves elements only through the ElemOps
// of the channel's element type (or, for trivially copyable types, by
// copying their bytes), so one compiled implementation serves every T. The templates in
// goro/chan.hpp and goro/select.hpp supply ElemOps and own the storage values travel through:
// - a sender passes a pointer to its (constructed) value; the core
//   move-constructs from it and never destroys it (the caller does);
// - a receiver passes raw storage for one T; when the core reports that a
//   value was received, a T has been move-constructed there and the caller
//   must destroy it.
// Element moves must not throw: ElemOps functions are noexcept (a throwing
// move constructor ends the program, as it would leave a channel half
// updated under its lock).
#pragma once

#include <cstddef>
#include <source_location>

namespace goro::detail {

struct ChanCore;

struct ElemOps {
  std::size_t size;
  std::size_t align;
  void (*move_construct)(void* dst, void* src) noexcept;  // new (dst) T(std::move(*src))
  void (*destroy)(void* p) noexcept;
  // T is trivially copyable and destructible: the core may copy its bytes
  // instead of calling move_construct, and skip destroy.
  bool trivial;
};

// A new channel with one reference. Panics on a negative or too large cap.
ChanCore* chan_make(const ElemOps* ops, long long cap);
void chan_retain(ChanCore* c) noexcept;
void chan_release(ChanCore* c) noexcept;  // frees the channel with its last reference

// Send *src on c (c may be null: a nil channel). block=false: returns false
// instead of blocking. Panics "send on closed channel".
bool chan_send(ChanCore* c, void* src, bool block, const std::source_location& where);

enum class RecvStatus {
  would_block,  // only when block=false: nothing to receive now
  received,     // a T was constructed in dst
  closed,       // the channel is closed and drained; dst untouched
};
RecvStatus chan_recv(ChanCore* c, void* dst, bool block, const std::source_location& where);

// Panics "close of nil channel" / "close of closed channel".
void chan_close(ChanCore* c, const std::source_location& where);
std::size_t chan_len(const ChanCore* c) noexcept;
std::size_t chan_cap(const ChanCore* c) noexcept;

// One non-default case of a select: a send of *elem, or a receive into the
// raw storage elem. core == nullptr is a nil channel (never chosen).
struct SelectCaseDesc {
  ChanCore* core;
  void* elem;
  bool is_send;
};

struct SelectResult {
  int index;     // the chosen case in cases[], or -1 for the default case
  bool recv_ok;  // a receive case got a value (false: closed and drained)
};

// Go's select over cases[0..n). has_default: return {-1, false} instead of
// blocking. Panics "send on closed channel" when a send case on a closed
// channel is chosen.
SelectResult chan_select(SelectCaseDesc* cases, int n, bool has_default,
                         const std::source_location& where);

}  // namespace goro::detail
