// greet2: server2.go of "Goroutines and Channels: A Real(ly) Simple Server
// in Go" (Elliot Chance, 2016). As greet1, but the connection goroutines
// only read names: each becomes a ClientJob on a channel, and one worker
// goroutine, generate_responses, makes every reply. The worker keeps the
// CPU busy for a whole second per job to simulate expensive work, so the
// replies come one at a time.
//
// goro additions: -port (default 8080, the article's port) and -work (the
// CPU time burnt per job, default 1s) so tests can run it quickly.
#include <string>

#include <goro/bufio.hpp>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/net.hpp>

using namespace goro;

const time::Duration* work = flag::duration("work", 1 * time::Second, "CPU time spent per job");

// check panics on an error, or prints a successful message and continues.
void check(const Error& err, std::string_view message) {
  if (err) {
    panic(err.message());
  }
  goro::fmt::printf("{}\n", message);
}

struct ClientJob {
  std::string name;
  net::Conn conn;
};

void generate_responses(Chan<ClientJob> client_jobs) {
  for (;;) {
    // Wait for the next job to come off the queue.
    ClientJob client_job = *client_jobs.recv();  // Go: clientJob := <-clientJobs

    // Do something thats keeps the CPU busy for a whole second.
    for (auto start = time::now(); time::now().sub(start) < *work;) {
    }

    // Send back the response.
    (void)client_job.conn.write("Hello, " + client_job.name);
  }
}

int main(int argc, char** argv) {
  auto port = flag::integer("port", 8080, "port to listen on");
  flag::parse(argc, argv);
  auto client_jobs = make_chan<ClientJob>();
  go(generate_responses, client_jobs);

  auto ln = net::listen("tcp", ":" + std::to_string(*port));  // Go: net.Listen("tcp", ":8080")
  check(ln ? Error{} : ln.error(), "Server is ready.");

  for (;;) {
    auto conn = ln->accept();
    check(conn ? Error{} : conn.error(), "Accepted connection.");

    go([conn = *conn, client_jobs]() mutable {
      bufio::Reader buf(conn);

      for (;;) {
        auto [name, err] = buf.read_string('\n');

        if (err) {
          goro::fmt::printf("Client disconnected.\n");
          break;
        }

        // conn.Write([]byte("Hello, " + name))
        client_jobs.send(ClientJob{name, conn});  // Go: clientJobs <- ClientJob{name, conn}
      }
    });
  }
}
