// os's sentinel errors, the is_* predicates and Go's PathError messages.
#include <cerrno>

#include "os/os_internal.hpp"

namespace goro::os {

const Error err_invalid = errors::make("invalid argument");
const Error err_closed = errors::make("file already closed");

namespace {
// The first errno in err's chain (Error::errno_value looks through wrapping).
int errno_of(const Error& err) noexcept { return err ? err.errno_value() : 0; }
}  // namespace

bool is_not_exist(const Error& err) noexcept { return errno_of(err) == ENOENT; }

bool is_exist(const Error& err) noexcept {
  int e = errno_of(err);
  return e == EEXIST || e == ENOTEMPTY;
}

bool is_permission(const Error& err) noexcept {
  int e = errno_of(err);
  return e == EACCES || e == EPERM;
}

namespace detail {

Error path_error(std::string_view op, std::string_view path, const Error& cause) {
  std::string context;
  context.reserve(op.size() + 1 + path.size());
  context.append(op).append(" ").append(path);
  return errors::wrap(cause, context);
}

Error path_error(std::string_view op, std::string_view path, int errnum) {
  return path_error(op, path, errors::from_errno(errnum));
}

}  // namespace detail

}  // namespace goro::os
