// goro::Error: the immutable node behind an error value and the errors::
// functions. A node holds its message, the error it wraps (a chain ending in
// nil), its errno (0 if none) and whether it is a timeout. Nodes are never
// modified after creation, so sharing them between threads needs no lock.
#include "goro/error.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ostream>

namespace goro {

struct Error::Data {
  std::string message;
  Error cause;
  int errnum = 0;
  bool is_timeout = false;
};

struct ErrorAccess {
  static Error make(Error::Data data) {
    return Error(std::make_shared<const Error::Data>(std::move(data)));
  }
  static const Error::Data* data(const Error& e) { return e.data_.get(); }
};

namespace {

const std::string nil_message = "<nil>";

}  // namespace

const std::string& Error::message() const noexcept { return data_ ? data_->message : nil_message; }

Error Error::unwrap() const noexcept { return data_ ? data_->cause : Error(); }

int Error::errno_value() const noexcept {
  for (const Data* d = data_.get(); d; d = ErrorAccess::data(d->cause))
    if (d->errnum) return d->errnum;
  return 0;
}

bool Error::timeout() const noexcept {
  for (const Data* d = data_.get(); d; d = ErrorAccess::data(d->cause))
    if (d->is_timeout) return true;
  return false;
}

std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.message(); }

namespace errors {

Error make(std::string message) { return ErrorAccess::make({std::move(message), {}, 0, false}); }

Error make_timeout(std::string message) {
  return ErrorAccess::make({std::move(message), {}, 0, true});
}

Error wrap(Error cause, std::string_view context) {
  if (!cause) return cause;
  std::string message(context);
  message += ": ";
  message += cause.message();
  return ErrorAccess::make({std::move(message), std::move(cause), 0, false});
}

Error from_errno(int errnum) {
  // strerror's text with a lowercase first letter is Go's text for the
  // common errnos ("Connection refused" -> "connection refused").
  char buf[128];
  const char* text = strerror_r(errnum, buf, sizeof buf);
  std::string message = text ? text : "errno " + std::to_string(errnum);
  if (!message.empty() && std::isupper(static_cast<unsigned char>(message[0])) &&
      (message.size() < 2 || !std::isupper(static_cast<unsigned char>(message[1]))))
    message[0] = char(std::tolower(static_cast<unsigned char>(message[0])));
  return ErrorAccess::make({std::move(message), {}, errnum, errnum == ETIMEDOUT});
}

bool is(const Error& err, const Error& target) noexcept {
  const Error::Data* want = ErrorAccess::data(target);
  const bool match_errno = want && want->errnum != 0 && !want->cause;
  for (Error e = err;; e = e.unwrap()) {
    if (e == target) return true;
    const Error::Data* d = ErrorAccess::data(e);
    if (!d) return false;
    if (match_errno && d->errnum == want->errnum) return true;
  }
}

}  // namespace errors

}  // namespace goro
