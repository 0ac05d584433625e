// gopl.io/ch8/netcat1
// Netcat1 is a read-only TCP client.
//
// goro addition: -addr (default localhost:8000, the book's address).
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/io.hpp>
#include <goro/net.hpp>
#include <goro/os.hpp>

using namespace goro;

// Go's log.Fatal: date, time and message on stderr, then exit(1).
[[noreturn]] void log_fatal(const Error& err) {
  goro::fmt::fprintln(os::stderr(), time::now().format("2006/01/02 15:04:05"), err);
  os::exit(1);
}

void must_copy(io::AnyWriter dst, io::AnyReader src);

int main(int argc, char** argv) {
  auto addr = flag::string("addr", "localhost:8000", "server address");
  flag::parse(argc, argv);
  auto conn = net::dial("tcp", *addr);  // Go: net.Dial("tcp", "localhost:8000")
  if (!conn) {
    log_fatal(conn.error());
  }
  must_copy(os::stdout(), *conn);
  conn->close();  // Go: defer conn.Close()
}

void must_copy(io::AnyWriter dst, io::AnyReader src) {
  if (auto n = io::copy(dst, src); !n) {
    log_fatal(n.error());
  }
}
