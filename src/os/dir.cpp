// Directories: os::read_dir, mkdir, mkdir_all, mkdir_temp, temp_dir,
// remove and remove_all.
//
// read_dir reads the whole directory and lstats each entry inside one
// goro::blocking call (one processor hand-off per directory, not per entry),
// so a walk by many goroutines keeps the scheduler running. The directory
// stream is always closed before returning.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>

#include "goro/runtime.hpp"
#include "os/os_internal.hpp"

namespace goro::os {

using detail::path_error;

namespace {

bool has_nul(const std::string& s) { return s.find('\0') != std::string::npos; }

std::string join(const std::string& dir, std::string_view name) {
  std::string p = dir;
  if (p.empty() || p.back() != '/') p += '/';
  p.append(name);
  return p;
}

bool is_dot(const char* n) {
  return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

}  // namespace

Result<std::vector<DirEntry>> read_dir(const std::string& name) {
  if (has_nul(name)) return fail(path_error("open", name, EINVAL));
  std::vector<DirEntry> entries;
  Error err = goro::blocking([&]() -> Error {
    DIR* d = ::opendir(name.c_str());
    if (!d) return path_error("open", name, errno);
    struct Closer {
      DIR* d;
      ~Closer() { ::closedir(d); }
    } closer{d};
    int dfd = ::dirfd(d);
    for (;;) {
      errno = 0;
      struct dirent* e = ::readdir(d);
      if (!e) {
        int eno = errno;
        if (eno != 0) return path_error("readdirent", name, eno);
        return Error();
      }
      if (is_dot(e->d_name)) continue;
      struct ::stat st {};
      if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        int eno = errno;
        if (eno == ENOENT) continue;  // removed since readdir listed it
        return path_error("lstat", join(name, e->d_name), eno);
      }
      entries.emplace_back(detail::info_from_stat(e->d_name, st));
    }
  });
  if (err) return fail(err);
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name() < b.name(); });
  return entries;
}

Error mkdir(const std::string& name, unsigned perm) {
  if (has_nul(name)) return path_error("mkdir", name, EINVAL);
  int e =
      goro::blocking([&] { return ::mkdir(name.c_str(), mode_t(perm & 07777)) == 0 ? 0 : errno; });
  return e ? path_error("mkdir", name, e) : Error();
}

Error mkdir_all(const std::string& path, unsigned perm) {
  if (has_nul(path)) return path_error("mkdir", path, EINVAL);
  if (auto fi = stat(path)) {
    if (fi->is_dir()) return Error();
    return path_error("mkdir", path, ENOTDIR);
  }
  // Create the parent first (skipping trailing slashes, then the last element).
  std::size_t end = path.size();
  while (end > 1 && path[end - 1] == '/') --end;
  std::size_t slash = path.rfind('/', end - 1);
  if (slash != std::string::npos && slash > 0) {
    std::size_t parent_end = slash;
    while (parent_end > 1 && path[parent_end - 1] == '/') --parent_end;
    if (Error err = mkdir_all(path.substr(0, parent_end), perm)) return err;
  }
  Error err = mkdir(path, perm);
  if (err) {
    // Someone else may have made it meanwhile.
    if (auto fi = lstat(path); fi && fi->is_dir()) return Error();
    return err;
  }
  return Error();
}

std::string temp_dir() {
  std::string dir = getenv("TMPDIR");
  if (dir.empty()) dir = "/tmp";
  if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

namespace {

// A fresh pseudo-random number for temporary names (splitmix64 over a
// counter seeded from the clock and pid); not for security.
std::uint64_t next_random() {
  static std::atomic<std::uint64_t> state{[] {
    struct timespec ts {};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return std::uint64_t(ts.tv_nsec) ^ (std::uint64_t(ts.tv_sec) << 20) ^
           (std::uint64_t(::getpid()) << 40);
  }()};
  std::uint64_t z = state.fetch_add(0x9e3779b97f4a7c15ull, std::memory_order_relaxed);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

Result<std::string> mkdir_temp(const std::string& dir, const std::string& pattern) {
  if (pattern.find('/') != std::string::npos)
    return fail(path_error("mkdirtemp", pattern, errors::make("pattern contains path separator")));
  std::string base = dir.empty() ? temp_dir() : dir;
  std::string prefix = pattern, suffix;
  if (auto star = pattern.rfind('*'); star != std::string::npos) {
    prefix = pattern.substr(0, star);
    suffix = pattern.substr(star + 1);
  }
  for (int attempt = 0; attempt < 10000; ++attempt) {
    std::string name = join(base, prefix + std::to_string(std::uint32_t(next_random())) + suffix);
    Error err = mkdir(name, 0700);
    if (!err) return name;
    if (!is_exist(err)) return fail(err);
  }
  return fail(path_error("mkdirtemp", join(base, prefix + "*" + suffix), EEXIST));
}

Error remove(const std::string& name) {
  if (has_nul(name)) return path_error("remove", name, EINVAL);
  int e = goro::blocking([&] {
    if (::unlink(name.c_str()) == 0) return 0;
    int unlink_err = errno;
    if (::rmdir(name.c_str()) == 0) return 0;
    int rmdir_err = errno;
    // Both failed: rmdir's error says more unless name is not a directory
    // (Go's rule).
    return rmdir_err != ENOTDIR ? rmdir_err : unlink_err;
  });
  return e ? path_error("remove", name, e) : Error();
}

namespace {

// Removes path and its contents; 0, or the errno and the path that failed.
int remove_tree(const std::string& path, std::string& failed) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return 0;
  int unlink_err = errno;
  struct ::stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return 0;
    failed = path;
    return errno;
  }
  if (!S_ISDIR(st.st_mode)) {
    failed = path;
    return unlink_err;
  }
  std::vector<std::string> names;
  if (DIR* d = ::opendir(path.c_str())) {
    while (struct dirent* e = ::readdir(d)) {
      if (!is_dot(e->d_name)) names.emplace_back(e->d_name);
    }
    ::closedir(d);
  } else if (errno == ENOENT) {
    return 0;
  }
  int first = 0;
  for (const auto& n : names) {
    std::string where;
    int e = remove_tree(join(path, n), where);
    if (e != 0 && first == 0) {
      first = e;
      failed = where;
    }
  }
  if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return 0;
  if (first != 0) return first;
  failed = path;
  return errno;
}

}  // namespace

Error remove_all(const std::string& path) {
  if (path.empty()) return Error();
  if (has_nul(path)) return path_error("RemoveAll", path, EINVAL);
  if (detail::base_name(path) == ".") return path_error("RemoveAll", path, EINVAL);
  std::string failed;
  int e = goro::blocking([&] { return remove_tree(path, failed); });
  return e ? path_error("remove", failed, e) : Error();
}

}  // namespace goro::os
