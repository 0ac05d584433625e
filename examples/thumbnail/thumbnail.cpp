// gopl.io/ch8/thumbnail/thumbnail.go
#include "thumbnail.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>

namespace thumbnail {

using namespace goro;

namespace {

constexpr int rgb = 3;  // channels per pixel

// Go: io.ReadAll(r). Reading a file blocks the thread: the processor is
// handed to another thread meanwhile, as Go's runtime does around syscalls.
Result<std::string> read_all(std::FILE* r) {
  return blocking([r]() -> Result<std::string> {
    std::string data;
    char buf[64 * 1024];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, r)) > 0) data.append(buf, n);
    if (std::ferror(r)) return fail(errors::from_errno(errno));
    return data;
  });
}

Error write_all(std::FILE* w, const std::string& data) {
  return blocking([&]() -> Error {
    if (std::fwrite(data.data(), 1, data.size(), w) != data.size())
      return errors::from_errno(errno);
    return Error();
  });
}

}  // namespace

// Image returns a thumbnail-size version of src.
Image image(const Image& src) {
  // Compute thumbnail size, preserving aspect ratio.
  int xs = src.width;
  int ys = src.height;
  int width = 128, height = 128;
  if (double aspect = double(xs) / double(ys); aspect < 1.0) {
    width = int(128 * aspect);  // portrait
  } else {
    height = int(128 / aspect);  // landscape
  }
  width = std::max(width, 1);  // (Go would make an empty image; stb wants >= 1)
  height = std::max(height, 1);

  Image dst;
  dst.width = width;
  dst.height = height;
  dst.pixels.reset(static_cast<unsigned char*>(std::malloc(std::size_t(width) * height * rgb)));

  // The book uses a very crude scaling algorithm (nearest pixel); stb's
  // resizer filters properly, and is CPU work all the same.
  stbir_resize_uint8(src.pixels.get(), xs, ys, 0, dst.pixels.get(), width, height, 0, rgb);
  return dst;
}

// ImageStream reads an image from r and
// writes a thumbnail-size version of it to w.
Error image_stream(std::FILE* w, std::FILE* r) {
  // Go: src, _, err := image.Decode(r)
  auto data = read_all(r);
  if (!data) {
    return data.error();
  }
  Image src;
  int channels = 0;
  src.pixels.reset(stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(data->data()),
                                         int(data->size()), &src.width, &src.height, &channels,
                                         rgb));
  if (!src.pixels) {
    // stb's failure reason is thread-local: read it now, before any point
    // where this goroutine could move to another thread.
    return errors::make(std::string("image: ") + stbi_failure_reason());
  }
  Image dst = image(src);
  // Go: return jpeg.Encode(w, dst, nil)   (nil options: quality 75)
  std::string out;
  auto append = [](void* ctx, void* bytes, int n) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(bytes), std::size_t(n));
  };
  if (!stbi_write_jpg_to_func(append, &out, dst.width, dst.height, rgb, dst.pixels.get(), 75)) {
    return errors::make("jpeg: encoding failed");
  }
  return write_all(w, out);
}

// ImageFile2 reads an image from infile and writes
// a thumbnail-size version of it to outfile.
Error image_file2(const std::string& outfile, const std::string& infile) {
  std::FILE* in = std::fopen(infile.c_str(), "rb");  // Go: in, err := os.Open(infile)
  if (!in) {
    return errors::wrap(errors::from_errno(errno), "open " + infile);
  }
  struct Close {
    std::FILE* f;
    ~Close() { std::fclose(f); }
  } defer_close{in};  // Go: defer in.Close()

  std::FILE* out = std::fopen(outfile.c_str(), "wb");  // Go: out, err := os.Create(outfile)
  if (!out) {
    return errors::wrap(errors::from_errno(errno), "open " + outfile);
  }

  if (Error err = image_stream(out, in)) {
    std::fclose(out);
    // Go: fmt.Errorf("scaling %s to %s: %s", infile, outfile, err)
    return errors::make("scaling " + infile + " to " + outfile + ": " + err.message());
  }
  if (std::fclose(out) != 0) {  // Go: return out.Close()
    return errors::wrap(errors::from_errno(errno), "close " + outfile);
  }
  return Error();
}

std::string thumb_name(std::string_view infile) {
  // Go: ext := filepath.Ext(infile) // e.g., ".jpg", ".JPEG"
  std::string_view ext;
  if (auto dot = infile.find_last_of("./"); dot != infile.npos && infile[dot] == '.') {
    ext = infile.substr(dot);
  }
  // Go: outfile := strings.TrimSuffix(infile, ext) + ".thumb" + ext
  return std::string(infile.substr(0, infile.size() - ext.size())) + ".thumb" + std::string(ext);
}

// ImageFile reads an image from infile and writes
// a thumbnail-size version of it in the same directory.
// It returns the generated file name, e.g. "foo.thumb.jpeg".
Result<std::string> image_file(const std::string& infile) {
  std::string outfile = thumb_name(infile);
  if (Error err = image_file2(outfile, infile)) {
    return fail(err);
  }
  return outfile;
}

}  // namespace thumbnail
