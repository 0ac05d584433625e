// Helpers shared by goro::os's files: Go's PathError messages, FileInfo from
// a struct stat, base names, and the state behind a File handle.
//
// FileState invariants: `fd` never changes while any handle exists. `uses`
// packs a "closed" bit (top) and the number of system calls in flight on fd
// (the rest). A call starts only while the closed bit is clear (acquire) and
// ends with release. The descriptor is closed exactly once: by close() when
// nothing is in flight, otherwise by the release that ends the last call in
// flight after close(), or by the destructor if close() was never called.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "goro/error.hpp"
#include "goro/os.hpp"

namespace goro::os::detail {

// Go's PathError: "<op> <path>: <reason>", unwrapping to the errno error.
Error path_error(std::string_view op, std::string_view path, int errnum);
Error path_error(std::string_view op, std::string_view path, const Error& cause);

// The FileInfo for name's base name from st.
FileInfo info_from_stat(std::string name, const struct ::stat& st);

// filepath.Base without the "." for "": the last element of path, trailing
// slashes removed ("/" stays "/").
std::string base_name(std::string_view path);

struct FileState {
  static constexpr std::uint32_t closed_bit = 1u << 31;

  FileState(int fd, std::string name, bool pipe_like) noexcept
      : fd(fd), name(std::move(name)), pipe_like(pipe_like) {}
  ~FileState();
  FileState(const FileState&) = delete;
  FileState& operator=(const FileState&) = delete;

  // Starts a call on fd; false once the file is closed.
  bool acquire() noexcept;
  // Ends a call; closes fd if it was the last call in flight after close().
  void release() noexcept;
  // Marks the file closed. Returns the errno of ::close when it closed fd now,
  // 0 when the close is left to the call in flight, -1 if already closed.
  int close() noexcept;

  const int fd;
  const std::string name;
  const bool pipe_like;  // a FIFO or socket: writes may raise SIGPIPE
  std::atomic<std::uint32_t> uses{0};
};

// RAII for acquire/release.
class FileUse {
 public:
  explicit FileUse(FileState& s) noexcept : s_(s), ok_(s.acquire()) {}
  ~FileUse() {
    if (ok_) s_.release();
  }
  FileUse(const FileUse&) = delete;
  FileUse& operator=(const FileUse&) = delete;
  explicit operator bool() const noexcept { return ok_; }

 private:
  FileState& s_;
  bool ok_;
};

}  // namespace goro::os::detail
