// os::read_file and os::write_file: a whole file in one call, through
// os::File (so through goro::blocking).
#include "goro/os.hpp"

namespace goro::os {

Result<std::string> read_file(const std::string& name) {
  auto f = open(name);
  if (!f) return fail(f.error());
  auto data = io::read_all(*f);
  f->close();
  return data;
}

Error write_file(const std::string& name, std::string_view data, unsigned perm) {
  auto f = open_file(name, o_wronly | o_create | o_trunc, perm);
  if (!f) return f.error();
  auto n = f->write(io::bytes(data));
  Error close_err = f->close();
  if (!n) return n.error();
  return close_err;
}

}  // namespace goro::os
