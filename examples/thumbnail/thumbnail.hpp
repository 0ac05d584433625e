// gopl.io/ch8/thumbnail: the thumbnail package produces thumbnail-size
// images from larger images.  Only JPEG images are currently supported.
// (Decoding is stb_image's, so PNG, BMP, GIF... inputs work too; the output
// is always JPEG.)
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <goro/goro.hpp>

namespace thumbnail {

// Go's image.Image, reduced to what is needed here: 8-bit RGB pixels, row
// by row.
struct Image {
  int width = 0;
  int height = 0;
  std::unique_ptr<unsigned char[], void (*)(void*)> pixels{nullptr, &std::free};
};

// Image returns a thumbnail-size version of src.
Image image(const Image& src);

// ImageStream reads an image from r and
// writes a thumbnail-size version of it to w.
goro::Error image_stream(std::FILE* w, std::FILE* r);

// ImageFile2 reads an image from infile and writes
// a thumbnail-size version of it to outfile.
goro::Error image_file2(const std::string& outfile, const std::string& infile);

// ImageFile reads an image from infile and writes
// a thumbnail-size version of it in the same directory.
// It returns the generated file name, e.g. "foo.thumb.jpeg".
// (Go returns the name and the error; a Result holds one or the other.)
goro::Result<std::string> image_file(const std::string& infile);

// goro addition: the name image_file gives the thumbnail of infile.
std::string thumb_name(std::string_view infile);

}  // namespace thumbnail
