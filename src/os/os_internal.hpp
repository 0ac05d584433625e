// Helpers shared by goro::os's files: Go's PathError messages, FileInfo from
// a struct stat, base names, and the state behind a File handle.
//
// FileState invariants: `fd` never changes while any handle exists. `uses`
// packs a "closed" bit (top) and the number of system calls in flight on fd
// (the rest). A call starts only while the closed bit is clear (acquire) and
// ends with release. The descriptor is closed exactly once (close_fd): by
// close() when nothing is in flight, otherwise by the release that ends the
// last call in flight after close(), or by the destructor if close() was
// never called. The poller registration of reads (read_pd, poll_checked,
// read_mu) belongs to poll_read.cpp, which states its own rules.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "goro/error.hpp"
#include "goro/os.hpp"
#include "goro/sync.hpp"

namespace goro::rt {
struct PollDesc;
}

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

  FileState(int fd, std::string name, bool pipe_like, bool pollable_kind) noexcept
      : fd(fd), name(std::move(name)), pipe_like(pipe_like), pollable_kind(pollable_kind) {}
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
  const bool pipe_like;      // a FIFO or socket: writes may raise SIGPIPE
  const bool pollable_kind;  // a FIFO, socket or character device: epoll may watch it
  std::atomic<std::uint32_t> uses{0};

  // Reads through the poller (poll_read.cpp).
  goro::Mutex read_mu;                          // serialises reads of a pollable file
  bool poll_checked = false;                    // under read_mu: registration tried
  std::atomic<rt::PollDesc*> read_pd{nullptr};  // set once; freed by close_fd

 private:
  // Closes fd (and drops its poller registration): exactly once, nothing in flight.
  int close_fd() noexcept;
};

// With s.read_mu held and a call in flight on s (FileUse): waits, parked in
// the poller if s is pollable, until s.fd has input (or end of file) to read
// without blocking. Returns false if the file was closed meanwhile. For a
// file epoll cannot watch (a regular file, /dev/null) it returns true at once:
// the read then blocks a thread, inside goro::blocking.
bool wait_readable(FileState& s);
// close(): wake a reader parked in wait_readable.
void evict_readers(FileState& s) noexcept;
// close_fd(): forget the registration before the descriptor is closed.
void drop_poll_registration(FileState& s) noexcept;

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
