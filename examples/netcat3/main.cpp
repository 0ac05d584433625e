// gopl.io/ch8/netcat3
// Netcat3 is a read/write TCP client that waits, on a done channel, for the
// goroutine printing the server's response before it exits.
//
// As exercise 8.3 suggests, at the end of the input it closes only the
// write half of the connection (the book's version calls conn.Close()), so
// the server sees end-of-file and the last replies are still printed; the
// program exits once the server has closed its side too.
//
// goro addition: -addr (default localhost:8000, the book's address).
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/io.hpp>
#include <goro/net.hpp>
#include <goro/os.hpp>

using namespace goro;

// Go's log.Println and log.Fatal: date, time and message on stderr.
void log_println(std::string_view msg) {
  goro::fmt::fprintln(os::stderr(), time::now().format("2006/01/02 15:04:05"), msg);
}
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
  auto done = make_chan<Event>();  // Go: done := make(chan struct{})
  go([conn = *conn, done]() mutable {
    (void)io::copy(os::stdout(), conn);  // NOTE: ignoring errors
    log_println("done");
    done.send(Event{});  // signal the main goroutine
  });
  must_copy(*conn, os::stdin());
  conn->close_write();  // Go: conn.(*net.TCPConn).CloseWrite() (the book: conn.Close())
  done.recv();          // wait for background goroutine to finish
  conn->close();
}

void must_copy(io::AnyWriter dst, io::AnyReader src) {
  if (auto n = io::copy(dst, src); !n) {
    log_fatal(n.error());
  }
}
