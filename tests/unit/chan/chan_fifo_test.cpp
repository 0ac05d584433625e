// Buffered channels keep Go's order between blocked parties and parties
// that never waited: a receive from a full channel with a blocked sender
// moves that sender's value into the buffer (so a later send still finds it
// full), and a send to an empty channel with a blocked receiver hands the
// value to that receiver (so a later receive still finds it empty). Every
// party may be a plain operation or a select case.
//
// Deterministic: each scenario runs in a re-executed child with
// GORO_MAXPROCS=1, in one goroutine; the woken waiter cannot run until that
// goroutine blocks, so the newcomer's try operation runs before the waiter
// could retry anything. "Blocked" is read from the channel's wait queue
// (an internal header): a queued party holds the lock until it is parked.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <goro/goro.hpp>

#include "chan/chan_impl.hpp"

namespace {

enum class Via { plain, select };
const char* name(Via v) { return v == Via::plain ? "plain" : "select"; }

class ChanFifo : public testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// Runs scenario (returns "" or what went wrong) in a goroutine of a
// single-processor runtime; exits 0 on success, else prints and exits 1.
template <class F>
[[noreturn]] void run_alone(F scenario) {
  ::setenv("GORO_MAXPROCS", "1", 1);
  auto result = goro::make_chan<std::string>(1);
  goro::go([=] { result.send(scenario()); });
  const std::string failure = *result.recv();
  if (goro::gomaxprocs() != 1) {
    std::fprintf(stderr, "FAILED: GORO_MAXPROCS not applied\n");
    std::exit(1);
  }
  std::fprintf(stderr, "%s\n", failure.empty() ? "ok" : ("FAILED: " + failure).c_str());
  std::exit(failure.empty() ? 0 : 1);
}

// Lets other goroutines run until q has a waiter.
void yield_until_queued(const goro::detail::WaitQueue& q) {
  for (int i = 0; i < 1000 && q.empty_hint(); ++i) goro::yield();
}

std::string blocked_sender_goes_first(Via waiter, Via newcomer, Via receiver) {
  const std::string where = std::string("waiter ") + name(waiter) + ", newcomer " + name(newcomer) +
                            ", receiver " + name(receiver) + ": ";
  auto ch = goro::make_chan<int>(1);
  auto never = goro::make_chan<int>();
  auto sent = goro::make_chan<int>(1);
  ch.send(1);
  goro::go([=] {
    if (waiter == Via::plain)
      ch.send(2);
    else
      goro::select(goro::send(ch, 2), goro::recv(never));
    sent.send(1);
  });
  yield_until_queued(ch.core()->sendq);
  if (ch.core()->sendq.empty_hint()) return where + "the sender never blocked";

  std::optional<int> got;
  if (receiver == Via::plain)
    got = ch.recv();
  else
    goro::select(goro::recv(ch, [&](std::optional<int> v) { got = v; }));
  if (got != 1) return where + "first receive did not get 1";
  // The blocked sender's 2 is in the buffer now; it has not run yet.
  bool overtook = false;
  if (newcomer == Via::plain)
    overtook = ch.try_send(3);
  else
    overtook = goro::select(goro::send(ch, 3), goro::default_()) == 0;
  if (overtook) return where + "a newcomer's send took the room made for the blocked sender";
  if (ch.len() != 1) return where + "the blocked sender's value is not in the buffer";
  if (ch.recv() != 2) return where + "second receive did not get the blocked sender's 2";
  if (sent.recv() != 1) return where + "the sender did not finish";
  if (ch.try_recv().has_value()) return where + "the channel should be empty";
  return "";
}

std::string blocked_receiver_goes_first(Via waiter, Via newcomer, Via sender) {
  const std::string where = std::string("waiter ") + name(waiter) + ", newcomer " + name(newcomer) +
                            ", sender " + name(sender) + ": ";
  auto ch = goro::make_chan<int>(1);
  auto never = goro::make_chan<int>();
  auto got = goro::make_chan<int>(1);
  goro::go([=] {
    std::optional<int> v;
    if (waiter == Via::plain)
      v = ch.recv();
    else
      goro::select(goro::recv(ch, [&](std::optional<int> x) { v = x; }), goro::recv(never));
    got.send(v.value_or(-1));
  });
  yield_until_queued(ch.core()->recvq);
  if (ch.core()->recvq.empty_hint()) return where + "the receiver never blocked";

  if (sender == Via::plain)
    ch.send(1);
  else
    goro::select(goro::send(ch, 1));
  // The blocked receiver has the 1 already; it has not run yet.
  std::optional<int> stolen;
  if (newcomer == Via::plain)
    stolen = ch.try_recv();
  else
    goro::select(goro::recv(ch, [&](std::optional<int> v) { stolen = v; }), goro::default_());
  if (stolen.has_value()) return where + "a newcomer's receive took the blocked receiver's value";
  if (ch.len() != 0) return where + "the value was not handed to the blocked receiver";
  if (!ch.try_send(2)) return where + "the buffer should have room";
  if (got.recv() != 1) return where + "the blocked receiver did not get 1";
  if (ch.recv() != 2) return where + "the next receive did not get 2";
  return "";
}

template <class Scenario>
std::string every_combination(Scenario scenario) {
  for (Via a : {Via::plain, Via::select})
    for (Via b : {Via::plain, Via::select})
      for (Via c : {Via::plain, Via::select})
        if (std::string failure = scenario(a, b, c); !failure.empty()) return failure;
  return "";
}

TEST_F(ChanFifo, ReceiveMovesTheBlockedSendersValueIntoTheBuffer) {
  EXPECT_EXIT(run_alone([] { return every_combination(blocked_sender_goes_first); }),
              testing::ExitedWithCode(0), "ok");
}

TEST_F(ChanFifo, SendHandsTheValueToTheBlockedReceiver) {
  EXPECT_EXIT(run_alone([] { return every_combination(blocked_receiver_goes_first); }),
              testing::ExitedWithCode(0), "ok");
}

// A buffered channel used as a semaphore: a blocked acquirer is never
// overtaken by a goroutine that keeps releasing and re-acquiring.
TEST_F(ChanFifo, SemaphoreDoesNotStarveABlockedAcquirer) {
  EXPECT_EXIT(run_alone([]() -> std::string {
                auto sem = goro::make_chan<int>(1);
                auto acquired = goro::make_chan<int>(1);
                sem.send(0);  // held by us
                goro::go([=] {
                  sem.send(0);  // blocks: we hold it
                  acquired.send(1);
                  sem.recv();
                });
                yield_until_queued(sem.core()->sendq);
                if (sem.core()->sendq.empty_hint()) return "the acquirer never blocked";
                sem.recv();  // release: the acquirer holds it now
                if (sem.try_send(0)) return "re-acquired ahead of the blocked acquirer";
                if (acquired.recv() != 1) return "the acquirer did not get the semaphore";
                return "";
              }),
              testing::ExitedWithCode(0), "ok");
}

}  // namespace
