// Directories: read_dir over a generated tree (sorted names, sizes, lstat
// semantics for symlinks), its errors, a du-style concurrent walk, and
// mkdir, mkdir_all, mkdir_temp, remove, remove_all.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "goro/chan.hpp"
#include "goro/go.hpp"
#include "goro/os.hpp"
#include "goro/runtime.hpp"
#include "goro/sync.hpp"
#include "support/checks.hpp"
#include "unit/os/temp_dir.hpp"

namespace {

namespace os = goro::os;
using DirTest = goro_test::TempDirTest;

void must_write(const std::string& p, std::size_t size) {
  ASSERT_FALSE(os::write_file(p, std::string(size, 'x'))) << p;
}

TEST_F(DirTest, ReadDirListsSortedEntriesWithSizes) {
  must_write(path("b.txt"), 300);
  must_write(path("a.txt"), 10);
  must_write(path("C"), 0);
  ASSERT_FALSE(os::mkdir(path("sub")));
  must_write(path("sub/inner"), 4096);
  ASSERT_EQ(::symlink("sub", path("zlink").c_str()), 0);

  auto entries = os::read_dir(dir_);
  ASSERT_TRUE(entries) << entries.error().message();
  std::vector<std::string> names;
  for (const auto& e : *entries) names.push_back(e.name());
  EXPECT_EQ(names, (std::vector<std::string>{"C", "a.txt", "b.txt", "sub", "zlink"}));

  const auto& e = *entries;
  EXPECT_EQ(e[0].size(), 0);
  EXPECT_EQ(e[1].size(), 10);
  EXPECT_EQ(e[2].size(), 300);
  EXPECT_FALSE(e[2].is_dir());
  EXPECT_TRUE(e[2].info().mode().is_regular());
  EXPECT_TRUE(e[3].is_dir());
  EXPECT_EQ(e[3].type(), os::FileMode(os::FileMode::dir));
  // A symlink to a directory is a link, not a directory (lstat).
  EXPECT_FALSE(e[4].is_dir());
  EXPECT_EQ(e[4].type(), os::FileMode(os::FileMode::symlink));
  EXPECT_EQ(e[4].size(), 3);  // "sub"

  auto sub = os::read_dir(path("sub"));
  ASSERT_TRUE(sub);
  ASSERT_EQ(sub->size(), 1u);
  EXPECT_EQ((*sub)[0].name(), "inner");
  EXPECT_EQ((*sub)[0].info().size(), 4096);
}

TEST_F(DirTest, EmptyDirectoryHasNoEntries) {
  auto entries = os::read_dir(dir_);
  ASSERT_TRUE(entries);
  EXPECT_TRUE(entries->empty());
}

TEST_F(DirTest, ReadDirErrors) {
  auto missing = os::read_dir(path("missing"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), "open " + path("missing") + ": no such file or directory");
  EXPECT_TRUE(os::is_not_exist(missing.error()));
  must_write(path("file"), 1);
  auto file = os::read_dir(path("file"));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().message(), "open " + path("file") + ": not a directory");
}

// du4's walk: a goroutine per directory, sizes sent on a channel.
void walk_dir(const std::string& dir, goro::WaitGroup& n, goro::Chan<std::int64_t> sizes,
              std::atomic<int>& errors) {
  auto entries = os::read_dir(dir);
  if (!entries) ++errors;
  if (entries) {
    for (const auto& entry : *entries) {
      if (entry.is_dir()) {
        n.add(1);
        std::string subdir = dir + "/" + entry.name();
        goro::go([subdir, &n, sizes, &errors] { walk_dir(subdir, n, sizes, errors); });
      } else {
        sizes.send(entry.size());
      }
    }
  }
  n.done();
}

TEST_F(DirTest, ConcurrentWalkOfAGeneratedTreeAddsUp) {
  // 3 levels, 4 subdirectories each, 5 files per directory of varying sizes.
  std::int64_t want_bytes = 0, want_files = 0;
  std::vector<std::string> level{dir_};
  for (int depth = 0; depth < 3; ++depth) {
    std::vector<std::string> next;
    for (const auto& d : level) {
      for (int f = 0; f < 5; ++f) {
        std::size_t size = std::size_t(depth * 100 + f * 17 + int(d.size()) % 7);
        must_write(d + "/f" + std::to_string(f), size);
        want_bytes += std::int64_t(size);
        ++want_files;
      }
      for (int s = 0; s < 4; ++s) {
        std::string sub = d + "/d" + std::to_string(s);
        ASSERT_FALSE(os::mkdir(sub));
        next.push_back(sub);
      }
    }
    level = next;
  }
  auto sizes = goro::make_chan<std::int64_t>();
  goro::WaitGroup n;
  std::atomic<int> errors{0};
  n.add(1);
  std::string root = dir_;
  goro::go([root, &n, sizes, &errors] { walk_dir(root, n, sizes, errors); });
  goro::go([&n, sizes] {
    n.wait();
    sizes.close();
  });
  std::int64_t nfiles = 0, nbytes = 0;
  for (std::int64_t size : sizes) {
    ++nfiles;
    nbytes += size;
  }
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(nfiles, want_files);
  EXPECT_EQ(nbytes, want_bytes);
  EXPECT_TRUE(eventually([] { return goro::num_goroutine() == 1; }));
}

TEST_F(DirTest, MkdirMkdirAllRemoveRemoveAll) {
  mode_t old_mask = ::umask(022);
  ASSERT_FALSE(os::mkdir(path("a"), 0777));
  ::umask(old_mask);
  EXPECT_EQ(os::stat(path("a"))->mode().perm(), os::FileMode(0755));
  auto again = os::mkdir(path("a"));
  EXPECT_EQ(again.message(), "mkdir " + path("a") + ": file exists");
  EXPECT_TRUE(os::is_exist(again));

  ASSERT_FALSE(os::mkdir_all(path("x/y/z/")));
  EXPECT_TRUE(os::stat(path("x/y/z"))->is_dir());
  EXPECT_FALSE(os::mkdir_all(path("x/y")));  // already there
  must_write(path("x/file"), 3);
  EXPECT_EQ(os::mkdir_all(path("x/file")).message(),
            "mkdir " + path("x/file") + ": not a directory");

  EXPECT_EQ(os::remove(path("x")).message(), "remove " + path("x") + ": directory not empty");
  EXPECT_FALSE(os::remove(path("x/file")));
  EXPECT_EQ(os::remove(path("x/file")).message(),
            "remove " + path("x/file") + ": no such file or directory");
  EXPECT_FALSE(os::remove(path("x/y/z")));

  must_write(path("x/y/deep"), 10);
  ASSERT_EQ(::symlink(dir_.c_str(), path("x/loop").c_str()), 0);  // not followed
  EXPECT_FALSE(os::remove_all(path("x")));
  EXPECT_TRUE(os::is_not_exist(os::lstat(path("x")).error()));
  EXPECT_TRUE(os::stat(path("a"))->is_dir());  // the link's target survived
  EXPECT_FALSE(os::remove_all(path("never-existed")));
  EXPECT_EQ(os::remove_all(path(".")).message(), "RemoveAll " + path(".") + ": invalid argument");
}

TEST_F(DirTest, MkdirTempMakesFreshDirectories) {
  auto a = os::mkdir_temp(dir_, "job-*.d");
  auto b = os::mkdir_temp(dir_, "job-*.d");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  for (const auto& p : {*a, *b}) {
    std::string base = p.substr(p.rfind('/') + 1);
    EXPECT_TRUE(base.starts_with("job-")) << base;
    EXPECT_TRUE(base.ends_with(".d")) << base;
    EXPECT_GT(base.size(), 6u);
    EXPECT_TRUE(os::stat(p)->is_dir());
  }
  auto plain = os::mkdir_temp(dir_, "plain");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->substr(plain->rfind('/') + 1).starts_with("plain"));
  EXPECT_EQ(os::mkdir_temp(dir_, "a/b").error().message(),
            "mkdirtemp a/b: pattern contains path separator");
  EXPECT_TRUE(os::is_not_exist(os::mkdir_temp(path("missing"), "x").error()));
  ::setenv("TMPDIR", dir_.c_str(), 1);
  EXPECT_EQ(os::temp_dir(), dir_);
  auto in_tmp = os::mkdir_temp("", "t");
  ASSERT_TRUE(in_tmp);
  EXPECT_TRUE(in_tmp->starts_with(dir_ + "/t"));
  ::unsetenv("TMPDIR");
  EXPECT_EQ(os::temp_dir(), "/tmp");
}

}  // namespace
