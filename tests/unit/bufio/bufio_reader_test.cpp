// bufio::Reader: read_string with and without the trailing delimiter, lines
// longer than the buffer, read_line, read_byte/unread_byte, read, peek,
// discard, and errors from the source.
#include <gtest/gtest.h>

#include <string>

#include "goro/bufio.hpp"
#include "goro/go.hpp"
#include "goro/os.hpp"
#include "goro/runtime.hpp"
#include "support/checks.hpp"
#include "unit/io/mem_streams.hpp"

namespace {

using goro_test::ChunkReader;
namespace bufio = goro::bufio;
namespace io = goro::io;

TEST(ReadString, ReturnsDataUpToAndIncludingTheDelimiter) {
  ChunkReader r{"alice\nbob\n", 3};
  bufio::Reader br(r);
  auto [name, err] = br.read_string('\n');
  EXPECT_EQ(name, "alice\n");
  EXPECT_FALSE(err);
  auto second = br.read_string('\n');
  EXPECT_EQ(second.str, "bob\n");
  EXPECT_FALSE(second.err);
  auto end = br.read_string('\n');
  EXPECT_EQ(end.str, "");
  EXPECT_EQ(end.err, io::eof);
}

TEST(ReadString, WithoutTrailingDelimiterGivesTheDataAndEof) {
  ChunkReader r{"one;two", 2};
  bufio::Reader br(r);
  auto a = br.read_string(';');
  EXPECT_EQ(a.str, "one;");
  EXPECT_FALSE(a.err);
  auto b = br.read_string(';');
  EXPECT_EQ(b.str, "two");
  EXPECT_EQ(b.err, io::eof);
  auto c = br.read_string(';');
  EXPECT_EQ(c.str, "");
  EXPECT_EQ(c.err, io::eof);
}

TEST(ReadString, LinesLongerThanTheBuffer) {
  std::string longline(1000, 'q');
  ChunkReader r{longline + "\nend\n", 7};
  bufio::Reader br(r, 16);
  EXPECT_EQ(br.size(), 16u);
  auto a = br.read_string('\n');
  EXPECT_EQ(a.str, longline + "\n");
  EXPECT_FALSE(a.err);
  EXPECT_EQ(br.read_string('\n').str, "end\n");
}

TEST(ReadString, SourceErrorComesWithThePartialData) {
  auto reset = goro::errors::make("connection reset by peer");
  ChunkReader r{"half a li", 4, reset};
  bufio::Reader br(r);
  auto [s, err] = br.read_string('\n');
  EXPECT_EQ(s, "half a li");
  EXPECT_EQ(err, reset);
}

TEST(ReadString, OverAPipeWrittenInPieces) {
  auto p = goro::os::pipe();
  ASSERT_TRUE(p);
  auto [rd, wr] = *p;
  goro::go([wr] {
    wr.write_string("Hel");
    wr.write_string("lo\nWor");
    wr.write_string("ld\n");
    wr.close();
  });
  bufio::Reader br(rd);
  EXPECT_EQ(br.read_string('\n').str, "Hello\n");
  EXPECT_EQ(br.read_string('\n').str, "World\n");
  EXPECT_EQ(br.read_string('\n').err, io::eof);
  rd.close();
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(ReadLine, StripsLineEndingsAndReportsPrefixes) {
  ChunkReader r{"short\r\n0123456789abcdefXYZ\nlast", 5};
  bufio::Reader br(r, 16);
  auto a = br.read_line();
  EXPECT_EQ(a.line, "short");
  EXPECT_FALSE(a.is_prefix);
  EXPECT_FALSE(a.err);
  auto b = br.read_line();  // 16-byte buffer: the first part only
  EXPECT_EQ(b.line, "0123456789abcdef");
  EXPECT_TRUE(b.is_prefix);
  auto c = br.read_line();
  EXPECT_EQ(c.line, "XYZ");
  EXPECT_FALSE(c.is_prefix);
  auto d = br.read_line();
  EXPECT_EQ(d.line, "last");
  EXPECT_FALSE(d.err);
  auto e = br.read_line();
  EXPECT_EQ(e.line, "");
  EXPECT_EQ(e.err, io::eof);
}

TEST(ReadLine, CarriageReturnNewlineAcrossTheBufferBoundary) {
  ChunkReader r{"0123456789abcde\r\nnext\n"};
  bufio::Reader br(r, 16);
  auto a = br.read_line();
  EXPECT_EQ(a.line, "0123456789abcde");
  EXPECT_TRUE(a.is_prefix);
  auto b = br.read_line();
  EXPECT_EQ(b.line, "");  // the "\r\n" ends the line
  EXPECT_FALSE(b.is_prefix);
  EXPECT_EQ(br.read_line().line, "next");
}

TEST(ReadByte, ReadsAndUnreads) {
  ChunkReader r{"ab", 1};
  bufio::Reader br(r);
  auto a = br.read_byte();
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, 'a');
  EXPECT_FALSE(br.unread_byte());
  EXPECT_EQ(br.unread_byte(), bufio::err_invalid_unread_byte);
  EXPECT_EQ(br.read_byte().value(), 'a');
  EXPECT_EQ(br.read_byte().value(), 'b');
  auto end = br.read_byte();
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error(), io::eof);
  EXPECT_EQ(br.unread_byte().message(), "bufio: invalid use of UnreadByte");
}

TEST(Read, SmallReadsComeFromTheBufferLargeOnesBypassIt) {
  std::string data(10'000, 'm');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = char('a' + i % 26);
  ChunkReader r{data};
  bufio::Reader br(r, 64);
  std::string small(10, '.');
  ASSERT_EQ(br.read(io::writable_bytes(small)).value(), 10u);
  EXPECT_EQ(small, data.substr(0, 10));
  EXPECT_EQ(br.buffered(), 54u);  // one 64-byte fill
  EXPECT_EQ(r.reads, 1);
  std::string rest;
  std::string big(1000, '.');
  for (;;) {
    auto n = br.read(io::writable_bytes(big));
    if (!n) {
      EXPECT_EQ(n.error(), io::eof);
      break;
    }
    ASSERT_GE(*n, 1u);
    rest.append(big, 0, *n);
  }
  EXPECT_TRUE(rest == data.substr(10));
  std::string none;
  EXPECT_EQ(br.read(io::writable_bytes(none)).value(), 0u);
}

TEST(PeekAndDiscard, LookAheadAndSkip) {
  ChunkReader r{"0123456789", 3};
  bufio::Reader br(r, 16);
  auto p = br.peek(5);
  ASSERT_TRUE(p);
  EXPECT_EQ(io::as_string(*p), "01234");
  EXPECT_EQ(br.discard(3).value(), 3u);
  EXPECT_EQ(br.read_string('\n').str, "3456789");
  auto too_big = br.peek(17);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error(), bufio::err_buffer_full);
  ChunkReader r2{"ab"};
  bufio::Reader br2(r2);
  EXPECT_EQ(br2.peek(3).error(), io::eof);
  EXPECT_EQ(br2.discard(5).error(), io::eof);
}

TEST(Reader, IsAnIoReaderForCopy) {
  ChunkReader r{"through bufio", 2};
  bufio::Reader br(r, 16);
  goro_test::StringWriter w;
  auto n = io::copy(w, br);
  ASSERT_TRUE(n);
  EXPECT_EQ(w.out, "through bufio");
}

}  // namespace
