// goro::http internal — Transport: the client's connection pool and one
// request/response exchange over a pooled or new connection.
//
// Invariants / locking:
//  - mu guards idle_ (per "host:port", most recently used last) and closed_.
//  - A ClientConn is used by exactly one exchange at a time: it is either in
//    idle_ or owned by one exchange (and then by its response body until
//    the body reaches EOF or is closed, which gives it back or closes it).
//  - A connection is pooled only when the last response allowed keep-alive,
//    its body was read to the end and nothing unread is buffered.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "goro/http.hpp"
#include "goro/sync.hpp"
#include "http/message_reader.hpp"

namespace goro::http::detail {

struct ClientConn {
  explicit ClientConn(net::Conn c, std::string k)
      : conn(std::move(c)), key(std::move(k)), reader(MessageReader::Kind::response, conn, 8192) {}
  ClientConn(const ClientConn&) = delete;
  ClientConn& operator=(const ClientConn&) = delete;

  net::Conn conn;
  std::string key;
  MessageReader reader;
};

class Transport : public std::enable_shared_from_this<Transport> {
 public:
  std::atomic<int> max_idle_per_host{2};

  // One exchange. deadline: the client's overall limit (zero: none).
  // Errors are bare (the caller wraps them with method and URL).
  Result<Response> round_trip(const Request& req, net::Deadline deadline);
  void put_idle(std::shared_ptr<ClientConn> c);
  void close_idle();
  std::uint64_t dials() const noexcept { return dials_.load(); }

 private:
  Result<std::shared_ptr<ClientConn>> get_conn(const std::string& key, net::Deadline deadline,
                                               bool& reused);
  Result<Response> exchange(const std::shared_ptr<ClientConn>& c, const Request& req, Body& body,
                            bool& nothing_received);

  goro::Mutex mu_;
  std::map<std::string, std::vector<std::shared_ptr<ClientConn>>> idle_;  // under mu_
  std::atomic<std::uint64_t> dials_{0};
};

// Go's "context deadline exceeded (Client.Timeout exceeded while awaiting headers)".
extern const Error err_client_timeout_headers;
extern const Error err_client_timeout_body;

}  // namespace goro::http::detail
