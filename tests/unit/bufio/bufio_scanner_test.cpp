// bufio::Scanner: lines (with "\r\n", empty lines and a last line without
// newline), words, bytes and runes, token size limits, errors from the
// source and from split functions, and a pipe fed slowly by a goroutine.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "goro/bufio.hpp"
#include "goro/chan.hpp"
#include "goro/go.hpp"
#include "goro/os.hpp"
#include "goro/panic.hpp"
#include "goro/runtime.hpp"
#include "goro/time.hpp"
#include "support/checks.hpp"
#include "unit/io/mem_streams.hpp"

namespace {

using goro_test::ChunkReader;
using goro_test::ZeroReader;
namespace bufio = goro::bufio;
using namespace std::chrono_literals;

std::vector<std::string> scan_all(bufio::Scanner& s) {
  std::vector<std::string> out;
  while (s.scan()) out.push_back(s.text());
  return out;
}

using Lines = std::vector<std::string>;

TEST(ScanLines, SplitsOnNewlineAndStripsCarriageReturn) {
  for (std::size_t chunk : {std::size_t(1), std::size_t(2), std::size_t(1000)}) {
    ChunkReader r{"one\ntwo\r\n\nfour\r\n", chunk};
    bufio::Scanner s(r);
    EXPECT_EQ(scan_all(s), (Lines{"one", "two", "", "four"})) << "chunk " << chunk;
    EXPECT_FALSE(s.err());
    EXPECT_FALSE(s.scan());  // stays at the end
  }
}

TEST(ScanLines, FinalLineWithoutNewlineIsReturned) {
  ChunkReader r{"first\nlast without newline", 5};
  bufio::Scanner s(r);
  EXPECT_EQ(scan_all(s), (Lines{"first", "last without newline"}));
  EXPECT_FALSE(s.err());
}

TEST(ScanLines, LoneCarriageReturnAtEndIsDropped) {
  ChunkReader r{"a\r"};
  bufio::Scanner s(r);
  EXPECT_EQ(scan_all(s), (Lines{"a"}));
}

TEST(ScanLines, EmptyInputHasNoTokens) {
  ChunkReader r{""};
  bufio::Scanner s(r);
  EXPECT_FALSE(s.scan());
  EXPECT_FALSE(s.err());
}

TEST(ScanLines, LongLinesGrowTheBuffer) {
  std::string big(30'000, 'x');
  ChunkReader r{big + "\nshort\n" + big, 777};
  bufio::Scanner s(r);
  EXPECT_EQ(scan_all(s), (Lines{big, "short", big}));
  EXPECT_FALSE(s.err());
}

TEST(ScanLines, TokenTooLongWithTheDefaultLimit) {
  ChunkReader r{"ok\n" + std::string(bufio::max_scan_token_size + 10, 'y') + "\n", 4096};
  bufio::Scanner s(r);
  ASSERT_TRUE(s.scan());
  EXPECT_EQ(s.text(), "ok");
  EXPECT_FALSE(s.scan());
  ASSERT_TRUE(s.err());
  EXPECT_EQ(s.err(), bufio::err_too_long);
  EXPECT_EQ(s.err().message(), "bufio.Scanner: token too long");
  EXPECT_FALSE(s.scan());
}

TEST(ScanLines, BufferSetsTheMaximumTokenSize) {
  {
    ChunkReader r{"123456789\nabc\n"};  // 9 bytes + newline fit in 10
    bufio::Scanner s(r);
    s.buffer(0, 10);
    EXPECT_EQ(scan_all(s), (Lines{"123456789", "abc"}));
    EXPECT_FALSE(s.err());
  }
  {
    ChunkReader r{"abc\n1234567890\nlater\n"};
    bufio::Scanner s(r);
    s.buffer(4, 10);
    ASSERT_TRUE(s.scan());
    EXPECT_EQ(s.text(), "abc");
    EXPECT_FALSE(s.scan());
    EXPECT_EQ(s.err(), bufio::err_too_long);
  }
  {
    // A larger limit than the default lets a 100 KB line through.
    std::string big(100'000, 'z');
    ChunkReader r{big + "\n", 5000};
    bufio::Scanner s(r);
    s.buffer(64, 1 << 20);
    EXPECT_EQ(scan_all(s), (Lines{big}));
    EXPECT_FALSE(s.err());
  }
}

TEST(ScanWords, SplitsOnUnicodeWhiteSpace) {
  // U+3000 (ideographic space) and U+00A0 (no-break space) separate words;
  // é is part of a word.
  ChunkReader r{"  hello\tworld\n\n caf\xc3\xa9\xe3\x80\x80next\xc2\xa0last  ", 3};
  bufio::Scanner s(r);
  s.split(bufio::scan_words);
  EXPECT_EQ(scan_all(s), (Lines{"hello", "world", "caf\xc3\xa9", "next", "last"}));
  EXPECT_FALSE(s.err());
}

TEST(ScanWords, OnlySpacesGiveNoWords) {
  ChunkReader r{" \t\n  \r\n ", 2};
  bufio::Scanner s(r);
  s.split(bufio::scan_words);
  EXPECT_FALSE(s.scan());
  EXPECT_FALSE(s.err());
}

TEST(ScanBytesAndRunes, OneTokenEach) {
  {
    ChunkReader r{"ab\n"};
    bufio::Scanner s(r);
    s.split(bufio::scan_bytes);
    EXPECT_EQ(scan_all(s), (Lines{"a", "b", "\n"}));
  }
  {
    // A rune split across reads is reassembled; an invalid byte is U+FFFD.
    ChunkReader r{"h\xc3\xa9\xe2\x82\xac\xff!", 1};
    bufio::Scanner s(r);
    s.split(bufio::scan_runes);
    EXPECT_EQ(scan_all(s), (Lines{"h", "\xc3\xa9", "\xe2\x82\xac", "\xef\xbf\xbd", "!"}));
  }
}

TEST(Scanner, SourceErrorEndsTheInputAndIsReported) {
  auto reset = goro::errors::make("connection reset by peer");
  ChunkReader r{"a\nb\npartial", 2, reset};
  bufio::Scanner s(r);
  Lines got = scan_all(s);
  // As in Go, the split function sees the input as ended at any error, so
  // the partial line is handed out too; err() then reports the error.
  EXPECT_EQ(got, (Lines{"a", "b", "partial"}));
  EXPECT_EQ(s.err(), reset);
}

TEST(Scanner, ReaderMakingNoProgressIsAnError) {
  ZeroReader r;
  bufio::Scanner s(r);
  EXPECT_FALSE(s.scan());
  EXPECT_EQ(s.err(), goro::io::err_no_progress);
}

TEST(Scanner, CustomSplitFunctionsAndTheirErrors) {
  // Comma-separated fields, stopping with err_final_token at a ';'.
  auto csv = [](std::span<const std::byte> data, bool at_eof) -> bufio::SplitResult {
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (data[i] == std::byte(',')) return {i + 1, data.first(i), {}};
      if (data[i] == std::byte(';')) return {i + 1, data.first(i), bufio::err_final_token};
    }
    if (at_eof && !data.empty()) return {data.size(), data, {}};
    return {};
  };
  {
    ChunkReader r{"a,bb,,c;ignored,x", 1};
    bufio::Scanner s(r);
    s.split(csv);
    EXPECT_EQ(scan_all(s), (Lines{"a", "bb", "", "c"}));
    EXPECT_FALSE(s.err());
  }
  {
    auto bad = goro::errors::make("bad field");
    ChunkReader r{"a,b,"};
    bufio::Scanner s(r);
    s.split([&](std::span<const std::byte> data, bool) -> bufio::SplitResult {
      if (data.size() >= 2) return {2, data.first(1), {}};
      return {0, std::nullopt, bad};
    });
    EXPECT_EQ(scan_all(s), (Lines{"a", "b"}));
    EXPECT_EQ(s.err(), bad);
  }
  {
    ChunkReader r{"abc"};
    bufio::Scanner s(r);
    s.split([](std::span<const std::byte> data, bool) -> bufio::SplitResult {
      return {data.size() + 1, data, {}};
    });
    EXPECT_FALSE(s.scan());
    EXPECT_EQ(s.err().message(), "bufio.Scanner: SplitFunc returns advance count beyond input");
  }
  {
    // Empty tokens forever at EOF: an error, not a hang.
    ChunkReader r{""};
    bufio::Scanner s(r);
    s.split([](std::span<const std::byte> data, bool) -> bufio::SplitResult {
      return {0, data.first(0), {}};
    });
    int n = 0;
    while (s.scan() && n < 1000) ++n;
    EXPECT_LT(n, 1000);
    EXPECT_EQ(s.err(), bufio::err_no_progress);
  }
  {
    // The same before the end of input.
    ChunkReader r{"abc"};
    bufio::Scanner s(r);
    s.split([](std::span<const std::byte> data, bool) -> bufio::SplitResult {
      return {0, data.first(0), {}};
    });
    int n = 0;
    while (s.scan() && n < 1000) ++n;
    EXPECT_LT(n, 1000);
    EXPECT_EQ(s.err().message(), "bufio.Scan: too many empty tokens without progressing");
  }
}

TEST(Scanner, SplitOrBufferAfterScanPanics) {
  ChunkReader r{"a\nb\n"};
  bufio::Scanner s(r);
  ASSERT_TRUE(s.scan());
  EXPECT_EQ(panic_message([&] { s.split(bufio::scan_words); }),
            "bufio.Scanner: split called after scan");
  EXPECT_EQ(panic_message([&] { s.buffer(10, 10); }), "bufio.Scanner: buffer called after scan");
}

TEST(Scanner, OverAPipeFedSlowlyByAGoroutine) {
  auto p = goro::os::pipe();
  ASSERT_TRUE(p);
  auto [rd, wr] = *p;
  // The writer sends lines in fragments that cut lines (and "\r\n") apart,
  // pausing between them so the scanner sees many short reads.
  const std::string text = "alpha\nbeta\r\ngamma\n\ndelta epsilon\nlast";
  goro::go([wr, text] {
    for (std::size_t off = 0; off < text.size(); off += 3) {
      ASSERT_TRUE(wr.write_string(std::string_view(text).substr(off, 3)));
      goro::sleep(1ms);
    }
    wr.close();
  });
  auto lines = goro::make_chan<std::string>();
  goro::go([rd, lines] {
    bufio::Scanner input(rd);
    while (input.scan()) lines.send(input.text());
    if (input.err()) lines.send("error: " + input.err().message());
    lines.close();
  });
  Lines got;
  for (std::string line : lines) got.push_back(line);
  EXPECT_EQ(got, (Lines{"alpha", "beta", "gamma", "", "delta epsilon", "last"}));
  rd.close();
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST(Scanner, OwnsATemporarySource) {
  bufio::Scanner s(ChunkReader{"x\ny\n"});  // moved in, kept alive by the scanner
  EXPECT_EQ(scan_all(s), (Lines{"x", "y"}));
}

}  // namespace
