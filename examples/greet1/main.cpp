// greet1: server.go of "Goroutines and Channels: A Real(ly) Simple Server
// in Go" (Elliot Chance, 2016). A client connects and sends names, one a
// line; for each the server replies "Hello, <name>". Every connection is
// handled by a goroutine of its own, so many clients are served at once.
//
// goro addition: -port (default 8080, the article's port).
#include <string>

#include <goro/bufio.hpp>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/net.hpp>

using namespace goro;

// check panics on an error, or prints a successful message and continues.
void check(const Error& err, std::string_view message) {
  if (err) {
    panic(err.message());
  }
  goro::fmt::printf("{}\n", message);
}

int main(int argc, char** argv) {
  auto port = flag::integer("port", 8080, "port to listen on");
  flag::parse(argc, argv);
  auto ln = net::listen("tcp", ":" + std::to_string(*port));  // Go: net.Listen("tcp", ":8080")
  check(ln ? Error{} : ln.error(), "Server is ready.");

  for (;;) {
    auto conn = ln->accept();
    check(conn ? Error{} : conn.error(), "Accepted connection.");

    go([conn = *conn]() mutable {
      bufio::Reader buf(conn);

      for (;;) {
        auto [name, err] = buf.read_string('\n');

        if (err) {
          goro::fmt::printf("Client disconnected.\n");
          break;
        }

        (void)conn.write("Hello, " + name);  // Go: conn.Write([]byte("Hello, " + name))
      }
    });
  }
}
