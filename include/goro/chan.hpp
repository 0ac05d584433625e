// goro::Chan<T> — Go's channels.
//
//   auto ch = goro::make_chan<int>();      // Go: ch := make(chan int)
//   auto bc = goro::make_chan<int>(16);    // Go: make(chan int, 16)
//   ch.send(1);                            // ch <- 1
//   std::optional<int> v = ch.recv();      // v, ok := <-ch (nullopt: closed and drained)
//   for (int x : ch) { ... }               // for x := range ch
//   ch.close();                            // close(ch)
//   ch.len(); ch.cap();                    // len(ch), cap(ch)
//   ch.try_send(2); ch.try_recv();         // select with a default case
//
// A Chan is a cheap reference-counted handle: copies refer to the same
// channel, == compares identity, std::hash hashes it. A default-constructed
// Chan is Go's nil channel: send and recv block forever, close panics.
// goro::SendChan<T> (Go: chan<- T) and goro::RecvChan<T> (<-chan T) convert
// implicitly from Chan<T> and offer only their direction's operations
// (close belongs to the sender). goro::Event is Go's struct{} element.
//
// Blocking operations work from goroutines (the goroutine parks) and from
// plain threads (the thread sleeps). Misuse panics (goro::Panic) with Go's
// messages: "send on closed channel", "close of closed channel",
// "close of nil channel".
//
// T must be a move-constructible object type; elements are moved, never
// copied, so move-only types work. A move constructor that throws while a
// channel moves an element ends the program.
//
// Channels are reference counted, not garbage collected: a channel whose
// buffer holds (directly or through other channels) a handle to itself is
// never freed. Goroutines blocked on a channel keep it alive.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <new>
#include <optional>
#include <source_location>
#include <type_traits>
#include <utility>

#include "goro/detail/chan_core.hpp"

namespace goro {

// The element of a channel that carries no data (Go's chan struct{}).
struct Event {
  friend constexpr bool operator==(Event, Event) noexcept { return true; }
};

template <class T>
class Chan;
template <class T>
class SendChan;
template <class T>
class RecvChan;
template <class T>
Chan<T> make_chan(long long cap = 0);

namespace detail {

template <class T>
void elem_move_construct(void* dst, void* src) noexcept {
  ::new (dst) T(std::move(*static_cast<T*>(src)));
}
template <class T>
void elem_destroy(void* p) noexcept {
  static_cast<T*>(p)->~T();
}
template <class T>
inline constexpr ElemOps elem_ops{
    sizeof(T), alignof(T), &elem_move_construct<T>, &elem_destroy<T>,
    std::is_trivially_copyable_v<T>&& std::is_trivially_destructible_v<T>};

template <class T>
concept ChanElement =
    std::is_object_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T> && !std::is_array_v<T> &&
    std::is_move_constructible_v<T> && std::is_nothrow_destructible_v<T>;

// Raw storage for one T that a receive constructs into.
template <class T>
struct RecvSlot {
  alignas(T) unsigned char bytes[sizeof(T)];
  void* raw() noexcept { return bytes; }
  // Moves the received T into out and destroys it here.
  void take_into(std::optional<T>& out) {
    T* p = std::launder(reinterpret_cast<T*>(bytes));
    struct Destroy {
      T* p;
      ~Destroy() { p->~T(); }
    } destroy{p};
    out.emplace(std::move(*p));
  }
};

// Receive into out (left empty when the channel is closed and drained, or
// when block is false and nothing is ready). Returns the core's status.
template <class T>
RecvStatus recv_into(ChanCore* c, std::optional<T>& out, bool block,
                     const std::source_location& where) {
  RecvSlot<T> slot;
  RecvStatus st = chan_recv(c, slot.raw(), block, where);
  if (st == RecvStatus::received) slot.take_into(out);
  return st;
}

// Input iterator of a range-for over a channel. Like std::generator, it
// yields T&&: `for (T v : ch)` moves each value into v.
template <class T>
class ChanIterator {
 public:
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using reference = T&&;

  ChanIterator() = default;
  ChanIterator(ChanCore* c, std::source_location where) : core_(c), where_(where) { ++*this; }

  T&& operator*() const { return std::move(*cur_); }
  ChanIterator& operator++() {
    cur_.reset();
    recv_into(core_, cur_, true, where_);
    return *this;
  }
  void operator++(int) { ++*this; }
  friend bool operator==(const ChanIterator& it, std::default_sentinel_t) noexcept {
    return !it.cur_.has_value();
  }

 private:
  ChanCore* core_ = nullptr;
  std::source_location where_;  // the range-for, for goroutine dumps
  mutable std::optional<T> cur_;
};

// What every channel handle shares: the counted reference to the core, len
// and cap. SendOps / RecvOps add each direction's operations.
template <class T>
class ChanHandle {
 public:
  // Identity of the channel (null for a nil channel); for select and hashing.
  ChanCore* core() const noexcept { return core_; }
  explicit operator bool() const noexcept { return core_ != nullptr; }
  // Go's len(ch): elements buffered now (a racy snapshot); cap(ch).
  std::size_t len() const noexcept { return chan_len(core_); }
  std::size_t cap() const noexcept { return chan_cap(core_); }

 protected:
  ChanHandle() noexcept = default;
  explicit ChanHandle(ChanCore* adopted) noexcept : core_(adopted) {}
  ChanHandle(const ChanHandle& o) noexcept : core_(o.core_) {
    if (core_) chan_retain(core_);
  }
  ChanHandle(ChanHandle&& o) noexcept : core_(std::exchange(o.core_, nullptr)) {}
  ChanHandle& operator=(const ChanHandle& o) noexcept {
    ChanHandle copy(o);
    std::swap(core_, copy.core_);
    return *this;
  }
  ChanHandle& operator=(ChanHandle&& o) noexcept {
    ChanHandle moved(std::move(o));
    std::swap(core_, moved.core_);
    return *this;
  }
  ~ChanHandle() {
    if (core_) chan_release(core_);
  }

 private:
  ChanCore* core_ = nullptr;
};

// The sending half of the operations (Chan and SendChan).
template <class Self, class T>
class SendOps {
 public:
  // Blocks until a receiver takes the value (unbuffered) or there is room in
  // the buffer. Panics "send on closed channel".
  void send(T value, std::source_location where = std::source_location::current()) const {
    chan_send(self_core(), &value, true, where);
  }
  // Sends only if that can be done without blocking; false otherwise (the
  // value is then dropped, as in Go's select with a default case).
  bool try_send(T value) const {
    return chan_send(self_core(), &value, false, std::source_location::current());
  }
  void close(std::source_location where = std::source_location::current()) const {
    chan_close(self_core(), where);
  }

 private:
  ChanCore* self_core() const noexcept {
    return static_cast<const ChanHandle<T>&>(static_cast<const Self&>(*this)).core();
  }
};

// The receiving half of the operations (Chan and RecvChan).
template <class Self, class T>
class RecvOps {
 public:
  // Blocks until a value arrives; nullopt once the channel is closed and
  // drained.
  std::optional<T> recv(std::source_location where = std::source_location::current()) const {
    std::optional<T> out;
    recv_into(self_core(), out, true, where);
    return out;
  }
  // nullopt when no value is available right now (empty, or closed and
  // drained).
  std::optional<T> try_recv() const {
    std::optional<T> out;
    recv_into(self_core(), out, false, std::source_location::current());
    return out;
  }
  // for (T v : ch): receives until the channel is closed and drained.
  ChanIterator<T> begin(std::source_location where = std::source_location::current()) const {
    return ChanIterator<T>(self_core(), where);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  ChanCore* self_core() const noexcept {
    return static_cast<const ChanHandle<T>&>(static_cast<const Self&>(*this)).core();
  }
};

}  // namespace detail

// A bidirectional channel of T (Go: chan T).
template <class T>
class Chan : public detail::ChanHandle<T>,
             public detail::SendOps<Chan<T>, T>,
             public detail::RecvOps<Chan<T>, T> {
  // T may still be incomplete here (struct Node { goro::Chan<Node> next; });
  // make_chan checks it.
  using Base = detail::ChanHandle<T>;

 public:
  using value_type = T;

  Chan() noexcept = default;  // nil channel
  Chan(std::nullptr_t) noexcept {}

  friend bool operator==(const Chan& a, const Chan& b) noexcept { return a.core() == b.core(); }
  friend bool operator==(const Chan& a, std::nullptr_t) noexcept { return !a.core(); }

 private:
  template <class U>
  friend Chan<U> make_chan(long long cap);
  explicit Chan(detail::ChanCore* adopted) noexcept : Base(adopted) {}
};

// A send-only view of a channel (Go: chan<- T).
template <class T>
class SendChan : public detail::ChanHandle<T>, public detail::SendOps<SendChan<T>, T> {
  using Base = detail::ChanHandle<T>;

 public:
  using value_type = T;

  SendChan() noexcept = default;
  SendChan(std::nullptr_t) noexcept {}
  SendChan(const Chan<T>& c) noexcept : Base(c) {}
  SendChan(Chan<T>&& c) noexcept : Base(std::move(c)) {}

  friend bool operator==(const SendChan& a, const SendChan& b) noexcept {
    return a.core() == b.core();
  }
  friend bool operator==(const SendChan& a, std::nullptr_t) noexcept { return !a.core(); }
};

// A receive-only view of a channel (Go: <-chan T).
template <class T>
class RecvChan : public detail::ChanHandle<T>, public detail::RecvOps<RecvChan<T>, T> {
  using Base = detail::ChanHandle<T>;

 public:
  using value_type = T;

  RecvChan() noexcept = default;
  RecvChan(std::nullptr_t) noexcept {}
  RecvChan(const Chan<T>& c) noexcept : Base(c) {}
  RecvChan(Chan<T>&& c) noexcept : Base(std::move(c)) {}

  friend bool operator==(const RecvChan& a, const RecvChan& b) noexcept {
    return a.core() == b.core();
  }
  friend bool operator==(const RecvChan& a, std::nullptr_t) noexcept { return !a.core(); }
};

// Go: make(chan T, cap). Panics "makechan: size out of range" when cap < 0.
template <class T>
Chan<T> make_chan(long long cap) {
  static_assert(detail::ChanElement<T>,
                "goro::make_chan<T>: T must be a non-const, move-constructible object type");
  return Chan<T>(detail::chan_make(&detail::elem_ops<T>, cap));
}

}  // namespace goro

template <class T>
struct std::hash<goro::Chan<T>> {
  std::size_t operator()(const goro::Chan<T>& c) const noexcept {
    return std::hash<const void*>{}(c.core());
  }
};
template <class T>
struct std::hash<goro::SendChan<T>> {
  std::size_t operator()(const goro::SendChan<T>& c) const noexcept {
    return std::hash<const void*>{}(c.core());
  }
};
template <class T>
struct std::hash<goro::RecvChan<T>> {
  std::size_t operator()(const goro::RecvChan<T>& c) const noexcept {
    return std::hash<const void*>{}(c.core());
  }
};
