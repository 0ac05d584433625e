// A minimal HTTP hello-world server (the HTTP benchmark's goro side).
//
//   hello [-port 8080]
#include <goro/flag.hpp>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/http.hpp>

namespace http = goro::http;

int main(int argc, char** argv) {
  const int64_t* port = goro::flag::integer("port", 8080, "port to listen on");
  goro::flag::parse(argc, argv);

  http::handle_func("/",
                    [](http::ResponseWriter& w, http::Request&) { w.write("Hello, World!\n"); });
  goro::Error err = http::listen_and_serve(goro::fmt::sprintf(":{}", *port));
  goro::fmt::fprintln(goro::os::stderr(), err.message());
  return 1;
}
