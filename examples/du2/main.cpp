// gopl.io/ch8/du2
// The du2 command computes the disk usage of the files in a directory; with
// -v it shows the totals so far every half second.
//
// goro additions: -bytes prints the total in bytes rather than GB, and
// -progress sets the interval of the -v messages (default 500ms, as in the
// book), both for tests.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <goro/fmt.hpp>
#include <goro/goro.hpp>
#include <goro/os.hpp>

using namespace goro;

const bool* verbose = flag::boolean("v", false, "show verbose progress messages");
const bool* in_bytes = flag::boolean("bytes", false, "print the total in bytes, not GB");
const time::Duration* progress =
    flag::duration("progress", 500 * time::Millisecond, "interval of progress messages");

void walk_dir(const std::string& dir, SendChan<int64_t> file_sizes);
void print_disk_usage(int64_t nfiles, int64_t nbytes);

int main(int argc, char** argv) {
  // Determine the initial directories.
  flag::parse(argc, argv);
  std::vector<std::string> roots = flag::args();
  if (roots.empty()) {
    roots = {"."};
  }

  // Traverse the file tree.
  auto file_sizes = make_chan<int64_t>();
  go([&roots, file_sizes] {
    for (const auto& root : roots) {
      walk_dir(root, file_sizes);
    }
    file_sizes.close();
  });

  // Print the results periodically.
  RecvChan<time::Time> tick;  // Go: var tick <-chan time.Time (nil)
  if (*verbose) {
    tick = time::tick(*progress);  // Go: time.Tick(500 * time.Millisecond)
  }
  int64_t nfiles = 0, nbytes = 0;
  for (bool loop = true; loop;) {
    select(recv(file_sizes,
                [&](std::optional<int64_t> size) {
                  if (!size) {
                    loop = false;  // Go: break loop; file_sizes was closed
                    return;
                  }
                  nfiles++;
                  nbytes += *size;
                }),
           recv(tick, [&] { print_disk_usage(nfiles, nbytes); }));
  }
  print_disk_usage(nfiles, nbytes);  // final totals
}

void print_disk_usage(int64_t nfiles, int64_t nbytes) {
  if (*in_bytes) {
    goro::fmt::printf("{} files  {} bytes\n", nfiles, nbytes);
    return;
  }
  goro::fmt::printf("{} files  {:.1f} GB\n", nfiles, double(nbytes) / 1e9);
}

std::vector<os::DirEntry> dirents(const std::string& dir);

// walk_dir recursively walks the file tree rooted at dir
// and sends the size of each found file on file_sizes.
void walk_dir(const std::string& dir, SendChan<int64_t> file_sizes) {
  for (const auto& entry : dirents(dir)) {
    if (entry.is_dir()) {
      auto subdir = std::filesystem::path(dir) / entry.name();  // Go: filepath.Join
      walk_dir(subdir, file_sizes);
    } else {
      file_sizes.send(entry.size());
    }
  }
}

// dirents returns the entries of directory dir.
std::vector<os::DirEntry> dirents(const std::string& dir) {
  auto entries = os::read_dir(dir);  // Go: ioutil.ReadDir(dir)
  if (!entries) {
    goro::fmt::fprintf(os::stderr(), "du2: {}\n", entries.error());
    return {};
  }
  return std::move(*entries);
}
