// File information: Go's FileMode from st_mode and its String(), FileInfo
// from a struct stat, base names, and os::stat / os::lstat.
#include <sys/stat.h>

#include <cerrno>

#include "goro/runtime.hpp"
#include "os/os_internal.hpp"

namespace goro::os {

FileMode FileMode::from_posix(unsigned st_mode) noexcept {
  std::uint32_t m = st_mode & 0777;
  switch (st_mode & S_IFMT) {
    case S_IFBLK:
      m |= device;
      break;
    case S_IFCHR:
      m |= device | char_device;
      break;
    case S_IFDIR:
      m |= dir;
      break;
    case S_IFIFO:
      m |= named_pipe;
      break;
    case S_IFLNK:
      m |= symlink;
      break;
    case S_IFREG:
      break;
    case S_IFSOCK:
      m |= socket;
      break;
    default:
      m |= irregular;
      break;
  }
  if (st_mode & S_ISGID) m |= setgid;
  if (st_mode & S_ISUID) m |= setuid;
  if (st_mode & S_ISVTX) m |= sticky;
  return FileMode(m);
}

std::string FileMode::string() const {
  // One letter per type or special bit, from bit 31 down (Go's order).
  static constexpr char letters[] = "dalTLDpSugct?";
  static constexpr char rwx[] = "rwxrwxrwx";
  char buf[32];
  int w = 0;
  for (int i = 0; letters[i] != '\0'; ++i) {
    if (bits_ & (1u << (31 - i))) buf[w++] = letters[i];
  }
  if (w == 0) buf[w++] = '-';
  for (int i = 0; i < 9; ++i) buf[w++] = (bits_ & (1u << (8 - i))) ? rwx[i] : '-';
  return std::string(buf, std::size_t(w));
}

namespace detail {

FileInfo info_from_stat(std::string name, const struct ::stat& st) {
  auto since_epoch =
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
  auto mod_time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
  return FileInfo(std::move(name), std::int64_t(st.st_size), FileMode::from_posix(st.st_mode),
                  mod_time);
}

std::string base_name(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return "/";
  auto slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  if (path.empty()) return ".";
  return std::string(path);
}

}  // namespace detail

namespace {

Result<FileInfo> stat_with(const std::string& name, bool follow) {
  const char* op = follow ? "stat" : "lstat";
  if (name.find('\0') != std::string::npos) return fail(detail::path_error(op, name, EINVAL));
  struct ::stat st {};
  int e = goro::blocking([&] {
    int r = follow ? ::stat(name.c_str(), &st) : ::lstat(name.c_str(), &st);
    return r == 0 ? 0 : errno;
  });
  if (e != 0) return fail(detail::path_error(op, name, e));
  return detail::info_from_stat(detail::base_name(name), st);
}

}  // namespace

Result<FileInfo> stat(const std::string& name) { return stat_with(name, true); }
Result<FileInfo> lstat(const std::string& name) { return stat_with(name, false); }

}  // namespace goro::os
