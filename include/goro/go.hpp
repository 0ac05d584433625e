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

template <class F, class... Args>
struct go {
  go(F&& f, Args&&... args, std::source_location where = std::source_location::current()) {
    static_assert(std::is_invocable_v<std::decay_t<F>, std::decay_t<Args>...>,
                  "goro::go: f cannot be called with these arguments");
    auto task = [fn = std::decay_t<F>(std::forward<F>(f)),
                 ... a = std::decay_t<Args>(std::forward<Args>(args))]() mutable {
      std::invoke(std::move(fn), std::move(a)...);
    };
    using Task = decltype(task);
    detail::SpawnSlot slot = detail::spawn_reserve(sizeof(Task), alignof(Task), where);
    try {
      ::new (slot.storage) Task(std::move(task));
    } catch (...) {
      detail::spawn_abort(slot.g);
      throw;
    }
    detail::spawn_commit(slot.g, &detail::run_task<Task>);
  }
};

template <class F, class... Args>
go(F&&, Args&&...) -> go<F, Args...>;

}  // namespace goro
