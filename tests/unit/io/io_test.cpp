// goro::io helpers: copy, copy_n, read_all, read_full, write_string, the
// byte views, AnyReader/AnyWriter and Discard, over in-memory streams and
// OS pipes.
#include "goro/io.hpp"

#include <gtest/gtest.h>

#include <string>

#include "goro/chan.hpp"
#include "goro/go.hpp"
#include "goro/os.hpp"
#include "goro/runtime.hpp"
#include "goro/sync.hpp"
#include "support/checks.hpp"
#include "unit/io/mem_streams.hpp"

namespace {

using goro_test::ChunkReader;
using goro_test::StringWriter;
using goro_test::ZeroReader;
namespace io = goro::io;

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = char('a' + (i * 7 + i / 13) % 26);
  return s;
}

TEST(Sentinels, MessagesAreGos) {
  EXPECT_EQ(io::eof.message(), "EOF");
  EXPECT_EQ(io::err_unexpected_eof.message(), "unexpected EOF");
  EXPECT_EQ(io::err_short_write.message(), "short write");
  EXPECT_EQ(io::err_no_progress.message(), "multiple Read calls return no data or error");
}

TEST(Bytes, ViewsStringsWithoutCopying) {
  std::string s = "hello";
  auto b = io::bytes(s);
  EXPECT_EQ(b.size(), 5u);
  EXPECT_EQ(static_cast<const void*>(b.data()), static_cast<const void*>(s.data()));
  EXPECT_EQ(io::as_string(b), "hello");
  auto w = io::writable_bytes(s);
  w[0] = std::byte('j');
  EXPECT_EQ(s, "jello");
}

TEST(WriteString, WritesAllOfIt) {
  StringWriter w;
  auto n = io::write_string(w, "hello, world");
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 12u);
  EXPECT_EQ(w.out, "hello, world");
}

TEST(Copy, CopiesUntilEofAndCountsBytes) {
  ChunkReader r{pattern(100'000), 1000};
  StringWriter w;
  auto n = io::copy(w, r);
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_EQ(*n, 100'000);
  EXPECT_EQ(w.out, r.data);
}

TEST(Copy, EmptySourceCopiesNothing) {
  ChunkReader r{""};
  StringWriter w;
  auto n = io::copy(w, r);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(w.writes, 0);
}

TEST(Copy, ReturnsReadErrorOtherThanEof) {
  auto boom = goro::errors::make("connection reset");
  ChunkReader r{"partial", 3, boom};
  StringWriter w;
  auto n = io::copy(w, r);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), boom);
  EXPECT_EQ(w.out, "partial");
}

TEST(Copy, ReturnsWriteError) {
  auto full = goro::errors::make("disk full");
  ChunkReader r{pattern(10'000), 100};
  StringWriter w;
  w.fail_after = 500;
  w.fail_with = full;
  auto n = io::copy(w, r);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), full);
}

TEST(Copy, ReaderMakingNoProgressFails) {
  ZeroReader r;
  StringWriter w;
  auto n = io::copy(w, r);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), io::err_no_progress);
}

TEST(Copy, OverAPipeFedByAGoroutine) {
  auto p = goro::os::pipe();
  ASSERT_TRUE(p);
  auto [rd, wr] = *p;
  const std::string data = pattern(1 << 20);
  goro::go([wr, data] {
    for (std::size_t off = 0; off < data.size(); off += 4093)
      ASSERT_TRUE(wr.write(io::bytes(std::string_view(data).substr(off, 4093))));
    wr.close();
  });
  StringWriter w;
  auto n = io::copy(w, rd);
  ASSERT_TRUE(n) << n.error().message();
  EXPECT_EQ(*n, std::int64_t(data.size()));
  EXPECT_TRUE(w.out == data);
  rd.close();
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(CopyN, CopiesExactlyN) {
  ChunkReader r{pattern(1000), 64};
  StringWriter w;
  auto n = io::copy_n(w, r, 300);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 300);
  EXPECT_EQ(w.out, r.data.substr(0, 300));
  EXPECT_EQ(r.pos, 300u);  // not one byte more was consumed
}

TEST(CopyN, ShortSourceFailsWithEof) {
  ChunkReader r{"abc"};
  StringWriter w;
  auto n = io::copy_n(w, r, 10);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), io::eof);
  EXPECT_EQ(w.out, "abc");
}

TEST(CopyN, ZeroOrNegativeCopiesNothing) {
  ChunkReader r{"abc"};
  StringWriter w;
  EXPECT_EQ(io::copy_n(w, r, 0).value(), 0);
  EXPECT_EQ(io::copy_n(w, r, -5).value(), 0);
  EXPECT_EQ(r.reads, 0);
}

TEST(ReadAll, ReadsEverything) {
  ChunkReader r{pattern(70'000), 333};
  auto s = io::read_all(r);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, r.data);
}

TEST(ReadAll, EmptyInputGivesEmptyString) {
  ChunkReader r{""};
  auto s = io::read_all(r);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "");
}

TEST(ReadAll, PropagatesErrors) {
  auto boom = goro::errors::make("boom");
  ChunkReader r{"abc", 1, boom};
  auto s = io::read_all(r);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), boom);
}

TEST(ReadFull, FillsTheBufferAcrossShortReads) {
  ChunkReader r{"0123456789", 3};
  std::string buf(8, '.');
  auto n = io::read_full(r, io::writable_bytes(buf));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 8u);
  EXPECT_EQ(buf, "01234567");
}

TEST(ReadFull, EofBeforeAnyByteIsEof) {
  ChunkReader r{""};
  std::string buf(4, '.');
  auto n = io::read_full(r, io::writable_bytes(buf));
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), io::eof);
}

TEST(ReadFull, EofPartWayIsUnexpectedEof) {
  ChunkReader r{"ab"};
  std::string buf(4, '.');
  auto n = io::read_full(r, io::writable_bytes(buf));
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), io::err_unexpected_eof);
  EXPECT_EQ(n.error().message(), "unexpected EOF");
}

TEST(AnyReader, LvalueIsUsedByReference) {
  ChunkReader r{"abcdef", 2};
  io::AnyReader any(r);
  std::string buf(2, '.');
  ASSERT_TRUE(any.read(io::writable_bytes(buf)));
  EXPECT_EQ(buf, "ab");
  EXPECT_EQ(r.pos, 2u);  // the original advanced
  io::AnyReader copy = any;
  ASSERT_TRUE(copy.read(io::writable_bytes(buf)));
  EXPECT_EQ(buf, "cd");
  EXPECT_EQ(r.pos, 4u);
}

TEST(AnyReader, RvalueIsOwnedAndSharedByCopies) {
  io::AnyReader any;
  {
    ChunkReader r{"xyz"};
    any = io::AnyReader(std::move(r));
  }
  io::AnyReader copy = any;
  auto s = io::read_all(copy);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "xyz");
  auto rest = io::read_all(any);  // same underlying reader, already drained
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, "");
}

TEST(AnyReader, NilFailsWithAClearError) {
  io::AnyReader any;
  EXPECT_FALSE(any);
  std::string buf(1, '.');
  auto n = any.read(io::writable_bytes(buf));
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().message(), "io: nil Reader");
  io::AnyWriter w;
  auto m = w.write(io::bytes("x"));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message(), "io: nil Writer");
}

TEST(AnyWriter, WrapsByReferenceAndCopyWorksThroughIt) {
  StringWriter w;
  io::AnyWriter any(w);
  ChunkReader r{"through any", 4};
  io::AnyReader anyr(r);
  auto n = io::copy(any, anyr);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 11);
  EXPECT_EQ(w.out, "through any");
}

TEST(Discard, AcceptsEverything) {
  ChunkReader r{pattern(50'000), 999};
  auto n = io::copy(io::Discard{}, r);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 50'000);
}

TEST(Pipe, WriteReturnsOnlyOnceEverythingWasRead) {
  auto [r, w] = io::pipe();
  auto done = goro::make_chan<std::size_t>(1);
  goro::go([w, done] { done.send(w.write(io::bytes("0123456789")).value_or(0)); });
  std::string buf(4, '.');
  ASSERT_EQ(r.read(io::writable_bytes(buf)).value(), 4u);
  EXPECT_EQ(buf, "0123");
  EXPECT_EQ(done.len(), 0u);  // 6 bytes still unread: the write has not returned
  std::string rest(16, '.');
  ASSERT_EQ(r.read(io::writable_bytes(rest)).value(), 6u);
  EXPECT_EQ(rest.substr(0, 6), "456789");
  EXPECT_EQ(*done.recv(), 10u);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Pipe, ClosingTheWriterEndsTheReader) {
  auto [r, w] = io::pipe();
  goro::go([w] {
    io::write_string(w, "last words");
    w.close();
  });
  auto all = io::read_all(r);
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, "last words");
  std::string buf(1, '.');
  EXPECT_EQ(r.read(io::writable_bytes(buf)).error(), io::eof);
  EXPECT_EQ(w.write(io::bytes("more")).error(), io::err_closed_pipe);
  r.close();
  EXPECT_EQ(r.read(io::writable_bytes(buf)).error(), io::err_closed_pipe);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Pipe, CloseWithErrorReachesTheOtherEnd) {
  auto boom = goro::errors::make("upstream failed");
  {
    auto [r, w] = io::pipe();
    w.close_with_error(boom);
    w.close_with_error(goro::errors::make("second"));  // the first error wins
    std::string buf(1, '.');
    EXPECT_EQ(r.read(io::writable_bytes(buf)).error(), boom);
  }
  {
    auto [r, w] = io::pipe();
    auto result = goro::make_chan<goro::Error>(1);
    goro::go([w, result] {
      auto n = w.write(io::bytes("never read"));
      result.send(n ? goro::Error() : n.error());
    });
    // The writer is blocked (nothing reads); closing the reader releases it.
    r.close_with_error(boom);
    EXPECT_EQ(*result.recv(), boom);
    auto [r2, w2] = io::pipe();
    r2.close();
    auto n = w2.write(io::bytes("x"));
    ASSERT_FALSE(n);
    EXPECT_EQ(n.error().message(), "io: read/write on closed pipe");
  }
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Pipe, ConcurrentWritesArriveWhole) {
  auto [r, w] = io::pipe();
  constexpr int writers = 4, messages = 200;
  goro::WaitGroup wg;
  wg.add(writers);
  for (int g = 0; g < writers; ++g) {
    goro::go([w, g, &wg] {
      for (int m = 0; m < messages; ++m)
        io::write_string(w, "g" + std::to_string(g) + "-" + std::to_string(m) + ";");
      wg.done();
    });
  }
  goro::go([w, &wg] {
    wg.wait();
    w.close();
  });
  // Read in 3-byte pieces; every message must still be contiguous and each
  // writer's messages in order.
  std::string all, buf(3, '.');
  for (;;) {
    auto n = r.read(io::writable_bytes(buf));
    if (!n) {
      EXPECT_EQ(n.error(), io::eof);
      break;
    }
    all.append(buf, 0, *n);
  }
  int next[writers] = {};
  std::size_t pos = 0;
  int count = 0;
  while (pos < all.size()) {
    std::size_t end = all.find(';', pos);
    ASSERT_NE(end, std::string::npos);
    std::string msg = all.substr(pos, end - pos);
    ASSERT_EQ(msg[0], 'g') << msg;
    int g = msg[1] - '0';
    ASSERT_TRUE(g >= 0 && g < writers) << msg;
    EXPECT_EQ(msg.substr(3), std::to_string(next[g])) << msg;
    ++next[g];
    ++count;
    pos = end + 1;
  }
  EXPECT_EQ(count, writers * messages);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Pipe, CopyThroughAPipe) {
  auto [r, w] = io::pipe();
  const std::string data = pattern(200'000);
  goro::go([w, data] {
    ChunkReader src{data, 1000};
    io::copy(w, src);
    w.close();
  });
  StringWriter out;
  auto n = io::copy(out, r);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 200'000);
  EXPECT_TRUE(out.out == data);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

}  // namespace
