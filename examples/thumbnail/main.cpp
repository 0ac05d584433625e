// gopl.io/ch8/thumbnail: the makeThumbnails functions of the book's §8.5
// (gopl.io/ch8/thumbnail/thumbnail_test.go), as a command over the JPEG
// files named as arguments:
//
//   $ build/examples/thumbnail -variant 6 a.jpg b.jpg c.jpg
//
// -variant N runs makeThumbnailsN (1 to 6). Each thumbnail is written next
// to its image as <name>.thumb<ext>. Errors go to stderr, like log.Println.
//   1  sequential; logs errors
//   2  NOTE: incorrect! returns before the work is done; the program shows
//      how many thumbnails exist when it returns, and later
//   3  parallel, waits for every goroutine; ignores errors
//   4  parallel; returns the first error (exit status 1), leaking the
//      goroutines still to report (NOTE: incorrect: goroutine leak!)
//   5  parallel; buffered channel, no leak; prints the thumbnails' names
//   6  parallel over a channel of names; prints the total bytes written
//
// The workers decode and scale images: CPU work, called inside goroutines
// as Go does (the runtime hands a busy processor's other goroutines to
// another thread). File reads and writes go through goro::blocking.
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <goro/goro.hpp>

#include "thumbnail.hpp"

using namespace goro;

namespace {

// Go: log.Println(v) — "2009/11/10 23:00:00 v" on stderr.
void log_println(const Error& err) {
  std::fprintf(stderr, "%s %s\n", time::now().format("2006/01/02 15:04:05").c_str(),
               err.message().c_str());
}

// Go's defer f(), for the one place that needs it.
template <class F>
struct Defer {
  F f;
  ~Defer() { f(); }
};

// makeThumbnails makes thumbnails of the specified files.
void make_thumbnails(const std::vector<std::string>& filenames) {
  for (const auto& f : filenames) {
    if (auto r = thumbnail::image_file(f); !r) {
      log_println(r.error());
    }
  }
}

// NOTE: incorrect!
void make_thumbnails2(const std::vector<std::string>& filenames) {
  for (const auto& f : filenames) {
    go(thumbnail::image_file, f);  // NOTE: ignoring errors
  }
}

// makeThumbnails3 makes thumbnails of the specified files in parallel.
void make_thumbnails3(const std::vector<std::string>& filenames) {
  auto ch = make_chan<Event>();  // Go: ch := make(chan struct{})
  for (const auto& f : filenames) {
    go(
        [ch](std::string f) {
          (void)thumbnail::image_file(f);  // NOTE: ignoring errors
          ch.send(Event{});
        },
        f);
  }
  // Wait for goroutines to complete.
  for (std::size_t i = 0; i < filenames.size(); ++i) {
    ch.recv();
  }
}

// makeThumbnails4 makes thumbnails for the specified files in parallel.
// It returns an error if any step failed.
Error make_thumbnails4(const std::vector<std::string>& filenames) {
  auto errors = make_chan<Error>();  // Go: errors := make(chan error)
  for (const auto& f : filenames) {
    go(
        [errors](std::string f) {
          auto r = thumbnail::image_file(f);  // Go: _, err := thumbnail.ImageFile(f)
          errors.send(r ? Error() : r.error());
        },
        f);
  }
  for (std::size_t i = 0; i < filenames.size(); ++i) {
    if (Error err = *errors.recv(); err) {
      return err;  // NOTE: incorrect: goroutine leak!
    }
  }
  return Error();
}

// makeThumbnails5 makes thumbnails for the specified files in parallel.
// It returns the generated file names in an arbitrary order,
// or an error if any step failed.
Result<std::vector<std::string>> make_thumbnails5(const std::vector<std::string>& filenames) {
  struct item {
    std::string thumbfile;
    Error err;
  };
  auto ch = make_chan<item>(filenames.size());
  for (const auto& f : filenames) {
    go(
        [ch](std::string f) {
          item it;
          // Go: it.thumbfile, it.err = thumbnail.ImageFile(f)
          if (auto r = thumbnail::image_file(f)) {
            it.thumbfile = *r;
          } else {
            it.err = r.error();
          }
          ch.send(std::move(it));
        },
        f);
  }
  std::vector<std::string> thumbfiles;
  for (std::size_t i = 0; i < filenames.size(); ++i) {
    item it = *ch.recv();
    if (it.err) {
      return fail(it.err);
    }
    thumbfiles.push_back(it.thumbfile);
  }
  return thumbfiles;
}

// makeThumbnails6 makes thumbnails for each file received from the channel.
// It returns the number of bytes occupied by the files it creates.
int64_t make_thumbnails6(RecvChan<std::string> filenames) {
  auto sizes = make_chan<int64_t>();
  // Go: var wg sync.WaitGroup. The goroutines share it; Go's escape analysis
  // would put it on the heap, and so does this (a worker may still be inside
  // wg.done() when the closer's wg.wait() returns).
  auto wg = std::make_shared<WaitGroup>();  // number of working goroutines
  for (std::string f : filenames) {
    wg->add(1);
    // worker
    go(
        [wg, sizes](std::string f) {
          Defer defer{[&] { wg->done(); }};  // Go: defer wg.Done()
          auto thumb = thumbnail::image_file(f);
          if (!thumb) {
            log_println(thumb.error());
            return;
          }
          struct stat info {};
          ::stat(thumb->c_str(), &info);  // OK to ignore error
          sizes.send(int64_t(info.st_size));
        },
        f);
  }
  // closer
  go([wg, sizes] {
    wg->wait();
    sizes.close();
  });
  int64_t total = 0;
  for (int64_t size : sizes) {
    total += size;
  }
  return total;
}

// How many of the files' thumbnails have been written (exist, not empty).
// image_file creates the thumbnail before it decodes, as Go's does, so an
// empty thumbnail is still being made.
int thumbnails_written(const std::vector<std::string>& filenames) {
  int n = 0;
  for (const auto& f : filenames) {
    struct stat info {};
    if (::stat(thumbnail::thumb_name(f).c_str(), &info) == 0 && info.st_size > 0) n++;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  auto variant = flag::integer("variant", 6, "which makeThumbnails to run (1 to 6)");
  flag::parse(argc, argv);
  const std::vector<std::string>& filenames = flag::args();
  if (filenames.empty() || *variant < 1 || *variant > 6) {
    std::fprintf(stderr, "usage: thumbnail [-variant 1..6] image.jpg...\n");
    flag::print_defaults();
    return 2;
  }

  auto start = time::now();
  switch (*variant) {
    case 1:
      make_thumbnails(filenames);
      std::printf("makeThumbnails: %d of %zu thumbnails written in %s\n",
                  thumbnails_written(filenames), filenames.size(),
                  time::since(start).string().c_str());
      break;
    case 2: {
      make_thumbnails2(filenames);
      int done = thumbnails_written(filenames);  // right after it returned
      std::printf("makeThumbnails2 returned after %s: %d of %zu thumbnails written\n",
                  time::since(start).string().c_str(), done, filenames.size());
      std::fflush(stdout);
      // In Go, main would return here and the program would end with the
      // work unfinished. Wait for the stray goroutines instead, to show
      // that the work was still going on after makeThumbnails2 returned.
      while (num_goroutine() > 1) {
        time::sleep(time::Millisecond);
      }
      std::printf("its goroutines finished after %s: %d of %zu thumbnails written\n",
                  time::since(start).string().c_str(), thumbnails_written(filenames),
                  filenames.size());
      break;
    }
    case 3:
      make_thumbnails3(filenames);
      std::printf("makeThumbnails3: %d of %zu thumbnails written in %s\n",
                  thumbnails_written(filenames), filenames.size(),
                  time::since(start).string().c_str());
      break;
    case 4:
      if (Error err = make_thumbnails4(filenames)) {
        log_println(err);
        // The goroutines still to report block forever on `errors <- err`.
        std::printf("makeThumbnails4 failed; goroutines left behind: %d\n", num_goroutine() - 1);
        return 1;
      }
      std::printf("makeThumbnails4: ok, %zu thumbnails in %s\n", filenames.size(),
                  time::since(start).string().c_str());
      break;
    case 5: {
      auto thumbfiles = make_thumbnails5(filenames);
      if (!thumbfiles) {
        log_println(thumbfiles.error());
        return 1;
      }
      for (const auto& t : *thumbfiles) {
        std::printf("%s\n", t.c_str());
      }
      break;
    }
    case 6: {
      auto names = make_chan<std::string>();
      go([names, filenames] {
        for (const auto& f : filenames) {
          names.send(f);
        }
        names.close();
      });
      int64_t total = make_thumbnails6(names);
      std::printf("makeThumbnails6: %lld bytes\n", static_cast<long long>(total));
      break;
    }
  }
}
