// gopl.io/ch8/reverb1
// Reverb1 is a TCP server that simulates an echo.
//
// goro additions: -port (default 8000, the book's localhost:8000) and
// -delay (default 1s, as in the book) so tests can run it quickly.
#include <algorithm>
#include <cctype>
#include <string>

#include <goro/bufio.hpp>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/net.hpp>
#include <goro/os.hpp>

using namespace goro;

const int64_t* port = flag::integer("port", 8000, "port to listen on");
const time::Duration* delay = flag::duration("delay", 1 * time::Second, "delay between echoes");

// Go's log.Print and log.Fatal: date, time and message on stderr.
void log_print(const Error& err) {
  goro::fmt::fprintln(os::stderr(), time::now().format("2006/01/02 15:04:05"), err);
}
[[noreturn]] void log_fatal(const Error& err) {
  log_print(err);
  os::exit(1);
}

// Go's strings.ToUpper and strings.ToLower (ASCII only here).
std::string to_upper(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}
std::string to_lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void echo(net::Conn c, std::string shout, time::Duration delay) {
  goro::fmt::fprintln(c, "\t", to_upper(shout));
  time::sleep(delay);
  goro::fmt::fprintln(c, "\t", shout);
  time::sleep(delay);
  goro::fmt::fprintln(c, "\t", to_lower(shout));
}

void handle_conn(net::Conn c) {
  bufio::Scanner input(c);
  while (input.scan()) {
    echo(c, input.text(), *delay);  // Go: echo(c, input.Text(), 1*time.Second)
  }
  // NOTE: ignoring potential errors from input.Err()
  c.close();
}

int main(int argc, char** argv) {
  flag::parse(argc, argv);
  // Go: l, err := net.Listen("tcp", "localhost:8000")
  auto l = net::listen("tcp", "localhost:" + std::to_string(*port));
  if (!l) {
    log_fatal(l.error());
  }
  for (;;) {
    auto conn = l->accept();
    if (!conn) {
      log_print(conn.error());  // e.g., connection aborted
      continue;
    }
    go(handle_conn, *conn);
  }
}
