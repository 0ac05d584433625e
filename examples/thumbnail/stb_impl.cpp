// The one translation unit that compiles stb's image loader, resizer and
// writer (libstb-dev's headers, /usr/include/stb/).
//
// Thread safety (checked against stb_image 2.27, stb_image_resize 0.97,
// stb_image_write 1.16), since thumbnail::image_file runs in many
// goroutines at once, on any of the runtime's threads:
// - stbi_load_from_memory / stbi_load_from_file are reentrant: all decoder
//   state is per call. The global settings (stbi_set_flip_vertically_on_load,
//   stbi_set_unpremultiply_on_load, stbi_convert_iphone_png_to_rgb, the HDR
//   gamma/scale) are plain globals and must not be changed while others
//   decode; this program never changes them.
// - stbi_failure_reason() reads a thread_local (STBI_THREAD_LOCAL, on by
//   default in C++11). A goroutine may move to another thread at any goro
//   blocking point, so it must be read right after the failed stbi call,
//   with no channel operation, sleep or goro::blocking in between (as
//   thumbnail.cpp does).
// - stbir_resize_uint8 is reentrant (it allocates its own scratch memory).
// - stbi_write_jpg / stbi_write_jpg_to_func are reentrant; they only read
//   the global stbi__flip_vertically_on_write (stbi_flip_vertically_on_write
//   is not thread-safe; never called here). stbi_write_tga_with_rle and
//   stbi_write_force_png_filter concern other formats.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>
