// goro::select — Go's select statement.
//
//   int i = goro::select(
//       goro::recv(ch1, [](std::optional<int> v) { ... }),  // case v, ok := <-ch1
//       goro::recv(ch2),                                     // case <-ch2
//       goro::recv(ch3, &out),                               // out = value or nullopt
//       goro::send(ch4, value, [] { ... }),                  // case ch4 <- value
//       goro::default_([] { ... }));                         // default (optional)
//
// select waits until one case can proceed, performs it, runs that case's
// handler (after every channel lock is released) and returns the case's
// position in the argument list, so a loop can `break` or `return` on it.
// As in Go:
// - when several cases are ready, one is chosen uniformly at random;
// - a case on a nil channel is never chosen; with no ready case and no
//   default, select blocks; select() with no cases blocks forever;
// - a receive on a closed channel is always ready and yields nullopt;
// - a send case chosen on a closed channel panics "send on closed channel";
// - the same channel may appear in several cases.
// A receive handler takes std::optional<T> (nullopt: closed and drained) or
// nothing. A send case's value is evaluated (moved into the case) before
// select runs and dropped if another case is chosen.
//
// goro::Case erases a case's type for selects built at run time (Go's
// reflect.Select):
//   std::vector<goro::Case> cases;
//   for (auto& ch : chans) cases.emplace_back(goro::recv(ch, handler));
//   int i = goro::select_dynamic(cases);
// A receive Case may be reused for many selects; a send Case sends its
// value once (a chosen send Case must be rebuilt before it is used again).
//
// The cases recv() and send() return borrow the channel (no reference count
// traffic per select): the handle passed to them must outlive the case, as
// it does when the cases are the select's arguments (a temporary such as
// recv(time::after(d)) lives until the select returns). A goro::Case holds
// its own reference to the channel.
#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "goro/chan.hpp"
#include "goro/detail/chan_core.hpp"
#include "goro/panic.hpp"

namespace goro {

namespace detail {

struct NoHandler {};

template <class H, class T>
concept RecvHandler = std::same_as<H, NoHandler> || std::same_as < H,
        std::optional<T>
* > || std::invocable<H&, std::optional<T>> || std::invocable<H&>;

template <class T, class H>
class RecvCase {
 public:
  static constexpr bool is_default = false;

  RecvCase(ChanCore* borrowed, H handler, std::source_location where)
      : core_(borrowed), handler_(std::move(handler)), where_(where) {}

  ChanCore* core() const noexcept { return core_; }
  SelectCaseDesc desc() { return {core_, slot_.raw(), false}; }
  const std::source_location& where() const noexcept { return where_; }

  // This case was chosen; ok: a value was constructed in the slot.
  void finish(bool ok) {
    std::optional<T> v;
    if (ok) slot_.take_into(v);
    if constexpr (std::same_as<H, NoHandler>) {
      // value dropped, as in Go's `case <-ch:`
    } else if constexpr (std::same_as<H, std::optional<T>*>) {
      if (handler_) {
        handler_->reset();
        if (v) handler_->emplace(std::move(*v));
      }
    } else if constexpr (std::invocable<H&, std::optional<T>>) {
      std::invoke(handler_, std::move(v));
    } else {
      std::invoke(handler_);
    }
  }

 private:
  ChanCore* core_;  // borrowed from the caller's handle
  H handler_;
  std::source_location where_;
  RecvSlot<T> slot_;
};

template <class T, class H>
class SendCase {
 public:
  static constexpr bool is_default = false;

  SendCase(ChanCore* borrowed, T value, H handler, std::source_location where)
      : core_(borrowed), value_(std::move(value)), handler_(std::move(handler)), where_(where) {}

  ChanCore* core() const noexcept { return core_; }
  SelectCaseDesc desc() { return {core_, &value_, true}; }
  const std::source_location& where() const noexcept { return where_; }

  void finish(bool) {
    if constexpr (!std::same_as<H, NoHandler>) std::invoke(handler_);
  }

 private:
  ChanCore* core_;  // borrowed from the caller's handle
  T value_;
  H handler_;
  std::source_location where_;
};

template <class H>
class DefaultCase {
 public:
  static constexpr bool is_default = true;

  DefaultCase(H handler, std::source_location where)
      : handler_(std::move(handler)), where_(where) {}

  ChanCore* core() const noexcept { return nullptr; }
  SelectCaseDesc desc() { return {nullptr, nullptr, false}; }
  const std::source_location& where() const noexcept { return where_; }

  void finish(bool) {
    if constexpr (!std::same_as<H, NoHandler>) std::invoke(handler_);
  }

 private:
  H handler_;
  std::source_location where_;
};

template <class C>
concept SelectCase = requires(C& c, bool ok) {
  { C::is_default } -> std::convertible_to<bool>;
  { c.core() } -> std::same_as<ChanCore*>;
  { c.desc() } -> std::same_as<SelectCaseDesc>;
  c.finish(ok);
  { c.where() } -> std::convertible_to<std::source_location>;
};

template <class C>
inline constexpr bool is_default_case = std::remove_cvref_t<C>::is_default;

template <class First, class... Rest>
First& first_of(First& first, Rest&...) noexcept {
  return first;
}

}  // namespace detail

// case <-ch / case v, ok := <-ch (handler(std::optional<T>) or handler())
// / case *out = <-ch.
template <class T>
detail::RecvCase<T, detail::NoHandler> recv(
    const RecvChan<T>& ch, std::source_location where = std::source_location::current()) {
  return {ch.core(), {}, where};
}
template <class T>
detail::RecvCase<T, detail::NoHandler> recv(
    const Chan<T>& ch, std::source_location where = std::source_location::current()) {
  return {ch.core(), {}, where};
}
template <class T, class H>
requires detail::RecvHandler<std::decay_t<H>, T> detail::RecvCase<T, std::decay_t<H>> recv(
    const RecvChan<T>& ch, H&& handler,
    std::source_location where = std::source_location::current()) {
  return {ch.core(), std::forward<H>(handler), where};
}
template <class T, class H>
requires detail::RecvHandler<std::decay_t<H>, T> detail::RecvCase<T, std::decay_t<H>> recv(
    const Chan<T>& ch, H&& handler, std::source_location where = std::source_location::current()) {
  return {ch.core(), std::forward<H>(handler), where};
}

// case ch <- value (then handler()).
template <class T>
detail::SendCase<T, detail::NoHandler> send(
    const SendChan<T>& ch, std::type_identity_t<T> value,
    std::source_location where = std::source_location::current()) {
  return {ch.core(), std::move(value), {}, where};
}
template <class T>
detail::SendCase<T, detail::NoHandler> send(
    const Chan<T>& ch, std::type_identity_t<T> value,
    std::source_location where = std::source_location::current()) {
  return {ch.core(), std::move(value), {}, where};
}
template <class T, class H>
requires std::invocable < std::decay_t<H>
& > detail::SendCase<T, std::decay_t<H>> send(
        const SendChan<T>& ch, std::type_identity_t<T> value, H&& handler,
        std::source_location where = std::source_location::current()) {
  return {ch.core(), std::move(value), std::forward<H>(handler), where};
}
template <class T, class H>
requires std::invocable < std::decay_t<H>
& > detail::SendCase<T, std::decay_t<H>> send(
        const Chan<T>& ch, std::type_identity_t<T> value, H&& handler,
        std::source_location where = std::source_location::current()) {
  return {ch.core(), std::move(value), std::forward<H>(handler), where};
}

// default: (then handler()).
inline detail::DefaultCase<detail::NoHandler> default_(
    std::source_location where = std::source_location::current()) {
  return {{}, where};
}
template <class H>
requires std::invocable < std::decay_t<H>
& > detail::DefaultCase<std::decay_t<H>> default_(
        H&& handler, std::source_location where = std::source_location::current()) {
  return {std::forward<H>(handler), where};
}

// Go's `select {}`: blocks forever.
[[noreturn]] inline void select(std::source_location where = std::source_location::current()) {
  detail::chan_select(nullptr, 0, false, where);
  std::unreachable();
}

// Go's select; returns the position of the chosen case among the arguments.
template <class... Cases>
requires(sizeof...(Cases) > 0 &&
         (detail::SelectCase<std::remove_cvref_t<Cases>> && ...)) int select(Cases&&... cases) {
  constexpr int n_default = (0 + ... + int(detail::is_default_case<Cases>));
  static_assert(n_default <= 1, "goro::select: at most one default_ case");
  constexpr int n = int(sizeof...(Cases)) - n_default;

  detail::SelectCaseDesc descs[n > 0 ? n : 1];
  int arg_of[n > 0 ? n : 1];
  int default_arg = -1;
  int k = 0;
  int arg = 0;
  [[maybe_unused]] auto collect = [&](auto& c) {
    if constexpr (detail::is_default_case<decltype(c)>) {
      default_arg = arg;
    } else {
      descs[k] = c.desc();
      arg_of[k++] = arg;
    }
    ++arg;
  };
  (collect(cases), ...);

  // Goroutine dumps show where the select is: its first case's location.
  const std::source_location where = detail::first_of(cases...).where();

  const detail::SelectResult r = detail::chan_select(descs, n, n_default > 0, where);
  const int chosen = r.index < 0 ? default_arg : arg_of[r.index];
  arg = 0;
  [[maybe_unused]] auto finish = [&](auto& c) {
    if (arg++ == chosen) c.finish(r.recv_ok);
  };
  (finish(cases), ...);
  return chosen;
}

// A select case of any kind, type-erased, for select_dynamic.
class Case {
 public:
  template <class C>
  requires(!std::same_as<std::remove_cvref_t<C>, Case> &&
           detail::SelectCase<std::remove_cvref_t<C>>) Case(C&& c)
      : impl_(std::make_unique<Model<std::remove_cvref_t<C>>>(std::forward<C>(c))) {}

  bool is_default() const { return impl_->is_default(); }

 private:
  friend int select_dynamic(std::span<Case> cases);

  struct Concept {
    virtual ~Concept() = default;
    virtual bool is_default() const = 0;
    virtual detail::SelectCaseDesc desc() = 0;
    virtual void finish(bool ok) = 0;
    virtual std::source_location where() const = 0;
  };
  // Holds a reference to the case's channel for as long as the Case lives
  // (the case itself only borrows it).
  template <class C>
  struct Model final : Concept {
    explicit Model(C&& c) : c(std::move(c)) { retain(); }
    explicit Model(const C& c) : c(c) { retain(); }
    ~Model() override {
      if (detail::ChanCore* core = c.core()) detail::chan_release(core);
    }
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;
    void retain() {
      if (detail::ChanCore* core = c.core()) detail::chan_retain(core);
    }
    bool is_default() const override { return C::is_default; }
    detail::SelectCaseDesc desc() override { return c.desc(); }
    void finish(bool ok) override { c.finish(ok); }
    std::source_location where() const override { return c.where(); }
    C c;
  };

  std::unique_ptr<Concept> impl_;
};

// Go's reflect.Select: a select over cases chosen at run time. Returns the
// index of the chosen case. Panics "select: multiple default cases".
inline int select_dynamic(std::span<Case> cases) {
  std::vector<detail::SelectCaseDesc> descs;
  std::vector<int> index_of;
  descs.reserve(cases.size());
  index_of.reserve(cases.size());
  int default_index = -1;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Case::Concept& c = *cases[i].impl_;
    if (c.is_default()) {
      if (default_index >= 0) panic("select: multiple default cases");
      default_index = int(i);
    } else {
      descs.push_back(c.desc());
      index_of.push_back(int(i));
    }
  }
  const std::source_location where =
      cases.empty() ? std::source_location::current() : cases[0].impl_->where();
  const detail::SelectResult r =
      detail::chan_select(descs.data(), int(descs.size()), default_index >= 0, where);
  const int chosen = r.index < 0 ? default_index : index_of[std::size_t(r.index)];
  cases[std::size_t(chosen)].impl_->finish(r.recv_ok);
  return chosen;
}

}  // namespace goro
