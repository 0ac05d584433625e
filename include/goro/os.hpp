// goro::os — Go's os package: files, the standard streams, directories,
// file information, the environment and exit.
//
//   Go                                   goro
//   f, err := os.Open(name)              goro::Result<os::File> f = os::open(name);
//   f, err := os.Create(name)            auto f = os::create(name);
//   os.OpenFile(name, flag, perm)        os::open_file(name, os::o_wronly | os::o_append, 0644)
//   f.Read(buf) / f.Write(b)             f->read(buf) / f->write(b)    (io::Reader / io::Writer)
//   f.WriteString(s)                     f->write_string(s)
//   f.Close()                            Error err = f->close();
//   f.Name(), f.Stat(), f.Fd()           f->name(), f->stat(), f->fd()
//   f.Seek(off, io.SeekStart)            f->seek(off, os::seek_start)
//   os.NewFile(fd, name)                 os::File::from_fd(fd, name)
//   r, w, err := os.Pipe()               auto p = os::pipe();  p->first, p->second
//   os.Stdin, os.Stdout, os.Stderr       os::stdin(), os::stdout(), os::stderr()
//   os.Stdin.Read(make([]byte, 1))       std::byte b[1]; os::stdin().read(b);
//   io.Copy(os.Stdout, conn)             io::copy(os::stdout(), conn)
//   os.Stat(name) / os.Lstat(name)       os::stat(name) / os::lstat(name) -> Result<FileInfo>
//   fi.Name() Size() Mode() ModTime()    fi.name() size() mode() mod_time()  (system_clock)
//   fi.IsDir(), fi.Mode().IsRegular()    fi.is_dir(), fi.mode().is_regular()
//   ioutil.ReadDir(dir) / os.ReadDir     os::read_dir(dir) -> Result<std::vector<DirEntry>>
//   entry.Name() IsDir() Size() Info()   entry.name() is_dir() size() info()
//   os.ReadFile / os.WriteFile           os::read_file(name) / os::write_file(name, data, perm)
//   os.Mkdir / os.MkdirTemp              os::mkdir(name, perm) / os::mkdir_temp(dir, pattern)
//   os.Remove / os.RemoveAll             os::remove(name) / os::remove_all(name)
//   os.Getenv / os.LookupEnv             os::getenv(key) / os::lookup_env(key)
//   os.Exit(code)                        os::exit(code)
//   os.IsNotExist(err) ...               os::is_not_exist(err), is_exist, is_permission
//
// A File is a handle, like Go's *os.File: copies share one open file, and
// every method is const and safe to call from several goroutines at once.
// The file is closed by close() or, if nobody called it, when the last
// handle goes away (as Go's finalizer would). close() while another
// goroutine is inside read or write makes later calls fail with
// "file already closed"; the descriptor itself is released when the call in
// flight returns (a read blocked on a pipe is not interrupted).
// A default-constructed File is nil: its methods fail with "invalid argument".
//
// Every system call on a file or directory runs inside goro::blocking, so a
// goroutine reading an idle stdin, a slow disk or walking a large tree never
// stalls the other goroutines of its processor.
//
// Errors are Go's PathError messages: "open /nope: no such file or
// directory", "read /tmp: is a directory", "close f.txt: file already
// closed". errors::is(err, errors::from_errno(ENOENT)) and the is_* helpers
// see the errno inside.
//
// Writes to a broken pipe: as in Go, on descriptors 1 and 2 SIGPIPE ends the
// program (so `prog | head` behaves); on any other descriptor write fails
// with "write |1: broken pipe" and no signal is delivered.
//
// Note: <cstdio> defines stdin/stdout/stderr as macros naming themselves, so
// os::stdin() etc. are fine; inside namespace goro::os write ::stdout for
// the C stream.
#pragma once

#include <fcntl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "goro/error.hpp"
#include "goro/io.hpp"

namespace goro::os {

// os.ErrInvalid ("invalid argument") and os.ErrClosed ("file already closed").
extern const Error err_invalid;
extern const Error err_closed;

// os.IsNotExist / IsExist / IsPermission: whether err is or wraps ENOENT;
// EEXIST or ENOTEMPTY; EACCES or EPERM.
bool is_not_exist(const Error& err) noexcept;
bool is_exist(const Error& err) noexcept;
bool is_permission(const Error& err) noexcept;

// ---------------------------------------------------------------------------
// File modes and information
// ---------------------------------------------------------------------------

// os.FileMode: Go's mode bits (type bits at the top, permissions at the
// bottom), not the raw st_mode.
class FileMode {
 public:
  static constexpr std::uint32_t dir = 1u << 31;          // d
  static constexpr std::uint32_t append = 1u << 30;       // a
  static constexpr std::uint32_t exclusive = 1u << 29;    // l
  static constexpr std::uint32_t temporary = 1u << 28;    // T
  static constexpr std::uint32_t symlink = 1u << 27;      // L
  static constexpr std::uint32_t device = 1u << 26;       // D
  static constexpr std::uint32_t named_pipe = 1u << 25;   // p
  static constexpr std::uint32_t socket = 1u << 24;       // S
  static constexpr std::uint32_t setuid = 1u << 23;       // u
  static constexpr std::uint32_t setgid = 1u << 22;       // g
  static constexpr std::uint32_t char_device = 1u << 21;  // c
  static constexpr std::uint32_t sticky = 1u << 20;       // t
  static constexpr std::uint32_t irregular = 1u << 19;    // ?
  static constexpr std::uint32_t type_mask =
      dir | symlink | named_pipe | socket | device | char_device | irregular;
  static constexpr std::uint32_t perm_mask = 0777;

  constexpr FileMode() noexcept = default;
  constexpr explicit FileMode(std::uint32_t bits) noexcept : bits_(bits) {}
  // The Go mode for a POSIX st_mode.
  static FileMode from_posix(unsigned st_mode) noexcept;

  constexpr std::uint32_t bits() const noexcept { return bits_; }
  constexpr bool is_dir() const noexcept { return (bits_ & dir) != 0; }
  constexpr bool is_regular() const noexcept { return (bits_ & type_mask) == 0; }
  constexpr FileMode perm() const noexcept { return FileMode(bits_ & perm_mask); }
  constexpr FileMode type() const noexcept { return FileMode(bits_ & type_mask); }
  // Go's FileMode.String(): "drwxr-xr-x", "-rw-r--r--", "Lrwxrwxrwx".
  std::string string() const;

  friend constexpr bool operator==(FileMode, FileMode) noexcept = default;

 private:
  std::uint32_t bits_ = 0;
};

// os.FileInfo: what stat or lstat reported about one file.
class FileInfo {
 public:
  FileInfo() = default;
  FileInfo(std::string name, std::int64_t size, FileMode mode,
           std::chrono::system_clock::time_point mod_time)
      : name_(std::move(name)), size_(size), mode_(mode), mod_time_(mod_time) {}

  // The base name of the file (not the path given to stat).
  const std::string& name() const noexcept { return name_; }
  // Length in bytes for regular files; system-dependent for others.
  std::int64_t size() const noexcept { return size_; }
  FileMode mode() const noexcept { return mode_; }
  std::chrono::system_clock::time_point mod_time() const noexcept { return mod_time_; }
  bool is_dir() const noexcept { return mode_.is_dir(); }

 private:
  std::string name_;
  std::int64_t size_ = 0;
  FileMode mode_;
  std::chrono::system_clock::time_point mod_time_{};
};

// One entry of a directory (Go's fs.DirEntry, and the FileInfo that
// ioutil.ReadDir returned): its information comes from lstat, so a symbolic
// link is reported as a link, not followed.
class DirEntry {
 public:
  DirEntry() = default;
  explicit DirEntry(FileInfo info) : info_(std::move(info)) {}

  const std::string& name() const noexcept { return info_.name(); }
  bool is_dir() const noexcept { return info_.is_dir(); }
  FileMode type() const noexcept { return info_.mode().type(); }
  std::int64_t size() const noexcept { return info_.size(); }
  const FileInfo& info() const noexcept { return info_; }

 private:
  FileInfo info_;
};

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

// Flags for open_file (Go's os.O_*): one of o_rdonly, o_wronly, o_rdwr,
// or-ed with any of the others. O_CLOEXEC is always added.
inline constexpr int o_rdonly = O_RDONLY;
inline constexpr int o_wronly = O_WRONLY;
inline constexpr int o_rdwr = O_RDWR;
inline constexpr int o_append = O_APPEND;
inline constexpr int o_create = O_CREAT;
inline constexpr int o_excl = O_EXCL;
inline constexpr int o_sync = O_SYNC;
inline constexpr int o_trunc = O_TRUNC;

// Whence for File::seek (Go's io.SeekStart, SeekCurrent, SeekEnd).
inline constexpr int seek_start = 0;
inline constexpr int seek_current = 1;
inline constexpr int seek_end = 2;

namespace detail {
struct FileState;
}

class File {
 public:
  File() noexcept = default;  // nil

  // os.NewFile: a File owning descriptor fd (closed by close() or when the
  // last handle goes away). A negative fd gives a nil File.
  static File from_fd(int fd, std::string name);

  // io.Reader: at least one byte, or io::eof at end of file, or
  // "read <name>: <reason>". An empty buf returns 0.
  Result<std::size_t> read(std::span<std::byte> buf) const;
  // pread: reads from offset off without moving the file offset. Like Go's
  // ReadAt it fills all of buf, or fails (io::eof if the file ends first).
  Result<std::size_t> read_at(std::span<std::byte> buf, std::int64_t off) const;
  // io.Writer: writes all of data or fails with "write <name>: <reason>".
  Result<std::size_t> write(std::span<const std::byte> data) const;
  Result<std::size_t> write_string(std::string_view s) const { return write(io::bytes(s)); }
  // Sets the offset for the next read or write; returns the new offset.
  Result<std::int64_t> seek(std::int64_t offset, int whence) const;
  // Commits the file's contents to stable storage (fsync).
  Error sync() const;
  Result<FileInfo> stat() const;
  // io.Closer. A second close fails with "close <name>: file already closed".
  Error close() const;

  // The name given to open (or from_fd); "" for a nil File.
  const std::string& name() const noexcept;
  // The descriptor, or -1 for a nil or closed File.
  int fd() const noexcept;

  explicit operator bool() const noexcept { return state_ != nullptr; }
  friend bool operator==(const File& a, const File& b) noexcept { return a.state_ == b.state_; }

 private:
  explicit File(std::shared_ptr<detail::FileState> state) noexcept : state_(std::move(state)) {}
  std::shared_ptr<detail::FileState> state_;
};

// os.Open: opens name for reading.
Result<File> open(const std::string& name);
// os.Create: creates or truncates name (mode 0666 before umask), read-write.
Result<File> create(const std::string& name);
// os.OpenFile: opens name with flags (o_*) and, when created, perm.
Result<File> open_file(const std::string& name, int flags, unsigned perm = 0);
// os.Pipe: a connected pair (reading end "|0", writing end "|1").
Result<std::pair<File, File>> pipe();

// os.Stdin, os.Stdout, os.Stderr: descriptors 0, 1 and 2 as Files named
// "/dev/stdin", "/dev/stdout", "/dev/stderr". Unbuffered, as in Go: mixing
// them with C stdio (printf, fmt::print) needs an fflush in between.
const File& stdin() noexcept;
const File& stdout() noexcept;
const File& stderr() noexcept;

// ---------------------------------------------------------------------------
// Paths and directories
// ---------------------------------------------------------------------------

// os.Stat (follows symbolic links) and os.Lstat (does not).
Result<FileInfo> stat(const std::string& name);
Result<FileInfo> lstat(const std::string& name);

// os.ReadDir / ioutil.ReadDir: the entries of directory name, sorted by
// name, without "." and "..". Entries removed while reading are skipped.
Result<std::vector<DirEntry>> read_dir(const std::string& name);

// os.ReadFile / os.WriteFile (creates with perm, truncates otherwise).
Result<std::string> read_file(const std::string& name);
Error write_file(const std::string& name, std::string_view data, unsigned perm = 0666);

// os.Mkdir / os.MkdirAll.
Error mkdir(const std::string& name, unsigned perm = 0777);
Error mkdir_all(const std::string& path, unsigned perm = 0777);
// os.MkdirTemp: creates a new directory in dir (temp_dir() when empty) whose
// name is pattern with its last '*' replaced by a random string (or the
// random string appended), and returns its path.
Result<std::string> mkdir_temp(const std::string& dir, const std::string& pattern);
// os.TempDir: $TMPDIR, or "/tmp".
std::string temp_dir();
// os.Remove: removes a file or an empty directory.
Error remove(const std::string& name);
// os.RemoveAll: removes path and everything under it; a missing path is
// not an error.
Error remove_all(const std::string& path);

// ---------------------------------------------------------------------------
// Process
// ---------------------------------------------------------------------------

// os.Getenv ("" when unset) and os.LookupEnv (nullopt when unset).
std::string getenv(const std::string& key);
std::optional<std::string> lookup_env(const std::string& key);

// os.Exit: ends the program at once with status code. C stdio buffers are
// flushed; while goroutines are alive no destructor or atexit handler runs
// (as Go runs no deferred call), otherwise exit is std::exit's.
[[noreturn]] void exit(int code);

}  // namespace goro::os
