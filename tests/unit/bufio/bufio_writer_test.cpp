// bufio::Writer: buffering until flush or a full buffer, large writes,
// write_byte, the sticky error, and the default size.
#include <gtest/gtest.h>

#include <string>

#include "goro/bufio.hpp"
#include "goro/os.hpp"
#include "unit/io/mem_streams.hpp"

namespace {

using goro_test::StringWriter;
namespace bufio = goro::bufio;
namespace io = goro::io;

TEST(Writer, DefaultSizeIs4096) {
  StringWriter w;
  bufio::Writer bw(w);
  EXPECT_EQ(bw.size(), 4096u);
  EXPECT_EQ(bw.available(), 4096u);
  EXPECT_EQ(bw.buffered(), 0u);
}

TEST(Writer, HoldsDataUntilFlush) {
  StringWriter w;
  bufio::Writer bw(w);
  EXPECT_EQ(bw.write_string("hello, ").value(), 7u);
  EXPECT_FALSE(bw.write_byte('w'));
  EXPECT_EQ(bw.write(io::bytes("orld")).value(), 4u);
  EXPECT_EQ(w.writes, 0);
  EXPECT_EQ(bw.buffered(), 12u);
  EXPECT_FALSE(bw.flush());
  EXPECT_EQ(w.out, "hello, world");
  EXPECT_EQ(w.writes, 1);
  EXPECT_FALSE(bw.flush());  // nothing left: no write
  EXPECT_EQ(w.writes, 1);
}

TEST(Writer, FlushesWhenFullAndKeepsOrder) {
  StringWriter w;
  bufio::Writer bw(w, 16);
  std::string expect;
  for (int i = 0; i < 200; ++i) {
    std::string piece(std::size_t(i % 23), char('a' + i % 26));
    ASSERT_EQ(bw.write_string(piece).value(), piece.size());
    expect += piece;
    EXPECT_LE(bw.buffered(), 16u);
  }
  ASSERT_FALSE(bw.flush());
  EXPECT_EQ(w.out, expect);
  EXPECT_GT(w.writes, 10);
}

TEST(Writer, LargeWriteOnEmptyBufferGoesStraightThrough) {
  StringWriter w;
  bufio::Writer bw(w, 16);
  std::string big(100, 'B');
  ASSERT_EQ(bw.write_string(big).value(), 100u);
  EXPECT_EQ(w.writes, 1);
  EXPECT_EQ(w.out, big);
  EXPECT_EQ(bw.buffered(), 0u);
}

TEST(Writer, ErrorsAreSticky) {
  auto broken = goro::errors::make("broken pipe");
  StringWriter w;
  w.fail_after = 0;
  w.fail_with = broken;
  bufio::Writer bw(w, 16);
  ASSERT_TRUE(bw.write_string("small"));  // only buffered
  EXPECT_EQ(bw.flush(), broken);
  EXPECT_EQ(bw.write_string("more").error(), broken);
  EXPECT_EQ(bw.write_byte('x'), broken);
  EXPECT_EQ(bw.flush(), broken);
  bw.reset(io::Discard{});
  EXPECT_TRUE(bw.write_string("fine"));
  EXPECT_FALSE(bw.flush());
}

TEST(Writer, OverAFile) {
  auto p = goro::os::pipe();
  ASSERT_TRUE(p);
  auto [rd, wr] = *p;
  bufio::Writer bw(wr, 8);
  ASSERT_TRUE(bw.write_string("0123456789"));
  ASSERT_FALSE(bw.flush());
  wr.close();
  auto all = io::read_all(rd);
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, "0123456789");
}

}  // namespace
