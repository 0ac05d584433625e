// tokencache: "Applications of Goroutines & Channels in Go", server-level
// processing — a token cache with a long-running refresher process.
//
// The application depends on a token (say, a JWT for a remote resource) that
// it keeps in memory and refreshes when it expires. TokenCache::start is the
// refresher process: it runs from the start of the application until done is
// closed, refreshing the token periodically under the cache's mutex. This is
// the article's improved version:
// - a panic in the underlying refresh is recovered, logged and retried,
//   instead of crashing the whole server; past a threshold of panics in a
//   row the refresher gives up and signals main, which shuts down gracefully
//   and exits with a failure status;
// - get_token(ctx) does not block on a lock: it sends a request message
//   (which carries the caller's ctx, so the refresh can honour it) to the
//   refresher and returns a future, a channel of Response (token or error);
// - when done is closed the refresher stops serving requests and get_token
//   reports the shutdown.
//
// Flags: -refresh (how long a token lives), -latency (of the simulated remote
// call), -panic-every N (every Nth remote call panics), -clients, -requests.
//
// Go original (reconstructed from the article's prose; the C++ follows it
// function by function):
//
//   type Response struct {
//       Token string
//       Err   error
//   }
//
//   type request struct {
//       ctx    context.Context // fine in a message, unlike in a long-lived struct
//       future chan<- Response
//   }
//
//   type TokenCache struct {
//       mu      sync.Mutex
//       token   string
//       expires time.Time
//       calls   int // remote calls made (refresher only)
//       issued  int // tokens issued by the "remote service"
//
//       requests chan request
//       stopped  chan struct{} // closed when the refresher has stopped
//   }
//
//   func NewTokenCache() *TokenCache { ... }
//   func (tc *TokenCache) Start(done <-chan struct{}) error { ... }
//   func (tc *TokenCache) GetToken(ctx context.Context) <-chan Response { ... }
#include <cstdarg>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>

#include <goro/goro.hpp>

using namespace goro;

const time::Duration* refresh_every =
    flag::duration("refresh", time::Second, "how long a token lives before it is refreshed");
const time::Duration* latency =
    flag::duration("latency", 100 * time::Millisecond, "latency of the remote token service");
const int64_t* panic_every =
    flag::integer("panic-every", 0, "make every Nth remote call panic (0: never)");
const int64_t* clients = flag::integer("clients", 3, "number of client goroutines");
const int64_t* requests_per_client = flag::integer("requests", 4, "GetToken calls per client");

// How many refreshes may panic in a row before the refresher gives up.
constexpr int max_attempts = 3;

// errShutdown = errors.New("tokencache: shut down")
const Error err_shutdown = errors::make("tokencache: shut down");

// Go's log.Printf: a timestamp, the message, a newline, to stderr.
void log_printf(const char* format, ...) {
  std::string line = time::now().format("2006/01/02 15:04:05 ");
  va_list args;
  va_start(args, format);
  char buf[512];
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  line += buf;
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

struct Response {
  std::string token;
  Error err;
};

struct Request {
  Context ctx;  // fine in a message, unlike in a long-lived struct
  SendChan<Response> future;
};

class TokenCache {
 public:
  // func NewTokenCache() *TokenCache
  TokenCache() : requests_(make_chan<Request>()), stopped_(make_chan<Event>()) {}

  // Start is the refresher process: go tc.Start(done). It refreshes the token
  // whenever it expires and answers get_token's requests, until done is
  // closed (returns nil) or the refresh keeps panicking (returns the error).
  //
  //   func (tc *TokenCache) Start(done <-chan struct{}) error {
  //       defer close(tc.stopped) // GetToken reports the shutdown from now on
  //       for {
  //           select {
  //           case <-done:
  //               return nil
  //           case req := <-tc.requests:
  //               res, err := tc.serve(req.ctx)
  //               req.future <- res
  //               if err != nil {
  //                   return err
  //               }
  //           case <-time.After(tc.untilExpiry()):
  //               if err := tc.refresh(context.Background()); err != nil {
  //                   return err
  //               }
  //           }
  //       }
  //   }
  Error start(RecvChan<Event> done) {
    struct CloseStopped {  // defer close(tc.stopped)
      Chan<Event> stopped;
      ~CloseStopped() { stopped.close(); }
    } close_stopped{stopped_};
    for (;;) {
      // A request while the token is valid is answered at once; the refresh
      // itself happens in the time.After case, when the token expires. (Each
      // iteration makes a new timer, as in Go; an unreferenced one is stopped
      // and freed, as since Go 1.23, so nothing piles up.)
      std::optional<Request> req;
      int chosen = select(recv(done),                          // case <-done:
                          recv(requests_, &req),               // case req := <-tc.requests:
                          recv(time::after(until_expiry())));  // case <-time.After(...):
      switch (chosen) {
        case 0:
          return {};
        case 1: {
          auto [res, err] = serve(req->ctx);
          req->future.send(std::move(res));
          if (err) return err;
          break;
        }
        case 2:
          if (Error err = refresh(context::background())) return err;
          break;
      }
    }
  }

  // GetToken returns a future: a channel that will receive the token, or why
  // there is none (ctx is done, or the cache has shut down).
  //
  //   func (tc *TokenCache) GetToken(ctx context.Context) <-chan Response {
  //       future := make(chan Response, 1)
  //       select {
  //       case tc.requests <- request{ctx, future}:
  //       case <-ctx.Done():
  //           future <- Response{Err: ctx.Err()}
  //       case <-tc.stopped:
  //           future <- Response{Err: errShutdown}
  //       }
  //       return future
  //   }
  //
  // (The article suggests closing the request channel when done is closed.
  // But the refresher is that channel's receiver: closing it while callers
  // may be sending would make them panic, "send on closed channel". So the
  // refresher closes tc.stopped instead, which is what GetToken checks.)
  RecvChan<Response> get_token(Context ctx) {
    auto future = make_chan<Response>(1);
    select(send(requests_, Request{ctx, future}),
           recv(ctx.done(),
                [&] {
                  future.send(Response{"", ctx.err()});
                }),
           recv(stopped_, [&] {
             future.send(Response{"", err_shutdown});
           }));
    return future;
  }

 private:
  // serve answers one request: the cached token while it is valid, else a
  // fresh one, fetched with the caller's ctx. The error is set (and the
  // refresher stops) only when the refresh failed for good.
  //
  //   func (tc *TokenCache) serve(ctx context.Context) (Response, error) {
  //       if err := ctx.Err(); err != nil {
  //           return Response{Err: err}, nil
  //       }
  //       tc.mu.Lock()
  //       token, valid := tc.token, time.Now().Before(tc.expires)
  //       tc.mu.Unlock()
  //       if valid {
  //           return Response{Token: token}, nil
  //       }
  //       if err := tc.refresh(ctx); err != nil {
  //           if ctx.Err() != nil {
  //               return Response{Err: ctx.Err()}, nil // the caller gave up
  //           }
  //           return Response{Err: err}, err
  //       }
  //       tc.mu.Lock()
  //       defer tc.mu.Unlock()
  //       return Response{Token: tc.token}, nil
  //   }
  std::pair<Response, Error> serve(const Context& ctx) {
    if (Error err = ctx.err()) return {Response{"", err}, {}};
    mu_.lock();
    std::string token = token_;
    bool valid = time::now().before(expires_);
    mu_.unlock();
    if (valid) return {Response{token, {}}, {}};
    if (Error err = refresh(ctx)) {
      if (ctx.err()) return {Response{"", ctx.err()}, {}};  // the caller gave up
      return {Response{"", err}, err};
    }
    std::lock_guard lock(mu_);
    return {Response{token_, {}}, {}};
  }

  // refresh fetches a new token and stores it, retrying when the fetch
  // panics; after max_attempts panics in a row it gives up.
  //
  //   func (tc *TokenCache) refresh(ctx context.Context) error {
  //       for attempt := 1; ; attempt++ {
  //           err := tc.tryRefresh(ctx)
  //           if err == nil || ctx.Err() != nil {
  //               return err
  //           }
  //           if attempt == maxAttempts {
  //               return fmt.Errorf("refresh failed %d times in a row: %w", attempt, err)
  //           }
  //           log.Printf("tokencache: refresh attempt %d failed, retrying: %v", attempt, err)
  //       }
  //   }
  Error refresh(const Context& ctx) {
    for (int attempt = 1;; attempt++) {
      Error err = try_refresh(ctx);
      if (!err || ctx.err()) return err;
      if (attempt == max_attempts) {
        return errors::wrap(err, "refresh failed " + std::to_string(attempt) + " times in a row");
      }
      log_printf("tokencache: refresh attempt %d failed, retrying: %s", attempt,
                 err.message().c_str());
    }
  }

  // try_refresh makes one remote call and, if it worked, stores the token. A
  // panic in the call is recovered and returned as an error, so that it
  // cannot take the whole server down.
  //
  //   func (tc *TokenCache) tryRefresh(ctx context.Context) (err error) {
  //       defer func() {
  //           if r := recover(); r != nil {
  //               log.Printf("tokencache: recovered from panic in refresh: %v", r)
  //               err = fmt.Errorf("refresh panicked: %v", r)
  //           }
  //       }()
  //       token, err := tc.fetchToken(ctx)
  //       if err != nil {
  //           return err
  //       }
  //       tc.mu.Lock()
  //       defer tc.mu.Unlock()
  //       tc.token = token
  //       tc.expires = time.Now().Add(*refreshEvery)
  //       return nil
  //   }
  Error try_refresh(const Context& ctx) {
    std::string token;
    try {
      Result<std::string> r = fetch_token(ctx);
      if (!r) return r.error();
      token = std::move(*r);
    } catch (const std::exception& e) {  // recover(): goro::Panic or any other exception
      log_printf("tokencache: recovered from panic in refresh: %s", e.what());
      return errors::make(std::string("refresh panicked: ") + e.what());
    }
    std::lock_guard lock(mu_);
    token_ = token;
    expires_ = time::now() + *refresh_every;
    return {};
  }

  // fetch_token simulates the remote call that issues a new token: it takes
  // -latency, gives up when ctx is done, and with -panic-every N every Nth
  // call panics, as a buggy client library might.
  //
  //   func (tc *TokenCache) fetchToken(ctx context.Context) (string, error) {
  //       tc.calls++
  //       if *panicEvery > 0 && tc.calls%*panicEvery == 0 {
  //           panic(fmt.Sprintf("auth: malformed response to call %d", tc.calls))
  //       }
  //       select {
  //       case <-ctx.Done():
  //           return "", ctx.Err()
  //       case <-time.After(*latency):
  //       }
  //       tc.issued++
  //       return fmt.Sprintf("token-%d", tc.issued), nil
  //   }
  Result<std::string> fetch_token(const Context& ctx) {
    calls_++;
    if (*panic_every > 0 && calls_ % *panic_every == 0) {
      panic("auth: malformed response to call " + std::to_string(calls_));
    }
    if (select(recv(ctx.done()), recv(time::after(*latency))) == 0) return fail(ctx.err());
    issued_++;
    return "token-" + std::to_string(issued_);
  }

  // untilExpiry: how long the refresher may sleep before the token needs
  // refreshing (0 or less: now).
  time::Duration until_expiry() {
    std::lock_guard lock(mu_);
    return time::until(expires_);
  }

  Mutex mu_;  // guards token_ and expires_
  std::string token_;
  time::Time expires_;
  int64_t calls_ = 0;   // remote calls made (refresher only)
  int64_t issued_ = 0;  // tokens issued by the "remote service"

  Chan<Request> requests_;
  Chan<Event> stopped_;  // closed when the refresher has stopped
};

// A client makes its GetToken calls, one every half token lifetime, each
// with a timeout, and prints what it got.
//
//   func client(tc *TokenCache, id int, wg *sync.WaitGroup) {
//       defer wg.Done()
//       for i := 1; i <= *requests; i++ {
//           ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//           res := <-tc.GetToken(ctx)
//           cancel()
//           report(fmt.Sprintf("client %d request %d", id, i), res)
//           time.Sleep(*refreshEvery / 2) // use the token for a while
//       }
//   }
void report(const std::string& who, const Response& res) {
  if (res.err) {
    std::printf("%s: error: %s\n", who.c_str(), res.err.message().c_str());
  } else {
    std::printf("%s: %s\n", who.c_str(), res.token.c_str());
  }
}

void client(TokenCache* tc, int64_t id, WaitGroup* wg) {
  for (int64_t i = 1; i <= *requests_per_client; i++) {
    auto [ctx, cancel] = context::with_timeout(context::background(), 10 * time::Second);
    Response res = tc->get_token(ctx).recv().value();  // res := <-tc.GetToken(ctx)
    cancel();
    report("client " + std::to_string(id) + " request " + std::to_string(i), res);
    time::sleep(*refresh_every / 2);  // use the token for a while
  }
  wg->done();  // defer wg.Done()
}

int main(int argc, char** argv) {
  flag::parse(argc, argv);

  // Start the refresher process with the application.
  auto done = make_chan<Event>();
  TokenCache tc;
  auto errc = make_chan<Error>(1);
  go([&tc, done, errc] { errc.send(tc.start(done)); });  // go func() { errc <- tc.Start(done) }()

  WaitGroup wg;
  for (int64_t id = 1; id <= *clients; id++) {
    wg.add(1);
    go(client, &tc, id, &wg);
  }

  // An impatient caller: it gives up before the first token can arrive.
  wg.add(1);
  go([&tc, &wg] {
    auto [ctx, cancel] = context::with_timeout(context::background(), *latency / 5);
    report("impatient", tc.get_token(ctx).recv().value());
    cancel();
    wg.done();
  });

  // A caller whose request is cancelled before it asks.
  wg.add(1);
  go([&tc, &wg] {
    auto [ctx, cancel] = context::with_cancel(context::background());
    cancel();
    report("cancelled", tc.get_token(ctx).recv().value());
    wg.done();
  });

  wg.wait();

  // Shut down: close done and wait for the refresher to return.
  done.close();
  Error err = errc.recv().value();
  report("after shutdown", tc.get_token(context::background()).recv().value());

  // The goroutines that just signalled are returning; give them a moment,
  // then show that none is left (Go: runtime.NumGoroutine()).
  for (int i = 0; i < 1000 && num_goroutine() > 1; i++) time::sleep(time::Millisecond);
  std::printf("goroutines left: %d\n", num_goroutine());

  if (err) {
    log_printf("tokencache: refresher gave up: %s", err.message().c_str());
    std::exit(1);
  }
}
