// Channel memory with a per-thread cache of the common block size; see
// chan_memory.hpp.
#include "chan/chan_memory.hpp"

#include "chan/chan_impl.hpp"

namespace goro::detail {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool cache_enabled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool cache_enabled = false;
#else
constexpr bool cache_enabled = true;
#endif
#else
constexpr bool cache_enabled = true;
#endif

constexpr std::size_t cached_align = 64;
constexpr std::size_t cached_bytes =
    (sizeof(ChanCore) + cached_align - 1) / cached_align * cached_align;
constexpr int cache_limit = 64;

struct FreeBlock {
  FreeBlock* next;
};

struct ThreadCache {
  FreeBlock* head = nullptr;
  int count = 0;
  ~ThreadCache() {
    while (head) {
      FreeBlock* next = head->next;
      ::operator delete(static_cast<void*>(head), std::align_val_t(cached_align));
      head = next;
    }
    count = cache_limit;  // a channel freed later in this thread's exit goes to the heap
  }
};

thread_local ThreadCache cache;

bool cacheable(std::size_t bytes, std::align_val_t align) {
  return cache_enabled && bytes == cached_bytes && std::size_t(align) == cached_align;
}

}  // namespace

[[gnu::noinline]] void* chan_memory_alloc(std::size_t bytes, std::align_val_t align) {
  if (cacheable(bytes, align)) {
    ThreadCache& c = cache;
    if (FreeBlock* block = c.head) {
      c.head = block->next;
      --c.count;
      return block;
    }
  }
  return ::operator new(bytes, align);
}

[[gnu::noinline]] void chan_memory_free(void* block, std::size_t bytes,
                                        std::align_val_t align) noexcept {
  if (cacheable(bytes, align)) {
    ThreadCache& c = cache;
    if (c.count < cache_limit) {
      c.head = ::new (block) FreeBlock{c.head};
      ++c.count;
      return;
    }
  }
  ::operator delete(block, align);
}

}  // namespace goro::detail
