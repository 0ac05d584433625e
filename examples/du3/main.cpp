// gopl.io/ch8/du3
// The du3 command computes the disk usage of the files in a directory. It
// walks every directory in a goroutine of its own; a counting semaphore
// limits how many directories are read at once.
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

// Go's defer: runs f when the enclosing scope ends.
template <class F>
struct defer {
  F f;
  ~defer() { f(); }
};

const bool* verbose = flag::boolean("v", false, "show verbose progress messages");
const bool* in_bytes = flag::boolean("bytes", false, "print the total in bytes, not GB");
const time::Duration* progress =
    flag::duration("progress", 500 * time::Millisecond, "interval of progress messages");

void walk_dir(std::string dir, WaitGroup* n, SendChan<int64_t> file_sizes);
void print_disk_usage(int64_t nfiles, int64_t nbytes);

int main(int argc, char** argv) {
  // Determine the initial directories.
  flag::parse(argc, argv);
  std::vector<std::string> roots = flag::args();
  if (roots.empty()) {
    roots = {"."};
  }

  // Traverse each root of the file tree in parallel.
  auto file_sizes = make_chan<int64_t>();
  WaitGroup n;
  for (const auto& root : roots) {
    n.add(1);
    go(walk_dir, root, &n, file_sizes);
  }
  go([&n, file_sizes] {
    n.wait();
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
void walk_dir(std::string dir, WaitGroup* n, SendChan<int64_t> file_sizes) {
  defer done{[n] { n->done(); }};  // Go: defer n.Done()
  for (const auto& entry : dirents(dir)) {
    if (entry.is_dir()) {
      n->add(1);
      auto subdir = std::filesystem::path(dir) / entry.name();  // Go: filepath.Join
      go(walk_dir, subdir.string(), n, file_sizes);
    } else {
      file_sizes.send(entry.size());
    }
  }
}

// sema is a counting semaphore for limiting concurrency in dirents.
Chan<Event> sema = make_chan<Event>(20);  // Go: make(chan struct{}, 20)

// dirents returns the entries of directory dir.
std::vector<os::DirEntry> dirents(const std::string& dir) {
  sema.send(Event{});                        // acquire token
  defer release{[] { (void)sema.recv(); }};  // release token

  auto entries = os::read_dir(dir);  // Go: ioutil.ReadDir(dir)
  if (!entries) {
    goro::fmt::fprintf(os::stderr(), "du3: {}\n", entries.error());
    return {};
  }
  return std::move(*entries);
}
