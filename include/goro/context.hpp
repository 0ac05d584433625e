// goro::Context — Go's context package: cancellation, deadlines and
// request-scoped values that flow down a tree of contexts.
//
//   Go                                              goro
//   ctx := context.Background()                     auto ctx = context::background();
//   ctx, cancel := context.WithCancel(parent)       auto [ctx, cancel] =
//   context::with_cancel(parent); ctx, cancel := context.WithTimeout(parent, d)   auto [ctx,
//   cancel] = context::with_timeout(parent, d); defer cancel() (call cancel() when done; see below)
//   case <-ctx.Done():                              select(recv(ctx.done()), ...)
//   ctx.Err() == context.Canceled                   ctx.err() == context::canceled
//   context.Cause(ctx)                              context::cause(ctx)
//   ctx.Value(userKey).(string)                     const std::string* v = ctx.value(user_key);
//   stop := context.AfterFunc(ctx, f)               auto stop = context::after_func(ctx, f);
//
// A Context is a cheap, copyable handle; copies are the same context. The
// default-constructed Context is Background. Cancelling a context cancels
// all of its descendants at once (synchronously, by the canceller); a
// child's deadline never exceeds its parent's. No goroutine is spent per
// context: deadlines are runtime timers.
//
// As in Go, call the CancelFunc once the work is done; a context that is
// dropped without being cancelled is released with its last handle (it does
// not leak as in Go), and its timer is stopped.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "goro/chan.hpp"
#include "goro/error.hpp"
#include "goro/time.hpp"

namespace goro {

namespace context {

// The key of a value stored with with_value. Keys compare by identity, so
// declare each once (e.g. `inline const context::Key<std::string> user_key{"user"};`).
template <class T>
class Key {
 public:
  explicit Key(std::string name) : name_(std::move(name)) {}
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

}  // namespace context

namespace detail {
struct ContextNode;
}

class Context {
 public:
  Context() noexcept = default;  // Background

  // Closed when the context is cancelled or its deadline passes; a nil
  // channel (never ready) for contexts that can never be cancelled.
  RecvChan<Event> done() const;
  // nil while not done; then context::canceled or context::deadline_exceeded.
  Error err() const;
  // The time at which the context will be cancelled, if any.
  std::optional<time::Time> deadline() const;
  // The value stored under key by this context or the nearest ancestor that
  // has one; nullptr if none. Valid while this context exists.
  template <class T>
  const T* value(const context::Key<T>& key) const {
    return static_cast<const T*>(find_value(&key));
  }

  explicit Context(std::shared_ptr<detail::ContextNode> node) noexcept : node_(std::move(node)) {}
  const std::shared_ptr<detail::ContextNode>& node() const noexcept { return node_; }

 private:
  const void* find_value(const void* key) const;
  std::shared_ptr<detail::ContextNode> node_;  // null: Background
};

namespace context {

extern const Error canceled;           // "context canceled"
extern const Error deadline_exceeded;  // "context deadline exceeded"; timeout() is true

using CancelFunc = std::function<void()>;
using CancelCauseFunc = std::function<void(Error cause)>;

Context background();
Context todo();

std::pair<Context, CancelFunc> with_cancel(const Context& parent);
// cancel(cause) records cause (nil: canceled) for context::cause.
std::pair<Context, CancelCauseFunc> with_cancel_cause(const Context& parent);
std::pair<Context, CancelFunc> with_deadline(const Context& parent, time::Time deadline);
std::pair<Context, CancelFunc> with_deadline_cause(const Context& parent, time::Time deadline,
                                                   Error cause);
std::pair<Context, CancelFunc> with_timeout(const Context& parent, time::Duration timeout);
std::pair<Context, CancelFunc> with_timeout_cause(const Context& parent, time::Duration timeout,
                                                  Error cause);
// Parent's values, but never cancelled and no deadline.
Context without_cancel(const Context& parent);

namespace detail_value {
Context attach(const Context& parent, const void* key, std::shared_ptr<const void> value);
}

template <class T, class V>
Context with_value(const Context& parent, const Key<T>& key, V&& value) {
  return detail_value::attach(parent, &key, std::make_shared<const T>(std::forward<V>(value)));
}

// Why ctx was cancelled: the cause given to a CancelCauseFunc or a
// with_*_cause, else ctx.err(); nil while ctx is not done.
Error cause(const Context& ctx);

// Runs f in its own goroutine once ctx is done (at once if it already is).
// The returned stop() unregisters f; it returns true if that prevented f
// from running, false if f has been started or stop was already called.
std::function<bool()> after_func(const Context& ctx, std::function<void()> f);

}  // namespace context

}  // namespace goro
