// gopl.io/ch8/du4
// The du4 command computes the disk usage of the files in a directory,
// showing the totals so far every half second. Input on stdin (pressing
// return) cancels it: the done channel is closed, every goroutine notices
// and stops, and main returns.
//
// The book checks that no goroutine is left by panicking instead of
// returning (the panic's goroutine dump then shows only main). This port
// prints the number of goroutines instead, goro::num_goroutine(), after
// giving the finishing ones a moment to exit: "1 goroutine left" means
// only main.
//
// goro additions: -bytes prints the total in bytes rather than GB, and
// -progress sets the interval of the progress messages (default 500ms, as
// in the book), both for tests.
#include <cstddef>
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

const bool* in_bytes = flag::boolean("bytes", false, "print the total in bytes, not GB");
const time::Duration* progress =
    flag::duration("progress", 500 * time::Millisecond, "interval of progress messages");

Chan<Event> done = make_chan<Event>();  // Go: var done = make(chan struct{})

bool cancelled() {
  bool is_cancelled = false;
  select(recv(done, [&] { is_cancelled = true; }),  // case <-done: return true
         default_([&] { is_cancelled = false; }));  // default: return false
  return is_cancelled;
}

void walk_dir(std::string dir, WaitGroup* n, SendChan<int64_t> file_sizes);
void print_disk_usage(int64_t nfiles, int64_t nbytes);
void print_goroutines_left();

int main(int argc, char** argv) {
  // Determine the initial directories.
  flag::parse(argc, argv);
  std::vector<std::string> roots = flag::args();
  if (roots.empty()) {
    roots = {"."};
  }

  // Cancel traversal when input is detected.
  go([] {
    std::byte b[1];
    (void)os::stdin().read(b);  // read a single byte
    done.close();
  });

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
  auto tick = time::tick(*progress);  // Go: time.Tick(500 * time.Millisecond)
  int64_t nfiles = 0, nbytes = 0;
  for (;;) {
    std::optional<int64_t> size;
    int chosen = select(recv(done), recv(file_sizes, &size),
                        recv(tick, [&] { print_disk_usage(nfiles, nbytes); }));
    if (chosen == 0) {  // case <-done:
      // Drain fileSizes to allow existing goroutines to finish.
      for ([[maybe_unused]] int64_t _ : file_sizes) {
        // Do nothing.
      }
      print_goroutines_left();  // the book: panic("cancelled") to see them
      return 0;
    }
    if (chosen == 1) {  // case size, ok := <-fileSizes:
      if (!size) {
        break;  // Go: break loop; fileSizes was closed
      }
      nfiles++;
      nbytes += *size;
    }
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

// Waits up to a second for the goroutines that are finishing to exit, then
// prints how many goroutines there are (main counts as one, as in Go).
void print_goroutines_left() {
  for (int i = 0; i < 100 && num_goroutine() > 1; i++) {
    time::sleep(10 * time::Millisecond);
  }
  int left = num_goroutine();
  goro::fmt::printf("cancelled: {} goroutine{} left\n", left, left == 1 ? "" : "s");
}

std::vector<os::DirEntry> dirents(const std::string& dir);

// walk_dir recursively walks the file tree rooted at dir
// and sends the size of each found file on file_sizes.
void walk_dir(std::string dir, WaitGroup* n, SendChan<int64_t> file_sizes) {
  defer done{[n] { n->done(); }};  // Go: defer n.Done()
  if (cancelled()) {
    return;
  }
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
  if (select(send(sema, Event{}), recv(done)) == 1) {  // case sema <- struct{}{}: acquire token
    return {};                                         // case <-done: cancelled
  }
  defer release{[] { (void)sema.recv(); }};  // release token

  auto entries = os::read_dir(dir);  // Go: ioutil.ReadDir(dir)
  if (!entries) {
    goro::fmt::fprintf(os::stderr(), "du4: {}\n", entries.error());
    return {};
  }
  return std::move(*entries);
}
