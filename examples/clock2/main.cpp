// gopl.io/ch8/clock2
// Clock2 is a concurrent TCP server that periodically writes the time.
//
// goro additions: -port (default 8000, the book's localhost:8000) and
// -interval (default 1s, as in the book) so tests can run it quickly.
#include <string>

#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/io.hpp>
#include <goro/net.hpp>
#include <goro/os.hpp>

using namespace goro;

const int64_t* port = flag::integer("port", 8000, "port to listen on");
const time::Duration* interval = flag::duration("interval", 1 * time::Second, "time between lines");

// Go's log.Print and log.Fatal: date, time and message on stderr.
void log_print(const Error& err) {
  goro::fmt::fprintln(os::stderr(), time::now().format("2006/01/02 15:04:05"), err);
}
[[noreturn]] void log_fatal(const Error& err) {
  log_print(err);
  os::exit(1);
}

void handle_conn(net::Conn c);

int main(int argc, char** argv) {
  flag::parse(argc, argv);
  // Go: listener, err := net.Listen("tcp", "localhost:8000")
  auto listener = net::listen("tcp", "localhost:" + std::to_string(*port));
  if (!listener) {
    log_fatal(listener.error());
  }
  for (;;) {
    auto conn = listener->accept();
    if (!conn) {
      log_print(conn.error());  // e.g., connection aborted
      continue;
    }
    go(handle_conn, *conn);  // handle connections concurrently
  }
}

void handle_conn(net::Conn c) {
  for (;;) {
    auto n = io::write_string(c, time::now().format("15:04:05\n"));
    if (!n) {
      break;  // e.g., client disconnected
    }
    time::sleep(*interval);  // Go: time.Sleep(1 * time.Second)
  }
  c.close();  // Go: defer c.Close()
}
