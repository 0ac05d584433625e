// End-to-end: examples/words (article "Applications of Goroutines &
// Channels in Go"): a goroutine per word of "the quick brown fox jumped over
// the lazy dog" sends it to a printer goroutine. Every word is printed
// exactly once, in no guaranteed order — not "dog" nine times, the Go
// loop-variable gotcha the example avoids by copying the variable.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;

namespace {

std::vector<std::string> sorted_lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  std::sort(v.begin(), v.end());
  return v;
}

const std::vector<std::string> expected_words =
    sorted_lines("the\nquick\nbrown\nfox\njumped\nover\nthe\nlazy\ndog\n");

void check_words(std::vector<std::string> env, int runs) {
  for (int i = 0; i < runs; ++i) {
    ProcessResult r = run_process({example_path("words")}, "", 30s, env);
    ASSERT_TRUE(r.ok()) << "run " << i << ": exit " << r.exit_code << " signal " << r.signal << "\n"
                        << r.err;
    ASSERT_EQ(r.err, "") << "run " << i;
    ASSERT_FALSE(r.out.empty()) << "run " << i;
    ASSERT_EQ(r.out.back(), '\n') << "run " << i << ": " << r.out;
    // The same multiset of words ("the" twice), whatever the order.
    ASSERT_EQ(sorted_lines(r.out), expected_words) << "run " << i << ": " << r.out;
  }
}

// Several runs, since the order (and any bug) depends on scheduling.
TEST(Words, PrintsEveryWordExactlyOnce) { check_words({}, 20); }

TEST(Words, PrintsEveryWordExactlyOnceWithOneProcessor) { check_words({"GORO_MAXPROCS=1"}, 10); }

TEST(Words, PrintsEveryWordExactlyOnceWithManyProcessors) { check_words({"GORO_MAXPROCS=8"}, 10); }

}  // namespace
