// The M:N scheduler's data: processors (P), machines (M) and the global
// scheduler state, and the operations the rest of the runtime calls.
//
// Invariants:
// - A P is owned by exactly one M (m->p == p && p->owner == m), or sits on
//   the idle-P list under Sched::lock. Only the owning M touches runnext,
//   the run queue's tail, and the free-G cache; thieves only steal_into.
// - m->p is written only by the M's own thread (its scheduler code, or the
//   hand-off signal handler running on that thread while m->in_runtime == 0).
//   Runtime code reads m->p inside a RuntimeSection, where the signal
//   handler will not take it away.
// - runnext is touched only by the owning M (plain loads and stores, no
//   read-modify-write); other threads only glance at it. Thieves never take
//   it: its owner runs it at the next switch, and a P that loses its M (the
//   hand-off signal, blocking()) is handed to another M when runnext is set.
// - An M is running a G (m->curg), running its scheduler loop on g0, parked
//   on m->park (on the idle-M list), or inside blocking() without a P.
// - Lost wake-ups are prevented as in Go: whoever makes stealable work
//   runnable (ring, global queue) calls wake_idle_processor() after
//   publishing it (seq_cst), and a spinning M that gives up decrements
//   nmspinning and then re-checks every queue. A G put in the runnext of a
//   P that has an M needs no other M: that M runs it at its next switch
//   (or sysmon hands the P off if the M is stuck).
// - A P's inbox (below) holds Gs woken on other Ps and sent back to the P
//   they last ran on. The waker pushes only while the P's `running_g` is
//   set and re-reads it after the push (seq_cst); the owner clears it
//   (seq_cst) whenever the P stops running goroutines (its M goes to the
//   scheduler loop, or loses the P) before it next looks for work. So either
//   the owner's next look (local_get, hand_off_p) sees the G, or the waker
//   sees the flag clear and takes its inbox back onto its own P.
//
// Locking: Sched::lock protects the global run queue, the idle-P and idle-M
// lists and the global free-G list. It is a leaf lock: never take a channel
// or other runtime lock while holding it.
#pragma once

#include <pthread.h>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <vector>

#include "sched/futex.hpp"
#include "sched/goroutine.hpp"
#include "sched/run_queue.hpp"
#include "time/timer_heap.hpp"

namespace goro::rt {
struct M;
}
// The calling thread's M, or null on a plain thread (scheduler.cpp). Read it
// through current_m(). Initial-exec: a fixed offset from the thread pointer.
extern "C" __attribute__((tls_model("initial-exec"))) thread_local goro::rt::M* goro_tls_m;

namespace goro::rt {

struct P;

struct M {
  Fiber g0;  // this thread's own stack: runs the scheduler loop
  P* p = nullptr;
  G* curg = nullptr;
  // Nonzero while the thread runs runtime code (or the scheduler on g0);
  // read by the hand-off signal handler on the same thread.
  volatile sig_atomic_t in_runtime = 1;
  bool spinning = false;
  // P handed to this M by whoever woke it. The Note may carry a stale
  // wake-up, so a sleeper trusts only next_p.
  std::atomic<P*> next_p{nullptr};
  Note park;  // the M sleeps here when idle
  M* idle_link = nullptr;
  G* locked_g = nullptr;  // lock_os_thread
  int id = 0;
  int* errno_loc = nullptr;   // this thread's errno, for saving a switching G's
  std::atomic<pid_t> tid{0};  // kernel thread id, set by the thread itself
  pthread_t thread{};
  uint64_t rand_state = 0;
  void* signal_stack = nullptr;  // sigaltstack memory, for the thread's life

  // Work the next context to run on this M must do first (release the lock a
  // parking G was holding, recycle an exited G, ...).
  void (*after_switch)(void* arg) = nullptr;
  void* after_switch_arg = nullptr;
};

struct P {
  int id = 0;
  RunQueue runq;
  std::atomic<G*> runnext{nullptr};
  // Gs that last ran here, readied by Ms of other Ps (send_home):
  // a LIFO list through G::inbox_link that any M pushes onto and that the
  // owner (local_get) or a thief (steal_work) takes whole. In runnext's line:
  // the owner looks at both at every switch. running_g is written only by
  // the M that owns this P: set when it switches from its scheduler loop to
  // a G, cleared when it switches back or gives the P up.
  std::atomic<G*> inbox{nullptr};
  std::atomic<bool> running_g{false};
  uint32_t switches_since_timer_check = 0;  // owner only (timer_due_at_switch)
  std::atomic<M*> owner{nullptr};
  P* idle_link = nullptr;
  // Incremented (by the owner) every time this P starts running a G other
  // than from runnext; sysmon watches it.
  std::atomic<uint64_t> schedtick{0};
  // Deadlock accounting (deadlock.hpp): monotonic counts of goroutines that
  // began blocking in a Waiter on this P and of goroutine wake-ups done on
  // this P. Written only by the owner (load + store), read by sysmon.
  std::atomic<uint64_t> waiter_blocks{0};
  std::atomic<uint64_t> waiter_wakes{0};
  // Monotonic counts of goroutines go() started and goroutines that ended
  // on this P (live_goroutines). Written only by the owner (load + store),
  // so that spawning and exiting share no cache line between Ms.
  std::atomic<uint64_t> goroutines_started{0};
  std::atomic<uint64_t> goroutines_exited{0};
  // Set by the hand-off signal handler once it has detached this P from its M.
  std::atomic<bool> released_by_signal{false};
  // schedtick sysmon saw when it asked for a hand-off; the handler acts only
  // if the P is still on that tick.
  std::atomic<uint64_t> preempt_tick{~uint64_t(0)};
  uint64_t sysmon_tick = 0;     // sysmon only
  int64_t sysmon_since_ns = 0;  // sysmon only: when it first saw sysmon_tick
  GQueue free_gs;               // dead Gs with their stacks, for reuse
  uint64_t goid_next = 0;       // owner only: ids [goid_next, goid_end) are
  uint64_t goid_end = 0;        // reserved for this P's new goroutines
  TimerHeap timers;
};

// Fields are grouped by who writes them, one cache line per group, so that
// the counters bumped on every spawn and exit do not evict what every ready()
// reads.
struct Sched {
  // Written once at start-up, read everywhere.
  std::vector<P*> allp;
  int nprocs = 1;

  alignas(64) RuntimeMutex lock;
  GQueue global_runq;
  std::atomic<int64_t> global_runq_size{0};
  P* idle_p = nullptr;
  M* idle_m = nullptr;
  GQueue free_gs;
  std::atomic<int64_t> free_gs_size{0};  // lock-free hint of free_gs.size
  std::atomic<int> nm{0};
  std::vector<M*> allm;  // under lock; every M ever started

  // Read by every ready() that may wake a P.
  alignas(64) std::atomic<int> npidle{0};
  std::atomic<int> nmspinning{0};

  // Starts and ends of goroutines counted where no P was at hand (a spawn
  // from a plain thread, an exit after the hand-off signal took the P).
  alignas(64) std::atomic<uint64_t> goroutines_started_off_p{0};
  std::atomic<uint64_t> goroutines_exited_off_p{0};
  alignas(64) std::atomic<uint64_t> next_goid{2};  // 1 is main, as in Go

  RuntimeMutex allg_lock;
  G* allg = nullptr;  // every G ever allocated, linked by all_link
};

// The scheduler, initialising the runtime (and its services) on first use.
extern std::atomic<Sched*> sched_instance;  // set once everything has started
Sched& sched_start();
inline Sched& sched() {
  if (Sched* s = sched_instance.load(std::memory_order_acquire)) [[likely]]
    return *s;
  return sched_start();
}
bool runtime_started();

// The calling thread's M, or nullptr on a plain thread. Read afresh at every
// call: the compiler may not keep a thread-local's address across a context
// switch, and a goroutine that moved to another thread must get that
// thread's M. On x86-64 a volatile asm (two instructions: the offset, then
// the load through %fs; volatile asm is never merged with another nor moved
// across the switch's); elsewhere a call the compiler may not analyse.
#if defined(__x86_64__)
inline M* current_m() {
  M* m;
  asm volatile(
      "movq goro_tls_m@gottpoff(%%rip), %0\n\t"
      "movq %%fs:(%0), %0"
      : "=r"(m));
  return m;
}
#else
M* current_m();
#endif
inline G* current_g() {
  M* m = current_m();
  return m ? m->curg : nullptr;
}

// Marks a stretch of runtime code during which the hand-off signal handler
// must not take this M's P. Re-reads the current M at exit: the goroutine may
// have moved to another thread inside the section.
class RuntimeSection {
 public:
  RuntimeSection() : m_(current_m()) {
    saved_ = m_ ? m_->in_runtime : 1;
    if (m_) m_->in_runtime = 1;
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  ~RuntimeSection() {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    if (M* m = current_m()) m->in_runtime = saved_;
  }
  RuntimeSection(const RuntimeSection&) = delete;
  RuntimeSection& operator=(const RuntimeSection&) = delete;

  // The M at entry (null on a plain thread); valid until the goroutine
  // switches out.
  M* m() const { return m_; }

 private:
  M* m_;
  sig_atomic_t saved_;
};

// Makes a Waiting (or new) G runnable: on the current P's runnext when there
// is one, else on the global queue; wakes an idle P if needed.
void ready(G* g, bool as_next = true);
// The wake-up side of a hand-off (Waiter::wake): the caller, inside a
// RuntimeSection on M m (null: a plain thread), readies g into its P's
// runnext expecting to block or yield soon, so g runs next on this P and no
// idle P is woken for it; only a G it displaces to the ring wakes one. (If
// the caller keeps running instead, g waits until it switches, or until
// sysmon hands the P off: see sysmon.cpp.) Without a P: the global queue.
// With `behind` (a goroutine blocked in a select, woken by an unbuffered
// hand-over: chan_impl.hpp's wake_one), g goes behind the goroutines already
// runnable on m's P (or on its home P, as send_home decides), not into
// runnext (and, like any G put in the ring, may wake an idle P). A select
// that blocked is a fan-in point: the goroutines queued ahead of it are
// often the other parties about to send to it, and once they have run it
// finds them ready instead of blocking again for each (bench/NOTES.md).
inline void ready_handoff(M* m, G* g, bool behind = false);
// ready_handoff's slow path: g, displaced from p's runnext, goes to the ring.
void ready_displaced(P* p, G* g);
// ready_handoff's other slow path: m's P has its runnext taken and g last
// ran on `home`, another P; if home is running goroutines, g goes to its
// inbox most of the time, so that it keeps its caches (a pipeline of
// goroutines then settles on the Ps instead of following every hand-off
// across). Returns false when g was not sent (the caller displaces runnext).
bool send_home(M* m, G* g, P* home);
// Puts g on the global queue (under sched.lock) and wakes a P.
void ready_global(G* g);
// Owner of p only: queue g on p, in runnext if as_next; spills to the global
// queue. Returns false when g went into an empty runnext (nothing stealable
// was added), true when a G went into the ring or the global queue.
bool local_put(P* p, G* g, bool as_next);
// After publishing work on a run queue: wake an idle P if nobody spins.
void wake_if_idle_p();
// The inbox (inbox.cpp). Owner of p only: p's inbox goes behind its ring.
void move_inbox_to_ring(P* p);
// A thief with P `mine`: takes victim's inbox (if any) onto its own ring
// and returns one G of it to run.
G* steal_inbox(P* victim, P* mine);

inline void ready_handoff(M* m, G* g, bool behind) {
  g->status.store(GStatus::runnable, std::memory_order_relaxed);
  P* p = m ? m->p : nullptr;
  if (!p) [[unlikely]] {
    ready_global(g);
    return;
  }
  G* old = p->runnext.load(std::memory_order_relaxed);  // owner only: see above
  if (old || behind) [[unlikely]] {
    if (P* home = g->last_p.load(std::memory_order_relaxed); home != p && home) {
      if (send_home(m, g, home)) return;
    }
    if (behind) {
      ready_displaced(p, g);
      return;
    }
    p->runnext.store(g, std::memory_order_release);
    ready_displaced(p, old);
    return;
  }
  p->runnext.store(g, std::memory_order_release);
}
void wake_idle_processor();

// m gives up its P (to the idle list, another M, or nobody yet: the caller
// decides). Clears running_g first: see P::inbox.
inline void detach_p(M* m) {
  P* p = m->p;
  p->running_g.store(false, std::memory_order_seq_cst);
  p->owner.store(nullptr, std::memory_order_release);
  m->p = nullptr;
}

// Adds 1 to a count that only the owner of its P writes: a load and a
// release store, no locked instruction.
inline void bump_owned_count(std::atomic<uint64_t>& count) {
  count.store(count.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

// A goroutine created by go() starts / ends. p: the caller's P (null:
// none); the caller is inside a RuntimeSection, so p stays its own. Release
// stores: a reader that sees an end also sees the start before it.
inline void count_goroutine_start(P* p) {
  if (p) [[likely]]
    bump_owned_count(p->goroutines_started);
  else
    sched().goroutines_started_off_p.fetch_add(1, std::memory_order_release);
}
inline void count_goroutine_exit(P* p) {
  if (p) [[likely]]
    bump_owned_count(p->goroutines_exited);
  else
    sched().goroutines_exited_off_p.fetch_add(1, std::memory_order_release);
}
// Goroutines created by go() and not yet ended. Ends are summed before
// starts, so every end counted has its start counted too: during activity
// the result may include goroutines that started while it was summed, but
// never misses one that was live throughout; once nothing runs it is exact.
int64_t live_goroutines();

// The current goroutine stops running until ready(g). `after` runs on the
// next context, once this G is fully switched out (typically it unlocks the
// lock protecting the queue the G waits in). Must be called from a goroutine.
void park(const char* reason, void (*after)(void* arg), void* arg, std::source_location where);
// park() for a caller already inside a RuntimeSection on M m (park.hpp).
inline void park_in_section(M* m, const char* reason, void (*after)(void* arg), void* arg,
                            std::source_location where);
// Switch the current goroutine g out with `status` (waiting or runnable):
// to the next G of this P, or to the scheduler loop. `after` runs on the next
// context once g is fully switched out. Returns when g is resumed, possibly
// on another thread, with its errno restored. Every switch-out of a live
// goroutine goes through here (park.hpp).
inline void switch_out(M* m, G* g, GStatus status, void (*after)(void* arg), void* arg);
// Current goroutine goes to the back of the global queue.
void yield_current();
// Ends the current goroutine (never returns).
[[noreturn]] void exit_current();

// Scheduler loop of an M; never returns.
[[noreturn]] void schedule_loop(M* m);
// Switch from the current context (G or g0) of m to `next` (park.hpp).
inline void switch_to_g(M* m, Fiber& from, G* next, bool from_runnext, bool exiting);
// Run the pending after-switch work of the current M. Called right after
// every switch, in the context that was resumed.
void run_after_switch();

// Returns a dead G (and its stack) to the current P's cache or the global one.
void recycle_g(G* g);

// Hands p to an M (an idle one or a new thread), which will run it
// (processors.cpp).
void start_m(P* p, bool spinning);
// The body of an M's thread: takes the P start_m handed it and runs the
// scheduling loop (scheduler.cpp).
void m_main(M* m);
// Releases P from the current M (for blocking calls / hand-off): starts an
// M for it if it has work, else puts it on the idle list.
void hand_off_p(P* p);
// Acquire a P for an M that has none (after a blocking call); blocks the
// thread until one is free. Returns with m->p set.
void reacquire_p(M* m);

P* idle_p_get();         // sched.lock held
void idle_p_put(P* p);   // sched.lock held
bool any_work_queued();  // racy snapshot: global or any local queue
uint32_t fast_rand(M* m);

// Start-up pieces implemented elsewhere.
void start_sysmon();
void install_signal_handlers();
void prepare_thread_signals(M* m);  // per-M: alternate signal stack
void register_exit_handler();
void wake_sysmon();
pid_t sysmon_tid();
extern std::atomic<bool> quit_requested;  // SIGQUIT arrived

}  // namespace goro::rt
