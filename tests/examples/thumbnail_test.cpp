// End-to-end: gopl.io/ch8/thumbnail's makeThumbnails variants over JPEG
// images this test writes (with stb_image_write): every thumbnail is made,
// scaled so its longer side is 128 pixels with the aspect kept, and shows
// the picture; makeThumbnails2 returns before the work is done; 4 and 5
// report errors; 6 totals the thumbnails' sizes.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#include <stdlib.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct Rgb {
  int r, g, b;
};
// The test picture: four quadrants of distinct colours.
const Rgb quadrant[2][2] = {{{255, 0, 0}, {0, 255, 0}}, {{0, 0, 255}, {255, 255, 255}}};

void write_jpeg(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(std::size_t(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const Rgb& c = quadrant[y * 2 / h][x * 2 / w];
      unsigned char* p = &px[(std::size_t(y) * w + x) * 3];
      p[0] = (unsigned char)c.r;
      p[1] = (unsigned char)c.g;
      p[2] = (unsigned char)c.b;
    }
  }
  ASSERT_TRUE(stbi_write_jpg(path.c_str(), w, h, 3, px.data(), 90)) << path;
}

// The thumbnail size gopl's thumbnail.Image computes.
std::pair<int, int> thumb_size(int xs, int ys) {
  int width = 128, height = 128;
  if (double aspect = double(xs) / ys; aspect < 1.0) {
    width = int(128 * aspect);
  } else {
    height = int(128 / aspect);
  }
  return {width, height};
}

std::string thumb_of(const std::string& path) {
  return path.substr(0, path.size() - 4) + ".thumb.jpg";  // "x.jpg" -> "x.thumb.jpg"
}

struct Image {
  std::string path;
  int w, h;
};

class Thumbnail : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "goro_thumbnail_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // A landscape, a portrait and a square picture, `scale` times a base size.
  std::vector<Image> make_images(int scale = 1) {
    std::vector<Image> images = {{path("landscape.jpg"), 600 * scale, 400 * scale},
                                 {path("portrait.jpg"), 450 * scale, 800 * scale},
                                 {path("square.jpg"), 500 * scale, 500 * scale}};
    for (const auto& im : images) write_jpeg(im.path, im.w, im.h);
    return images;
  }

  static std::vector<std::string> argv(int variant, const std::vector<std::string>& files) {
    std::vector<std::string> a = {example_path("thumbnail"), "-variant", std::to_string(variant)};
    a.insert(a.end(), files.begin(), files.end());
    return a;
  }
  static std::vector<std::string> paths(const std::vector<Image>& images) {
    std::vector<std::string> p;
    for (const auto& im : images) p.push_back(im.path);
    return p;
  }

  // The thumbnail of im exists, decodes, has the right size and shows the
  // four quadrants; returns its size in bytes.
  static long long check_thumbnail(const Image& im) {
    std::string t = thumb_of(im.path);
    SCOPED_TRACE(t);
    EXPECT_TRUE(fs::exists(t));
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(t.c_str(), &w, &h, &n, 3);
    EXPECT_NE(px, nullptr) << (px ? "" : stbi_failure_reason());
    if (!px) return -1;
    auto [want_w, want_h] = thumb_size(im.w, im.h);
    EXPECT_EQ(w, want_w);
    EXPECT_EQ(h, want_h);
    EXPECT_EQ(std::max(w, h), 128);
    for (int qy = 0; qy < 2; ++qy) {
      for (int qx = 0; qx < 2; ++qx) {
        int x = w * (2 * qx + 1) / 4, y = h * (2 * qy + 1) / 4;  // quadrant centre
        const unsigned char* p = &px[(std::size_t(y) * w + x) * 3];
        const Rgb& c = quadrant[qy][qx];
        EXPECT_NEAR(p[0], c.r, 40) << "quadrant " << qx << "," << qy;
        EXPECT_NEAR(p[1], c.g, 40) << "quadrant " << qx << "," << qy;
        EXPECT_NEAR(p[2], c.b, 40) << "quadrant " << qx << "," << qy;
      }
    }
    stbi_image_free(px);
    return (long long)fs::file_size(t);
  }

  fs::path dir_;
};

void expect_ok(const ProcessResult& r) {
  EXPECT_TRUE(r.ok()) << "exit " << r.exit_code << " signal " << r.signal << "\n" << r.err;
}

// log.Println's form: a line "2009/11/10 23:00:00 <message>".
bool logged(const std::string& err, const std::string& message) {
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 20 || line.substr(20) != message) continue;
    bool stamp = true;
    for (std::size_t i = 0; i < 19; ++i) {
      char want = "0000/00/00 00:00:00"[i];
      stamp = stamp && (want == '0' ? std::isdigit((unsigned char)line[i]) != 0 : line[i] == want);
    }
    if (stamp && line[19] == ' ') return true;
  }
  return false;
}

// The number right after `prefix` in out, or -1.
int number_after(const std::string& out, const std::string& prefix) {
  auto at = out.find(prefix);
  if (at == std::string::npos) return -1;
  at += prefix.size();
  if (at >= out.size() || !std::isdigit((unsigned char)out[at])) return -1;
  return std::stoi(out.substr(at));
}

TEST_F(Thumbnail, SequentialMakesEveryThumbnail) {
  auto images = make_images();
  ProcessResult r = run_process(argv(1, paths(images)), "", 120s);
  expect_ok(r);
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("makeThumbnails: 3 of 3 thumbnails written"), std::string::npos) << r.out;
  for (const auto& im : images) check_thumbnail(im);
}

TEST_F(Thumbnail, ParallelWithChannelMakesEveryThumbnail) {
  auto images = make_images();
  ProcessResult r = run_process(argv(3, paths(images)), "", 120s);
  expect_ok(r);
  EXPECT_NE(r.out.find("makeThumbnails3: 3 of 3 thumbnails written"), std::string::npos) << r.out;
  for (const auto& im : images) check_thumbnail(im);
}

TEST_F(Thumbnail, Variant2ReturnsBeforeTheThumbnailsAreWritten) {
  // Big pictures, so that decoding them takes far longer than the check
  // the program makes right after makeThumbnails2 returns.
  auto images = make_images(5);
  ProcessResult r = run_process(argv(2, paths(images)), "", 120s);
  expect_ok(r);
  // "makeThumbnails2 returned after 263.091µs: 0 of 3 thumbnails written"
  const std::string returned = "makeThumbnails2 returned after ";
  auto at = r.out.find(returned);
  ASSERT_NE(at, std::string::npos) << r.out;
  auto colon = r.out.find(": ", at);
  ASSERT_NE(colon, std::string::npos) << r.out;
  ASSERT_EQ(r.out.compare(colon + 3, 27, " of 3 thumbnails written\nit"), 0) << r.out;
  int written = number_after(r.out.substr(colon), ": ");
  EXPECT_GE(written, 0) << r.out;
  EXPECT_LT(written, 3) << "makeThumbnails2 waited for its goroutines:\n" << r.out;
  // ... but its goroutines went on and made them all.
  EXPECT_NE(r.out.find("its goroutines finished after"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(": 3 of 3 thumbnails written\n"), std::string::npos) << r.out;
  for (const auto& im : images) check_thumbnail(im);
}

TEST_F(Thumbnail, Variant4ReportsTheFirstErrorAndLeaksTheOthers) {
  auto images = make_images(3);  // big, so the missing file fails first
  auto files = paths(images);
  files.insert(files.begin() + 1, path("missing.jpg"));
  ProcessResult r = run_process(argv(4, files), "", 120s);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(logged(r.err, "open " + path("missing.jpg") + ": no such file or directory"))
      << r.err;
  EXPECT_GE(number_after(r.out, "makeThumbnails4 failed; goroutines left behind: "), 1)
      << "the workers still to report block forever:\n"
      << r.out;
}

TEST_F(Thumbnail, Variant4SucceedsWithoutErrors) {
  auto images = make_images();
  ProcessResult r = run_process(argv(4, paths(images)), "", 120s);
  expect_ok(r);
  EXPECT_NE(r.out.find("makeThumbnails4: ok, 3 thumbnails"), std::string::npos) << r.out;
  for (const auto& im : images) check_thumbnail(im);
}

TEST_F(Thumbnail, Variant4And5ReportACorruptImage) {
  auto images = make_images();
  std::ofstream(path("corrupt.jpg")) << "this is not a JPEG file\n";
  auto files = paths(images);
  files.push_back(path("corrupt.jpg"));
  for (int variant : {4, 5}) {
    SCOPED_TRACE(variant);
    ProcessResult r = run_process(argv(variant, files), "", 120s);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(logged(r.err, "scaling " + path("corrupt.jpg") + " to " +
                                  path("corrupt.thumb.jpg") + ": image: unknown image type"))
        << r.err;
  }
}

TEST_F(Thumbnail, Variant5ReportsAMissingImage) {
  auto images = make_images();
  auto files = paths(images);
  files.push_back(path("missing.jpg"));
  ProcessResult r = run_process(argv(5, files), "", 120s);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(logged(r.err, "open " + path("missing.jpg") + ": no such file or directory"))
      << r.err;
  EXPECT_EQ(r.out, "");  // no list of thumbnails after an error
}

TEST_F(Thumbnail, Variant5ListsTheThumbnails) {
  auto images = make_images();
  ProcessResult r = run_process(argv(5, paths(images)), "", 120s);
  expect_ok(r);
  std::set<std::string> listed, want;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) listed.insert(line);
  for (const auto& im : images) {
    want.insert(thumb_of(im.path));
    check_thumbnail(im);
  }
  EXPECT_EQ(listed, want);
}

TEST_F(Thumbnail, Variant6TotalsTheThumbnailSizes) {
  auto images = make_images();
  ProcessResult r = run_process(argv(6, paths(images)), "", 120s);
  expect_ok(r);
  EXPECT_EQ(r.err, "");
  long long sum = 0;
  for (const auto& im : images) sum += check_thumbnail(im);
  EXPECT_GT(sum, 0);
  EXPECT_EQ(r.out, "makeThumbnails6: " + std::to_string(sum) + " bytes\n");
}

TEST_F(Thumbnail, Variant6And1LogErrorsAndGoOn) {
  auto images = make_images();
  auto files = paths(images);
  files.insert(files.begin() + 1, path("missing.jpg"));
  for (int variant : {6, 1}) {
    SCOPED_TRACE(variant);
    for (const auto& im : images) fs::remove(thumb_of(im.path));
    ProcessResult r = run_process(argv(variant, files), "", 120s);
    expect_ok(r);
    EXPECT_TRUE(logged(r.err, "open " + path("missing.jpg") + ": no such file or directory"))
        << r.err;
    long long sum = 0;
    for (const auto& im : images) sum += check_thumbnail(im);
    if (variant == 6) {
      EXPECT_EQ(r.out, "makeThumbnails6: " + std::to_string(sum) + " bytes\n");
    }
  }
}

TEST_F(Thumbnail, NoFilesIsAUsageError) {
  ProcessResult r = run_process({example_path("thumbnail")}, "", 30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage"), std::string::npos) << r.err;
}

}  // namespace
