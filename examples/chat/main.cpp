// gopl.io/ch8/chat
// Chat is a server that lets clients chat with each other.
//
// goro addition: -port (default 8000, the book's localhost:8000).
#include <optional>
#include <string>
#include <unordered_map>

#include <goro/bufio.hpp>
#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/net.hpp>
#include <goro/os.hpp>

using namespace goro;

// Go's log.Print and log.Fatal: date, time and message on stderr.
void log_print(const Error& err) {
  goro::fmt::fprintln(os::stderr(), time::now().format("2006/01/02 15:04:05"), err);
}
[[noreturn]] void log_fatal(const Error& err) {
  log_print(err);
  os::exit(1);
}

void broadcaster();
void handle_conn(net::Conn conn);

int main(int argc, char** argv) {
  auto port = flag::integer("port", 8000, "port to listen on");
  flag::parse(argc, argv);
  // Go: listener, err := net.Listen("tcp", "localhost:8000")
  auto listener = net::listen("tcp", "localhost:" + std::to_string(*port));
  if (!listener) {
    log_fatal(listener.error());
  }

  go(broadcaster);
  for (;;) {
    auto conn = listener->accept();
    if (!conn) {
      log_print(conn.error());
      continue;
    }
    go(handle_conn, *conn);
  }
}

using client = SendChan<std::string>;  // an outgoing message channel

Chan<client> entering = make_chan<client>();
Chan<client> leaving = make_chan<client>();
Chan<std::string> messages = make_chan<std::string>();  // all incoming client messages

void broadcaster() {
  std::unordered_map<client, bool> clients;  // all connected clients
  for (;;) {
    select(recv(messages,
                [&](std::optional<std::string> msg) {
                  // Broadcast incoming message to all
                  // clients' outgoing message channels.
                  for (auto& [cli, _] : clients) {
                    cli.send(*msg);
                  }
                }),
           recv(entering, [&](std::optional<client> cli) { clients[*cli] = true; }),
           recv(leaving, [&](std::optional<client> cli) {
             clients.erase(*cli);  // Go: delete(clients, cli)
             cli->close();
           }));
  }
}

void client_writer(net::Conn conn, RecvChan<std::string> ch);

void handle_conn(net::Conn conn) {
  auto ch = make_chan<std::string>();  // outgoing client messages
  go(client_writer, conn, ch);

  auto who = conn.remote_addr().string();
  ch.send("You are " + who);
  messages.send(who + " has arrived");
  entering.send(ch);

  bufio::Scanner input(conn);
  while (input.scan()) {
    messages.send(who + ": " + input.text());
  }
  // NOTE: ignoring potential errors from input.Err()

  leaving.send(ch);
  messages.send(who + " has left");
  conn.close();
}

void client_writer(net::Conn conn, RecvChan<std::string> ch) {
  for (std::string msg : ch) {
    (void)goro::fmt::fprintln(conn, msg);  // NOTE: ignoring network errors
  }
}
