// goro::go — start a goroutine.
//
//   goro::go(f, args...);        // Go: go f(args...)
//   goro::go([=] { ... });       // Go: go func() { ... }()
//
// The callable and its arguments are copied (or moved, for rvalues) when go
// is called, as Go evaluates a go statement's operands at once; the
// goroutine then calls f with them (moved in, so move-only arguments work).
// go never blocks and is safe to call from any thread, goroutine or not.
// The goroutine's creation site is remembered for goroutine dumps.
#pragma once

#include <cstddef>
#include <functional>
#include <new>
#include <source_location>
#include <type_traits>
#include <utility>

namespace goro {

namespace detail {

struct SpawnSlot {
  void* g;
  void* storage;  // where the closure is to be constructed
};
// Reserve a goroutine and room for its closure (on top of its stack).
SpawnSlot spawn_reserve(std::size_t size, std::size_t align, const std::source_location& where);
// Make it runnable; run(storage) invokes and then destroys the closure.
void spawn_commit(void* g, void (*run)(void* storage));
// Give the goroutine back unused (the closure's construction threw).
void spawn_abort(void* g);

template <class Task>
void run_task(void* storage) {
  Task* task = static_cast<Task*>(storage);
  struct Destroy {
    Task* task;
    ~Destroy() { task->~Task(); }
  } destroy{task};
  (*task)();
}

}  // namespace detail

namespace detail {

template <class F, class... Args>
void spawn(const std::source_location& where, F&& f, Args&&... args) {
  static_assert(std::is_invocable_v<std::decay_t<F>, std::decay_t<Args>...>,
                "goro::go: f cannot be called with these arguments");
  auto task = [fn = std::decay_t<F>(std::forward<F>(f)),
               ... a = std::decay_t<Args>(std::forward<Args>(args))]() mutable {
    std::invoke(std::move(fn), std::move(a)...);
  };
  using Task = decltype(task);
  SpawnSlot slot = spawn_reserve(sizeof(Task), alignof(Task), where);
  try {
    ::new (slot.storage) Task(std::move(task));
  } catch (...) {
    spawn_abort(slot.g);
    throw;
  }
  spawn_commit(slot.g, &run_task<Task>);
}

}  // namespace detail

// One overload per argument count (0 to 8), so that the call site can be
// captured by a defaulted trailing parameter.
template <class F>
void go(F&& f, std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f));
}

template <class F, class A1>
void go(F&& f, A1&& a1, std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1));
}

template <class F, class A1, class A2>
void go(F&& f, A1&& a1, A2&& a2, std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1), std::forward<A2>(a2));
}

template <class F, class A1, class A2, class A3>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3,
        std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1), std::forward<A2>(a2),
                std::forward<A3>(a3));
}

template <class F, class A1, class A2, class A3, class A4>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3, A4&& a4,
        std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1), std::forward<A2>(a2),
                std::forward<A3>(a3), std::forward<A4>(a4));
}

template <class F, class A1, class A2, class A3, class A4, class A5>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3, A4&& a4, A5&& a5,
        std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1), std::forward<A2>(a2),
                std::forward<A3>(a3), std::forward<A4>(a4), std::forward<A5>(a5));
}

template <class F, class A1, class A2, class A3, class A4, class A5, class A6>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3, A4&& a4, A5&& a5, A6&& a6,
        std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1), std::forward<A2>(a2),
                std::forward<A3>(a3), std::forward<A4>(a4), std::forward<A5>(a5),
                std::forward<A6>(a6));
}

template <class F, class A1, class A2, class A3, class A4, class A5, class A6, class A7>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3, A4&& a4, A5&& a5, A6&& a6, A7&& a7,
        std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1), std::forward<A2>(a2),
                std::forward<A3>(a3), std::forward<A4>(a4), std::forward<A5>(a5),
                std::forward<A6>(a6), std::forward<A7>(a7));
}

template <class F, class A1, class A2, class A3, class A4, class A5, class A6, class A7, class A8>
void go(F&& f, A1&& a1, A2&& a2, A3&& a3, A4&& a4, A5&& a5, A6&& a6, A7&& a7, A8&& a8,
        std::source_location where = std::source_location::current()) {
  detail::spawn(where, std::forward<F>(f), std::forward<A1>(a1), std::forward<A2>(a2),
                std::forward<A3>(a3), std::forward<A4>(a4), std::forward<A5>(a5),
                std::forward<A6>(a6), std::forward<A7>(a7), std::forward<A8>(a8));
}

}  // namespace goro
