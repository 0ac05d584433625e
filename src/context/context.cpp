// goro::Context: the tree of context nodes.
//
// A node is a cancel node (with_cancel*, with_deadline*, with_timeout*), a
// value node (with_value) or a detach node (without_cancel); Background and
// TODO are the null node / a todo node. Value nodes pass done/err/deadline
// through to their parent; detach nodes end the walk (never cancelled).
//
// Each cancel node registers with its nearest cancel ancestor (if any) as a
// child, by weak pointer, and unregisters when it is cancelled or destroyed.
// Cancellation happens once per node: under the node's lock it records err
// and cause, closes `done` (or marks it closed, if nobody asked for it yet),
// and takes the children and after_funcs; after unlocking it cancels the
// children (recursively, so the whole subtree is done before the cancel call
// returns), starts the after_funcs and stops the deadline timer.
//
// Locks: ContextNode::lock guards err, cause, done, children, after_funcs
// and next_after_func_id. A parent's lock is never held while a child's is
// taken, so there is no lock order between nodes.
#include "goro/context.hpp"

#include <map>
#include <unordered_map>

#include "goro/go.hpp"
#include "sched/futex.hpp"

namespace goro::detail {

struct ContextNode : std::enable_shared_from_this<ContextNode> {
  enum class Kind { todo, cancel, value, detach };

  Kind kind;
  std::shared_ptr<ContextNode> parent;
  // Value nodes.
  const void* key = nullptr;
  std::shared_ptr<const void> value;
  // Cancel nodes.
  std::optional<time::Time> deadline;
  time::Timer deadline_timer;  // an after_func timer; set under `lock`, if any
  bool has_timer = false;
  std::weak_ptr<ContextNode> registered_with;  // the cancel ancestor holding us as a child

  rt::RuntimeMutex lock;
  Error err;
  Error cause;
  Chan<Event> done;
  bool done_closed = false;  // done was closed, or will be made closed
  std::unordered_map<ContextNode*, std::weak_ptr<ContextNode>> children;
  std::map<uint64_t, std::function<void()>> after_funcs;
  uint64_t next_after_func_id = 0;

  explicit ContextNode(Kind k, std::shared_ptr<ContextNode> p) : kind(k), parent(std::move(p)) {}
  ~ContextNode();
  // Remove this node from its cancel ancestor's children, if registered.
  void leave_ancestor();
};

namespace {

using Node = ContextNode;
using NodePtr = std::shared_ptr<Node>;

// The node whose done/err/deadline a context reports: the nearest cancel
// node, skipping value nodes; null when the context can never be cancelled.
Node* cancel_node(Node* n) {
  while (n && n->kind == Node::Kind::value) n = n->parent.get();
  return n && n->kind == Node::Kind::cancel ? n : nullptr;
}

void start_after_func(std::function<void()> f) { goro::go(std::move(f)); }

void cancel(const NodePtr& n, Error err, Error cause) {
  decltype(n->children) children;
  decltype(n->after_funcs) after_funcs;
  n->lock.lock();
  if (n->err) {
    n->lock.unlock();
    return;
  }
  n->err = err;
  n->cause = cause ? cause : err;
  n->done_closed = true;
  Chan<Event> done = n->done;
  std::optional<time::Timer> timer;
  if (n->has_timer) timer = n->deadline_timer;
  children.swap(n->children);
  after_funcs.swap(n->after_funcs);
  n->lock.unlock();

  if (done) done.close();
  for (auto& [raw, weak] : children)
    if (NodePtr child = weak.lock()) cancel(child, err, cause ? cause : err);
  for (auto& [id, f] : after_funcs) start_after_func(std::move(f));
  if (timer) timer->stop();
  n->leave_ancestor();  // nothing is left to propagate to us
}

// Makes n (a new cancel node) a child of its parent's cancel node, or
// cancels it at once if that one is already done.
void propagate(const NodePtr& n) {
  Node* ancestor = cancel_node(n->parent.get());
  if (!ancestor) return;
  ancestor->lock.lock();
  if (ancestor->err) {
    Error err = ancestor->err, cause = ancestor->cause;
    ancestor->lock.unlock();
    cancel(n, err, cause);
    return;
  }
  ancestor->children.emplace(n.get(), n);
  n->registered_with = ancestor->shared_from_this();
  ancestor->lock.unlock();
}

NodePtr new_cancel_node(const Context& parent) {
  auto n = std::make_shared<Node>(Node::Kind::cancel, parent.node());
  n->deadline = parent.deadline();
  propagate(n);
  return n;
}

std::pair<Context, context::CancelFunc> deadline_context(const Context& parent, time::Time d,
                                                         Error cause) {
  std::optional<time::Time> parents = parent.deadline();
  if (parents && parents->before(d)) {
    // The parent's deadline comes first and will cancel this one.
    auto [ctx, cancel_fn] = context::with_cancel(parent);
    return {ctx, cancel_fn};
  }
  auto n = std::make_shared<Node>(Node::Kind::cancel, parent.node());
  n->deadline = d;
  propagate(n);
  Context ctx(n);
  time::Duration left = time::until(d);
  if (left <= time::Duration()) {
    cancel(n, context::deadline_exceeded, cause);
  } else {
    n->lock.lock();
    if (!n->err) {
      std::weak_ptr<Node> weak = n;
      n->deadline_timer = time::after_func(left, [weak, cause] {
        if (NodePtr live = weak.lock()) cancel(live, context::deadline_exceeded, cause);
      });
      n->has_timer = true;
    }
    n->lock.unlock();
  }
  return {ctx, [n] { cancel(n, context::canceled, Error()); }};
}

}  // namespace

ContextNode::~ContextNode() {
  // A cancel node dropped without being cancelled: leave the parent's
  // children and stop the deadline timer (Go would leak both until the
  // parent is cancelled or the deadline passes).
  if (kind != Kind::cancel) return;
  if (has_timer) deadline_timer.stop();
  leave_ancestor();
}

void ContextNode::leave_ancestor() {
  if (std::shared_ptr<ContextNode> ancestor = registered_with.lock()) {
    ancestor->lock.lock();
    ancestor->children.erase(this);
    ancestor->lock.unlock();
  }
}

}  // namespace goro::detail

namespace goro {

using detail::ContextNode;

RecvChan<Event> Context::done() const {
  ContextNode* n = detail::cancel_node(node_.get());
  if (!n) return {};
  n->lock.lock();
  if (!n->done) {
    n->done = make_chan<Event>();
    if (n->done_closed) n->done.close();
  }
  RecvChan<Event> done = n->done;
  n->lock.unlock();
  return done;
}

Error Context::err() const {
  ContextNode* n = detail::cancel_node(node_.get());
  if (!n) return {};
  n->lock.lock();
  Error err = n->err;
  n->lock.unlock();
  return err;
}

std::optional<time::Time> Context::deadline() const {
  ContextNode* n = detail::cancel_node(node_.get());
  return n ? n->deadline : std::nullopt;
}

const void* Context::find_value(const void* key) const {
  for (ContextNode* n = node_.get(); n; n = n->parent.get())
    if (n->kind == ContextNode::Kind::value && n->key == key) return n->value.get();
  return nullptr;
}

namespace context {

const Error canceled = errors::make("context canceled");
const Error deadline_exceeded = errors::make_timeout("context deadline exceeded");

Context background() { return Context(); }

Context todo() { return Context(std::make_shared<ContextNode>(ContextNode::Kind::todo, nullptr)); }

std::pair<Context, CancelFunc> with_cancel(const Context& parent) {
  auto n = detail::new_cancel_node(parent);
  return {Context(n), [n] { detail::cancel(n, canceled, Error()); }};
}

std::pair<Context, CancelCauseFunc> with_cancel_cause(const Context& parent) {
  auto n = detail::new_cancel_node(parent);
  return {Context(n), [n](Error cause) { detail::cancel(n, canceled, cause); }};
}

std::pair<Context, CancelFunc> with_deadline(const Context& parent, time::Time deadline) {
  return detail::deadline_context(parent, deadline, Error());
}

std::pair<Context, CancelFunc> with_deadline_cause(const Context& parent, time::Time deadline,
                                                   Error cause) {
  return detail::deadline_context(parent, deadline, std::move(cause));
}

std::pair<Context, CancelFunc> with_timeout(const Context& parent, time::Duration timeout) {
  return detail::deadline_context(parent, time::now() + timeout, Error());
}

std::pair<Context, CancelFunc> with_timeout_cause(const Context& parent, time::Duration timeout,
                                                  Error cause) {
  return detail::deadline_context(parent, time::now() + timeout, std::move(cause));
}

Context without_cancel(const Context& parent) {
  return Context(std::make_shared<ContextNode>(ContextNode::Kind::detach, parent.node()));
}

Context detail_value::attach(const Context& parent, const void* key,
                             std::shared_ptr<const void> value) {
  auto n = std::make_shared<ContextNode>(ContextNode::Kind::value, parent.node());
  n->key = key;
  n->value = std::move(value);
  return Context(n);
}

Error cause(const Context& ctx) {
  ContextNode* n = detail::cancel_node(ctx.node().get());
  if (!n) return {};
  n->lock.lock();
  Error cause = n->cause;
  n->lock.unlock();
  return cause;
}

std::function<bool()> after_func(const Context& ctx, std::function<void()> f) {
  ContextNode* n = detail::cancel_node(ctx.node().get());
  if (!n) return [] { return true; };  // never cancelled: f never runs
  n->lock.lock();
  if (n->err) {
    n->lock.unlock();
    detail::start_after_func(std::move(f));
    return [] { return false; };
  }
  uint64_t id = n->next_after_func_id++;
  n->after_funcs.emplace(id, std::move(f));
  n->lock.unlock();
  std::weak_ptr<ContextNode> weak = n->shared_from_this();
  return [weak, id] {
    auto live = weak.lock();
    if (!live) return true;  // the context is gone without being cancelled
    live->lock.lock();
    bool removed = live->after_funcs.erase(id) > 0;
    live->lock.unlock();
    return removed;
  };
}

}  // namespace context

}  // namespace goro
