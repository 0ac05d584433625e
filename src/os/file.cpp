// os::File: the handle, its reads and writes, open/create/open_file/pipe
// and the standard streams.
//
// Every system call runs inside goro::blocking (the caller's processor is
// handed to another thread meanwhile) and between FileState::acquire and
// release, so close() never recycles a descriptor under a call in flight.
// A read of a FIFO, socket or terminal first waits for input parked in the
// poller (poll_read.cpp), so waiting on stdin holds no thread.
// Reads and writes retry EINTR, and wait with poll() when the descriptor is
// non-blocking (inherited O_NONBLOCK on a terminal or pipe), so callers see
// Go's blocking semantics. Writes to a FIFO or socket other than fds 1 and 2
// block SIGPIPE on the calling thread for the duration of the write and
// consume the SIGPIPE it raised, so EPIPE becomes an error value.
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "goro/runtime.hpp"
#include "os/os_internal.hpp"

namespace goro::os {

using detail::FileState;
using detail::FileUse;
using detail::path_error;

namespace detail {

FileState::~FileState() {
  if ((uses.load(std::memory_order_acquire) & closed_bit) == 0) close_fd();
}

int FileState::close_fd() noexcept {
  drop_poll_registration(*this);
  return ::close(fd) == 0 ? 0 : errno;
}

bool FileState::acquire() noexcept {
  std::uint32_t v = uses.load(std::memory_order_relaxed);
  do {
    if (v & closed_bit) return false;
  } while (
      !uses.compare_exchange_weak(v, v + 1, std::memory_order_acquire, std::memory_order_relaxed));
  return true;
}

void FileState::release() noexcept {
  if (uses.fetch_sub(1, std::memory_order_acq_rel) == (closed_bit | 1)) close_fd();
}

int FileState::close() noexcept {
  std::uint32_t v = uses.load(std::memory_order_relaxed);
  do {
    if (v & closed_bit) return -1;
  } while (!uses.compare_exchange_weak(v, v | closed_bit, std::memory_order_seq_cst,
                                       std::memory_order_relaxed));
  if ((v & ~closed_bit) != 0) {
    evict_readers(*this);  // a reader parked in the poller ends its call
    return 0;              // the last call in flight closes it
  }
  int r = goro::blocking([&] { return close_fd(); });
  return r == EINTR ? 0 : r;  // on Linux the descriptor is gone even then
}

}  // namespace detail

namespace {

// For a descriptor someone made non-blocking: wait until it is ready.
void wait_ready(int fd, short events) {
  struct pollfd p {
    fd, events, 0
  };
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}

// read(2) with EINTR and EAGAIN handled: bytes read, or -errno.
ssize_t read_retrying(int fd, std::span<std::byte> buf) {
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n >= 0) return n;
    int e = errno;
    if (e == EINTR) continue;
    if (e == EAGAIN || e == EWOULDBLOCK) {
      wait_ready(fd, POLLIN);
      continue;
    }
    return -e;
  }
}

ssize_t pread_retrying(int fd, std::span<std::byte> buf, std::int64_t off) {
  for (;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), off);
    if (n >= 0) return n;
    int e = errno;
    if (e == EINTR) continue;
    if (e == EAGAIN || e == EWOULDBLOCK) {
      wait_ready(fd, POLLIN);
      continue;
    }
    return -e;
  }
}

// Writes all of data: 0, or the errno that stopped it.
int write_fully(int fd, std::span<const std::byte> data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n >= 0) {
      data = data.subspan(std::size_t(n));
      continue;
    }
    int e = errno;
    if (e == EINTR) continue;
    if (e == EAGAIN || e == EWOULDBLOCK) {
      wait_ready(fd, POLLOUT);
      continue;
    }
    return e;
  }
  return 0;
}

// write_fully with SIGPIPE turned into EPIPE for this thread only.
int write_fully_no_sigpipe(int fd, std::span<const std::byte> data) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  int e = write_fully(fd, data);
  if (e == EPIPE && !sigismember(&old, SIGPIPE)) {
    sigset_t pending;
    sigemptyset(&pending);
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
      struct timespec zero {};
      while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return e;
}

bool has_nul(const std::string& s) { return s.find('\0') != std::string::npos; }

}  // namespace

File File::from_fd(int fd, std::string name) {
  if (fd < 0) return File();
  struct ::stat st {};
  bool known = ::fstat(fd, &st) == 0;
  bool pipe_like = known && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
  bool pollable_kind = pipe_like || (known && S_ISCHR(st.st_mode));
  return File(std::make_shared<FileState>(fd, std::move(name), pipe_like, pollable_kind));
}

Result<std::size_t> File::read(std::span<std::byte> buf) const {
  if (!state_) return fail(err_invalid);
  FileUse use(*state_);
  if (!use) return fail(path_error("read", state_->name, err_closed));
  if (buf.empty()) return std::size_t(0);
  int fd = state_->fd;
  std::unique_lock reading(state_->read_mu, std::defer_lock);
  if (state_->pollable_kind) {
    reading.lock();  // held across the wait and the read
    if (!detail::wait_readable(*state_)) return fail(path_error("read", state_->name, err_closed));
  }
  ssize_t n = goro::blocking([&] { return read_retrying(fd, buf); });
  if (n < 0) return fail(path_error("read", state_->name, int(-n)));
  if (n == 0) return fail(io::eof);
  return std::size_t(n);
}

Result<std::size_t> File::read_at(std::span<std::byte> buf, std::int64_t off) const {
  if (!state_) return fail(err_invalid);
  if (off < 0) return fail(path_error("readat", state_->name, errors::make("negative offset")));
  FileUse use(*state_);
  if (!use) return fail(path_error("read", state_->name, err_closed));
  int fd = state_->fd;
  std::size_t got = 0;
  while (got < buf.size()) {
    ssize_t n = goro::blocking(
        [&] { return pread_retrying(fd, buf.subspan(got), off + std::int64_t(got)); });
    if (n < 0) return fail(path_error("read", state_->name, int(-n)));
    if (n == 0) return fail(io::eof);
    got += std::size_t(n);
  }
  return got;
}

Result<std::size_t> File::write(std::span<const std::byte> data) const {
  if (!state_) return fail(err_invalid);
  FileUse use(*state_);
  if (!use) return fail(path_error("write", state_->name, err_closed));
  if (data.empty()) return std::size_t(0);
  int fd = state_->fd;
  bool guard = state_->pipe_like && fd != 1 && fd != 2;
  int e = goro::blocking(
      [&] { return guard ? write_fully_no_sigpipe(fd, data) : write_fully(fd, data); });
  if (e != 0) return fail(path_error("write", state_->name, e));
  return data.size();
}

Result<std::int64_t> File::seek(std::int64_t offset, int whence) const {
  if (!state_) return fail(err_invalid);
  FileUse use(*state_);
  if (!use) return fail(path_error("seek", state_->name, err_closed));
  if (whence != seek_start && whence != seek_current && whence != seek_end)
    return fail(path_error("seek", state_->name, EINVAL));
  int fd = state_->fd;
  int err = 0;
  off_t r = goro::blocking([&] {
    off_t p = ::lseek(fd, off_t(offset), whence);
    if (p < 0) err = errno;
    return p;
  });
  if (r < 0) return fail(path_error("seek", state_->name, err));
  return std::int64_t(r);
}

Error File::sync() const {
  if (!state_) return err_invalid;
  FileUse use(*state_);
  if (!use) return path_error("sync", state_->name, err_closed);
  int fd = state_->fd;
  int e = goro::blocking([&] {
    while (::fsync(fd) != 0) {
      if (errno != EINTR) return errno;
    }
    return 0;
  });
  return e ? path_error("sync", state_->name, e) : Error();
}

Result<FileInfo> File::stat() const {
  if (!state_) return fail(err_invalid);
  FileUse use(*state_);
  if (!use) return fail(path_error("stat", state_->name, err_closed));
  int fd = state_->fd;
  struct ::stat st {};
  int e = goro::blocking([&] { return ::fstat(fd, &st) == 0 ? 0 : errno; });
  if (e != 0) return fail(path_error("stat", state_->name, e));
  return detail::info_from_stat(detail::base_name(state_->name), st);
}

Error File::close() const {
  if (!state_) return err_invalid;
  int e = state_->close();
  if (e < 0) return path_error("close", state_->name, err_closed);
  if (e > 0) return path_error("close", state_->name, e);
  return Error();
}

const std::string& File::name() const noexcept {
  static const std::string none;
  return state_ ? state_->name : none;
}

int File::fd() const noexcept {
  if (!state_ || (state_->uses.load(std::memory_order_acquire) & FileState::closed_bit)) return -1;
  return state_->fd;
}

Result<File> open_file(const std::string& name, int flags, unsigned perm) {
  if (has_nul(name)) return fail(path_error("open", name, EINVAL));
  int err = 0;
  int fd = goro::blocking([&] {
    for (;;) {
      int r = ::open(name.c_str(), flags | O_CLOEXEC, mode_t(perm & 07777));
      if (r >= 0) return r;
      err = errno;
      if (err != EINTR) return -1;
    }
  });
  if (fd < 0) return fail(path_error("open", name, err));
  return File::from_fd(fd, name);
}

Result<File> open(const std::string& name) { return open_file(name, o_rdonly); }

Result<File> create(const std::string& name) {
  return open_file(name, o_rdwr | o_create | o_trunc, 0666);
}

Result<std::pair<File, File>> pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fail(errors::wrap(errors::from_errno(errno), "pipe"));
  return std::pair<File, File>(File::from_fd(fds[0], "|0"), File::from_fd(fds[1], "|1"));
}

// The standard streams are never destroyed: goroutines may still use them
// while static destructors run at exit.
const File& stdin() noexcept {
  static const File* f = new File(File::from_fd(0, "/dev/stdin"));
  return *f;
}

const File& stdout() noexcept {
  static const File* f = new File(File::from_fd(1, "/dev/stdout"));
  return *f;
}

const File& stderr() noexcept {
  static const File* f = new File(File::from_fd(2, "/dev/stderr"));
  return *f;
}

}  // namespace goro::os
