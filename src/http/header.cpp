// goro::http — Header (canonical MIME keys), status texts and the package's
// sentinel errors.
//
// Owns: canonical_header_key, Header's map, status_text, the http::err_*
// values. Header is a plain value type: its user synchronises (as Go's).
#include <array>
#include <string>

#include "goro/http.hpp"
#include "http/parser_core.hpp"

namespace goro::http {

const Error err_server_closed = errors::make("http: Server closed");
const Error err_body_not_allowed =
    errors::make("http: request method or response status code does not allow body");
const Error err_content_length = errors::make("http: wrote more than the declared Content-Length");
const Error err_body_read_after_close = errors::make("http: invalid Read on closed Body");
const Error err_handler_done = errors::make("http: write after the handler returned");
const Error err_header_too_large = errors::make("http: request header too large");
const Error err_missing_host = errors::make("http: no Host in request URL");
const Error err_use_last_response = errors::make("net/http: use last response");

std::string canonical_header_key(std::string_view key) { return detail::canonical_key(key); }

std::string Header::get(std::string_view key) const {
  auto it = m_.find(canonical_header_key(key));
  return it == m_.end() || it->second.empty() ? std::string() : it->second.front();
}

void Header::set(std::string_view key, std::string_view value) {
  m_.insert_or_assign(canonical_header_key(key), std::vector<std::string>{std::string(value)});
}

void Header::add(std::string_view key, std::string_view value) {
  add_canonical(canonical_header_key(key), std::string(value));
}

void Header::add_canonical(std::string key, std::string value) {
  auto it = m_.find(key);
  if (it == m_.end()) it = m_.emplace(std::move(key), std::vector<std::string>{}).first;
  it->second.push_back(std::move(value));
}

void Header::del(std::string_view key) {
  auto it = m_.find(canonical_header_key(key));
  if (it != m_.end()) m_.erase(it);
}

bool Header::has(std::string_view key) const {
  return m_.find(canonical_header_key(key)) != m_.end();
}

const std::vector<std::string>& Header::values(std::string_view key) const {
  static const std::vector<std::string> none;
  auto it = m_.find(canonical_header_key(key));
  return it == m_.end() ? none : it->second;
}

std::string_view status_text(int code) {
  switch (code) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 102:
      return "Processing";
    case 103:
      return "Early Hints";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 305:
      return "Use Proxy";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Request Entity Too Large";
    case 414:
      return "Request URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Requested Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 418:
      return "I'm a teapot";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Entity";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 511:
      return "Network Authentication Required";
    default:
      return "";
  }
}

std::string_view conn_state_name(ConnState s) {
  switch (s) {
    case StateNew:
      return "new";
    case StateActive:
      return "active";
    case StateIdle:
      return "idle";
    case StateClosed:
      return "closed";
  }
  return "unknown";
}

}  // namespace goro::http
