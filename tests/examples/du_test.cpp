// End-to-end: gopl.io/ch8 du1-du4 report the number and total size of the
// files under their roots. On a generated tree the totals must be the
// exact sums; du2 and du3 print progress with -v; du4 stops when a byte
// arrives on stdin and then has no goroutine left but main.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Totals {
  int64_t files = 0;
  int64_t bytes = 0;
  std::string line() const {
    return std::to_string(files) + " files  " + std::to_string(bytes) + " bytes";
  }
};

// A temporary tree: `dirs` directories (some nested four deep, some empty)
// holding files of assorted sizes.
class Tree {
 public:
  explicit Tree(int dirs = 60, int files_per_dir = 30) {
    std::string tmpl = (fs::temp_directory_path() / "du_test.XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    uint32_t seed = 12345;
    for (int d = 0; d < dirs; d++) {
      fs::path dir = root_ / ("d" + std::to_string(d % 4));
      for (int depth = 0; depth < d % 5; depth++) dir /= "sub" + std::to_string(d);
      dir /= "leaf" + std::to_string(d);
      fs::create_directories(dir);
      int n = d % 7 == 6 ? 0 : files_per_dir;  // some directories stay empty
      for (int f = 0; f < n; f++) {
        seed = seed * 1103515245 + 12345;
        int64_t size = (seed >> 8) % 5000;
        std::ofstream(dir / ("f" + std::to_string(f) + ".dat")) << std::string(size_t(size), 'x');
        add(dir.string(), size);
      }
    }
  }
  ~Tree() { fs::remove_all(root_); }

  std::string root() const { return root_.string(); }
  std::string sub(int i) const { return (root_ / ("d" + std::to_string(i))).string(); }
  // What a walk of these subtrees finds (the whole tree by default).
  Totals totals(std::vector<std::string> under = {}) const {
    Totals t;
    for (const auto& e : entries_) {
      bool in = under.empty();
      for (const auto& u : under) in = in || e.first.rfind(u + "/", 0) == 0 || e.first == u;
      if (in) t.files++, t.bytes += e.second;
    }
    return t;
  }

 private:
  void add(std::string dir, int64_t size) { entries_.emplace_back(std::move(dir), size); }
  fs::path root_;
  std::vector<std::pair<std::string, int64_t>> entries_;
};

// The real sum, from the file system.
Totals walk(const std::string& root) {
  Totals t;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (!e.is_directory()) t.files++, t.bytes += int64_t(e.file_size());
  return t;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (size_t nl; (nl = s.find('\n', pos)) != std::string::npos; pos = nl + 1)
    out.push_back(s.substr(pos, nl - pos));
  return out;
}

ProcessResult du(const std::string& name, std::vector<std::string> args) {
  args.insert(args.begin(), example_path(name));
  return run_process(args, "", 60s);
}

class Du : public ::testing::TestWithParam<const char*> {};

TEST_P(Du, TotalIsTheExactSumOfTheFileSizes) {
  Tree tree;
  Totals want = walk(tree.root());
  ASSERT_EQ(want.line(), tree.totals().line()) << "the tree is not what was written";
  ASSERT_GT(want.files, 1000);
  ProcessResult r = du(GetParam(), {"-bytes", tree.root()});
  ASSERT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out, want.line() + "\n");
  EXPECT_EQ(r.err, "");
}

TEST_P(Du, SeveralRootsAddUp) {
  Tree tree;
  Totals want = tree.totals({tree.sub(1), tree.sub(2)});
  ASSERT_GT(want.files, 0);
  ProcessResult r = du(GetParam(), {"-bytes", tree.sub(1), tree.sub(2)});
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, want.line() + "\n");
}

TEST_P(Du, PrintsGigabytesByDefaultAndReportsUnreadableDirectories) {
  Tree tree(8, 10);
  Totals want = walk(tree.root());
  ProcessResult r = du(GetParam(), {tree.root(), "/nonexistent-du-root"});
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, std::to_string(want.files) + " files  0.0 GB\n");
  EXPECT_EQ(r.err,
            std::string(GetParam()) + ": open /nonexistent-du-root: no such file or directory\n");
}

// du4 cancels when its stdin ends, so it runs with stdin held open.
INSTANTIATE_TEST_SUITE_P(Examples, Du, ::testing::Values("du1", "du2", "du3"));

// Progress lines with -v: non-decreasing, the last one the exact total.
void check_progress(const std::string& name) {
  Tree tree;
  Totals want = walk(tree.root());
  ProcessResult quiet = du(name, {"-bytes", "-progress", "1ms", tree.root()});
  ASSERT_TRUE(quiet.ok()) << quiet.err;
  EXPECT_EQ(quiet.out, want.line() + "\n") << "progress without -v";

  ProcessResult r = du(name, {"-v", "-bytes", "-progress", "1ms", tree.root()});
  ASSERT_TRUE(r.ok()) << r.err;
  auto ls = lines(r.out);
  ASSERT_GE(ls.size(), 2u) << "no progress messages:\n" << r.out;
  EXPECT_EQ(ls.back(), want.line());
  int64_t prev_files = 0, prev_bytes = 0;
  std::regex line_re(R"((\d+) files  (\d+) bytes)");
  for (const auto& l : ls) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(l, m, line_re)) << l;
    int64_t files = std::stoll(m[1]), bytes = std::stoll(m[2]);
    EXPECT_GE(files, prev_files);
    EXPECT_GE(bytes, prev_bytes);
    EXPECT_LE(files, want.files);
    EXPECT_LE(bytes, want.bytes);
    prev_files = files, prev_bytes = bytes;
  }
}

TEST(Du2, VerboseShowsProgress) { check_progress("du2"); }
TEST(Du3, VerboseShowsProgress) { check_progress("du3"); }

TEST(Du3, WalksDirectoriesInParallel) {
  // A wide tree: far more directories than the semaphore's 20 tokens.
  Tree tree(400, 3);
  Totals want = walk(tree.root());
  ProcessResult r = du("du3", {"-bytes", tree.root()});
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, want.line() + "\n");
}

TEST(Du4, TotalIsTheExactSumWhenNotCancelled) {
  Tree tree;
  Totals want = walk(tree.root());
  // No progress messages, and stdin left open: nobody cancels.
  ChildProcess p({example_path("du4"), "-bytes", "-progress", "1h", tree.root()});
  EXPECT_EQ(p.read_line(60s), want.line());
  auto t0 = std::chrono::steady_clock::now();
  while (p.running() && std::chrono::steady_clock::now() - t0 < 10s)
    std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(p.running()) << "du4 did not exit after printing the totals";
  ProcessResult r = p.wait(10s);
  EXPECT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, want.line() + "\n");
}

TEST(Du4, InputCancelsTheWalkAndNoGoroutineIsLeft) {
  // A walk long enough to be interrupted: /usr, three times over.
  ChildProcess p({example_path("du4"), "-bytes", "-progress", "50ms", "/usr", "/usr", "/usr"});
  auto first = p.read_line(60s);
  ASSERT_TRUE(first) << "no progress line";
  ASSERT_TRUE(std::regex_match(*first, std::regex(R"(\d+ files  \d+ bytes)"))) << *first;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(p.write_stdin("\n"));
  auto last = p.read_line_until("cancelled", 20s);
  EXPECT_EQ(last, "cancelled: 1 goroutine left") << p.out();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 10.0) << "cancellation took " << s << " s";
  ProcessResult r = p.wait(10s);
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
  EXPECT_EQ(r.out.substr(r.out.size() - last->size() - 1), *last + "\n") << "output after cancel";
}

}  // namespace
