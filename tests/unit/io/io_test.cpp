// goro::io helpers: copy, copy_n, read_all, read_full, write_string, the
// byte views, AnyReader/AnyWriter and Discard, over in-memory streams and
// OS pipes.
#include "goro/io.hpp"

#include <gtest/gtest.h>

#include <string>

#include "goro/go.hpp"
#include "goro/os.hpp"
#include "goro/runtime.hpp"
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

}  // namespace
