// os::File and friends over temp files and pipes: open/create/open_file,
// read/write/close/name/stat/seek/read_at, Go's PathError messages, a
// 10 MB copy, read_file/write_file, stat/lstat and FileMode, a broken pipe,
// getenv and exit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "goro/chan.hpp"
#include "goro/go.hpp"
#include "goro/io.hpp"
#include "goro/os.hpp"
#include "goro/runtime.hpp"
#include "netpoll/poll_desc.hpp"
#include "support/checks.hpp"
#include "unit/os/temp_dir.hpp"

namespace {

namespace os = goro::os;
namespace io = goro::io;
using FileTest = goro_test::TempDirTest;

std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x = x * 1664525u + 1013904223u;
    c = char(x >> 24);
  }
  return s;
}

TEST_F(FileTest, CreateWriteCloseOpenRead) {
  auto f = os::create(path("hello.txt"));
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->name(), path("hello.txt"));
  EXPECT_GE(f->fd(), 0);
  EXPECT_EQ(f->write_string("hello, ").value(), 7u);
  EXPECT_EQ(f->write(io::bytes("file\n")).value(), 5u);
  EXPECT_FALSE(f->close());
  EXPECT_EQ(f->fd(), -1);

  auto g = os::open(path("hello.txt"));
  ASSERT_TRUE(g);
  std::string buf(64, '.');
  auto n = g->read(io::writable_bytes(buf));
  ASSERT_TRUE(n);
  EXPECT_EQ(buf.substr(0, *n), "hello, file\n");
  auto end = g->read(io::writable_bytes(buf));
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error(), io::eof);
  std::string none;
  EXPECT_EQ(g->read(io::writable_bytes(none)).value(), 0u);
  EXPECT_FALSE(g->close());
}

TEST_F(FileTest, ErrorsReadLikeGosPathError) {
  auto missing = os::open(path("nope"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "open " + path("nope") + ": no such file or directory");
  EXPECT_TRUE(os::is_not_exist(missing.error()));
  EXPECT_TRUE(goro::errors::is(missing.error(), goro::errors::from_errno(ENOENT)));
  EXPECT_FALSE(os::is_exist(missing.error()));

  EXPECT_EQ(os::open("/nope").error().message(), "open /nope: no such file or directory");

  ASSERT_TRUE(os::create(path("x")));
  auto excl = os::open_file(path("x"), os::o_wronly | os::o_create | os::o_excl, 0600);
  ASSERT_FALSE(excl);
  EXPECT_EQ(excl.error().message(), "open " + path("x") + ": file exists");
  EXPECT_TRUE(os::is_exist(excl.error()));

  auto nul = os::open(std::string("a\0b", 3));
  ASSERT_FALSE(nul);
  EXPECT_TRUE(nul.error().message().ends_with(": invalid argument"));

  // Reading a directory.
  auto d = os::open(dir_);
  ASSERT_TRUE(d);
  std::string buf(8, '.');
  auto r = d->read(io::writable_bytes(buf));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "read " + dir_ + ": is a directory");

  // Writing a file opened read-only.
  auto ro = os::open(path("x"));
  ASSERT_TRUE(ro);
  auto w = ro->write(io::bytes("x"));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().message(), "write " + path("x") + ": bad file descriptor");
}

TEST_F(FileTest, CloseTwiceAndUseAfterClose) {
  auto f = os::create(path("c"));
  ASSERT_TRUE(f);
  os::File copy = *f;  // a handle: copies share the open file
  EXPECT_EQ(copy, *f);
  EXPECT_FALSE(f->close());
  auto again = copy.close();
  EXPECT_EQ(again.message(), "close " + path("c") + ": file already closed");
  EXPECT_TRUE(goro::errors::is(again, os::err_closed));
  std::string buf(1, '.');
  EXPECT_EQ(copy.read(io::writable_bytes(buf)).error().message(),
            "read " + path("c") + ": file already closed");
  EXPECT_EQ(copy.write(io::bytes("x")).error().message(),
            "write " + path("c") + ": file already closed");
}

TEST(File, NilFileFailsWithInvalidArgument) {
  os::File f;
  EXPECT_FALSE(f);
  std::string buf(1, '.');
  EXPECT_EQ(f.read(io::writable_bytes(buf)).error(), os::err_invalid);
  EXPECT_EQ(f.write(io::bytes("x")).error().message(), "invalid argument");
  EXPECT_EQ(f.close(), os::err_invalid);
  EXPECT_EQ(f.name(), "");
  EXPECT_EQ(f.fd(), -1);
  EXPECT_FALSE(os::File::from_fd(-1, "bad"));
}

TEST_F(FileTest, OpenFileAppendSeekReadAt) {
  ASSERT_FALSE(os::write_file(path("log"), "one\n", 0644));
  auto f = os::open_file(path("log"), os::o_wronly | os::o_append);
  ASSERT_TRUE(f);
  ASSERT_TRUE(f->write_string("two\n"));
  ASSERT_FALSE(f->sync());
  ASSERT_FALSE(f->close());
  EXPECT_EQ(os::read_file(path("log")).value(), "one\ntwo\n");

  auto g = os::open_file(path("log"), os::o_rdwr);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->seek(4, os::seek_start).value(), 4);
  ASSERT_TRUE(g->write_string("TWO"));
  EXPECT_EQ(g->seek(0, os::seek_current).value(), 7);
  EXPECT_EQ(g->seek(-1, os::seek_end).value(), 7);
  std::string buf(3, '.');
  ASSERT_EQ(g->read_at(io::writable_bytes(buf), 4).value(), 3u);
  EXPECT_EQ(buf, "TWO");
  EXPECT_EQ(g->read_at(io::writable_bytes(buf), 6).error(), io::eof);
  EXPECT_FALSE(g->seek(0, 17));
  EXPECT_FALSE(g->seek(-100, os::seek_start));
  g->close();
}

TEST_F(FileTest, CopyOfA10MBFile) {
  const std::string data = pattern(10 << 20, 7);
  ASSERT_FALSE(os::write_file(path("src"), data));
  auto src = os::open(path("src"));
  auto dst = os::create(path("dst"));
  ASSERT_TRUE(src && dst);
  auto n = io::copy(*dst, *src);
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_EQ(*n, std::int64_t(10 << 20));
  ASSERT_FALSE(dst->close());
  ASSERT_FALSE(src->close());
  auto back = os::read_file(path("dst"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->size(), data.size());
  EXPECT_TRUE(*back == data);
  EXPECT_EQ(os::stat(path("dst"))->size(), std::int64_t(10 << 20));
}

TEST_F(FileTest, CopyInsideAGoroutine) {
  const std::string data = pattern(3 << 20, 3);
  ASSERT_FALSE(os::write_file(path("a"), data));
  auto done = goro::make_chan<std::string>(1);
  goro::go([this, done] {
    auto src = os::open(path("a"));
    auto dst = os::create(path("b"));
    if (!src || !dst) return done.send("open failed");
    auto n = io::copy(*dst, *src);
    src->close();
    dst->close();
    done.send(n ? std::to_string(*n) : n.error().message());
  });
  EXPECT_EQ(*done.recv(), std::to_string(data.size()));
  EXPECT_TRUE(os::read_file(path("b")).value() == data);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST_F(FileTest, ReadFileAndWriteFileErrors) {
  EXPECT_EQ(os::read_file(path("none")).error().message(),
            "open " + path("none") + ": no such file or directory");
  EXPECT_EQ(os::write_file(path("no/such/dir"), "x").message(),
            "open " + path("no/such/dir") + ": no such file or directory");
  ASSERT_FALSE(os::write_file(path("empty"), ""));
  EXPECT_EQ(os::read_file(path("empty")).value(), "");
}

TEST_F(FileTest, StatLstatAndFileMode) {
  ASSERT_FALSE(os::write_file(path("f.txt"), "12345"));
  ASSERT_EQ(::chmod(path("f.txt").c_str(), 0640), 0);
  // A known modification time, to the nanosecond.
  struct timespec times[2] = {{1'600'000'000, 123'456'789}, {1'600'000'000, 123'456'789}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path("f.txt").c_str(), times, 0), 0);
  ASSERT_EQ(::symlink("f.txt", path("link").c_str()), 0);

  auto fi = os::stat(path("f.txt"));
  ASSERT_TRUE(fi);
  EXPECT_EQ(fi->name(), "f.txt");
  EXPECT_EQ(fi->size(), 5);
  EXPECT_FALSE(fi->is_dir());
  EXPECT_TRUE(fi->mode().is_regular());
  EXPECT_EQ(fi->mode().perm(), os::FileMode(0640));
  EXPECT_EQ(fi->mode().string(), "-rw-r-----");
  auto expect_time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(1'600'000'000) + std::chrono::nanoseconds(123'456'789)));
  EXPECT_EQ(fi->mod_time(), expect_time);

  auto followed = os::stat(path("link"));
  ASSERT_TRUE(followed);
  EXPECT_EQ(followed->name(), "link");
  EXPECT_EQ(followed->size(), 5);
  EXPECT_TRUE(followed->mode().is_regular());

  auto link = os::lstat(path("link"));
  ASSERT_TRUE(link);
  EXPECT_EQ(link->mode().type(), os::FileMode(os::FileMode::symlink));
  EXPECT_EQ(link->mode().string().substr(0, 1), "L");
  EXPECT_EQ(link->size(), 5);  // the length of "f.txt"

  auto d = os::stat(dir_ + "/");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->is_dir());
  EXPECT_EQ(d->mode().string(), "drwx------");  // mkdtemp's mode
  EXPECT_EQ(d->name(), dir_.substr(dir_.rfind('/') + 1));

  auto f = os::open(path("f.txt"));
  ASSERT_TRUE(f);
  auto ffi = f->stat();
  ASSERT_TRUE(ffi);
  EXPECT_EQ(ffi->size(), 5);
  EXPECT_EQ(ffi->name(), "f.txt");

  EXPECT_EQ(os::stat(path("gone")).error().message(),
            "stat " + path("gone") + ": no such file or directory");
  EXPECT_EQ(os::lstat(path("gone")).error().message(),
            "lstat " + path("gone") + ": no such file or directory");
}

TEST(FileMode, StringsAndBits) {
  using M = os::FileMode;
  EXPECT_EQ(M(0).string(), "----------");
  EXPECT_EQ(M(0755).string(), "-rwxr-xr-x");
  EXPECT_EQ(M(M::dir | M::sticky | 0777).string(), "dtrwxrwxrwx");
  EXPECT_EQ(M::from_posix(S_IFDIR | 0755), M(M::dir | 0755));
  EXPECT_EQ(M::from_posix(S_IFCHR | 0620).string(), "Dcrw--w----");
  EXPECT_EQ(M::from_posix(S_IFIFO | 0600).string(), "prw-------");
  EXPECT_TRUE(M::from_posix(S_IFREG | 0644).is_regular());
  EXPECT_FALSE(M::from_posix(S_IFSOCK | 0644).is_regular());
}

TEST(Pipe, WriteToABrokenPipeIsAnErrorNotASignal) {
  auto p = os::pipe();
  ASSERT_TRUE(p);
  auto [rd, wr] = *p;
  EXPECT_EQ(rd.name(), "|0");
  EXPECT_EQ(wr.name(), "|1");
  ASSERT_FALSE(rd.close());
  auto n = wr.write(io::bytes("nobody listens"));
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().message(), "write |1: broken pipe");
  // The thread's signal mask is as it was, and nothing is left pending.
  sigset_t mask, pending;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  EXPECT_FALSE(sigismember(&mask, SIGPIPE));
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGPIPE));
  wr.close();
}

TEST(Pipe, CloseWakesAReaderParkedInThePoller) {
  auto p = os::pipe();
  ASSERT_TRUE(p);
  auto [r, w] = *p;
  auto result = goro::make_chan<std::string>(1);
  goro::go([r, result] {
    std::byte b[16];
    auto n = r.read(b);
    result.send(n ? "read " + std::to_string(*n) : n.error().message());
  });
  ASSERT_TRUE(eventually([] { return goro::rt::io_waiters() == 1; }));
  EXPECT_EQ(result.len(), 0u);
  EXPECT_FALSE(r.close());
  EXPECT_EQ(*result.recv(), "read |0: file already closed");
  EXPECT_FALSE(w.close());
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Pipe, ConcurrentReadersLoseNothing) {
  // Four goroutines read one pipe while a plain thread writes 200 KiB in
  // uneven pieces: every byte arrives exactly once, and the readers park in
  // the poller between writes.
  auto p = os::pipe();
  ASSERT_TRUE(p);
  auto [r, w] = *p;
  constexpr int readers = 4;
  constexpr std::size_t total = 200 * 1024;
  auto counts = goro::make_chan<std::vector<std::size_t>>(readers);
  for (int i = 0; i < readers; ++i)
    goro::go([r, counts] {
      std::vector<std::size_t> seen(256);
      std::byte b[777];
      for (;;) {
        auto n = r.read(b);
        if (!n) break;
        for (std::size_t k = 0; k < *n; ++k) ++seen[std::size_t(b[k])];
      }
      counts.send(seen);
    });
  std::thread writer([w] {
    std::vector<std::byte> data(total);
    for (std::size_t i = 0; i < total; ++i) data[i] = std::byte(i % 251);
    std::size_t off = 0;
    for (std::size_t piece = 1; off < total; piece = piece * 3 % 5000 + 1) {
      std::size_t len = std::min(piece, total - off);
      ASSERT_TRUE(w.write(std::span(data).subspan(off, len)));
      off += len;
    }
    w.close();
  });
  std::vector<std::size_t> sum(256);
  for (int i = 0; i < readers; ++i) {
    auto seen = *counts.recv();
    for (int k = 0; k < 256; ++k) sum[std::size_t(k)] += seen[std::size_t(k)];
  }
  writer.join();
  for (std::size_t k = 0; k < 256; ++k)
    EXPECT_EQ(sum[k], k < 251 ? total / 251 + (k < total % 251 ? 1 : 0) : 0) << "byte " << k;
  r.close();
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Env, GetenvAndLookupEnv) {
  ::setenv("GORO_OS_TEST_VAR", "value 1", 1);
  ::setenv("GORO_OS_TEST_EMPTY", "", 1);
  ::unsetenv("GORO_OS_TEST_UNSET");
  EXPECT_EQ(os::getenv("GORO_OS_TEST_VAR"), "value 1");
  EXPECT_EQ(os::getenv("GORO_OS_TEST_UNSET"), "");
  EXPECT_EQ(os::lookup_env("GORO_OS_TEST_EMPTY"), std::optional<std::string>(""));
  EXPECT_EQ(os::lookup_env("GORO_OS_TEST_UNSET"), std::nullopt);
}

class ExitTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(ExitTest, ExitsWithTheCode) { EXPECT_EXIT(os::exit(3), testing::ExitedWithCode(3), ""); }

TEST_F(ExitTest, WithGoroutinesAliveFlushesStdioAndExits) {
  EXPECT_EXIT(
      {
        static char buf[1024];
        std::setvbuf(stderr, buf, _IOFBF, sizeof buf);  // make stderr buffered
        auto never = goro::make_chan<int>();
        goro::go([never] { never.recv(); });
        std::fputs("flushed by exit", stderr);
        os::exit(4);
      },
      testing::ExitedWithCode(4), "flushed by exit");
}

}  // namespace
