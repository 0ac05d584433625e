// Seed 000's client.go: -n concurrent GETs of -url, one goroutine each; the
// responses come back over a channel and the elapsed time is close to the
// slowest request, not the sum.
//
//   incclient [-n 10] [-url http://localhost:8080/inc]
//
// Unlike the seed, a failed request sends its error down the channel
// (the Go version returns without sending and main would wait forever).
#include <string>

#include <goro/flag.hpp>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/http.hpp>

namespace http = goro::http;

void request(std::string url, goro::SendChan<std::string> channel) {
  auto resp = http::get(url);
  if (!resp) {
    channel.send(resp.error().message());
    return;
  }
  auto body = goro::io::read_all(resp->body);
  resp->body.close();
  channel.send(body ? *body : body.error().message());
}

int main(int argc, char** argv) {
  const int64_t* n = goro::flag::integer("n", 10, "number of concurrent requests");
  const std::string* url = goro::flag::string("url", "http://localhost:8080/inc", "URL to request");
  goro::flag::parse(argc, argv);

  auto start = goro::time::now();
  const int64_t routine_count = *n;
  // create a goroutine per HTTP request; each writes its response to the channel
  auto channel = goro::make_chan<std::string>();
  for (int64_t i = 0; i < routine_count; i++) {
    goro::go(request, *url, channel);
  }
  // read the responses from the channel
  for (int64_t i = 0; i < routine_count; i++) {
    goro::fmt::println(*channel.recv());
  }
  double secs = goro::time::since(start).seconds();
  goro::fmt::printf("Time elapsed: {:.2f} seconds\n", secs);
}
