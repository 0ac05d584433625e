// goro::ErrGroup — golang.org/x/sync/errgroup: run goroutines that return an
// Error, wait for all of them, and get the first error.
//
//   Go                                      goro
//   var g errgroup.Group                    goro::ErrGroup g;
//   g, ctx := errgroup.WithContext(parent)  auto [g, ctx] = goro::errgroup::with_context(parent);
//   g.SetLimit(3)                           g.set_limit(3);
//   g.Go(func() error { ... })              g.go([&]() -> goro::Error { ... });
//   ok := g.TryGo(f)                        bool ok = g.try_go(f);
//   if err := g.Wait(); err != nil          if (goro::Error err = g.wait())
//
// Copies of an ErrGroup are the same group. The context from with_context
// is cancelled (with the error as its cause) when a function first returns
// an error, or when wait returns.
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include "goro/context.hpp"
#include "goro/error.hpp"

namespace goro {

class ErrGroup;

namespace errgroup {
// A group whose context is cancelled by the first error (or by wait).
std::pair<ErrGroup, Context> with_context(const Context& parent);
}  // namespace errgroup

class ErrGroup {
 public:
  ErrGroup();

  // Starts f in a new goroutine, first blocking while `limit` goroutines of
  // the group are active.
  void go(std::function<Error()> f) const;
  // Starts f only if that does not exceed the limit; false otherwise.
  bool try_go(std::function<Error()> f) const;
  // Waits for every started function; returns the first non-nil error.
  Error wait() const;
  // At most n active goroutines (n < 0: no limit). Panics if goroutines of
  // the group are active, as Go does.
  void set_limit(int n) const;

  struct State;

 private:
  friend std::pair<ErrGroup, Context> errgroup::with_context(const Context&);
  std::shared_ptr<State> state_;
};

}  // namespace goro
