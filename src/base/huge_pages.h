// base/huge_pages.h: large blocks on transparent huge pages, for tables read at random. Internal.
//
// A block of kHugePagesFromBytes (4 MiB) or more is an anonymous mapping of its own, rounded up
// to whole 2 MiB pages and advised to use transparent huge pages where the kernel allows it
// (Debian's default is "madvise": only advised memory gets them). A table probed at random (the
// ledger's id index, its scopes and customers) then costs a cache miss per probe instead of a
// miss and a page walk: on this machine a dependent miss over 128 MiB is about 150 ns on huge
// pages against 190 ns on 4 KiB pages. A mapping reads as zeros until written. Smaller blocks
// come from the heap.
//
// HugePageAllocator is a standard allocator over these blocks (HugePageVector<T> is a
// std::vector with it). Not for memory written once and read little (the operations, the
// journal): there, faulting in fresh 2 MiB pages measured slower than small ones.
// Thread safety: the functions may be called from any thread.
#ifndef UPKEEP_SRC_BASE_HUGE_PAGES_H_
#define UPKEEP_SRC_BASE_HUGE_PAGES_H_

#include <sys/mman.h>

#include <cstddef>
#include <limits>
#include <memory>
#include <new>
#include <vector>

namespace upkeep {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;
inline constexpr size_t kHugePagesFromBytes = size_t{4} << 20;

// `bytes` rounded up to whole huge pages: the size of the mapping MapHugePages makes.
inline size_t HugePageRounded(size_t bytes) {
  return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
}

// A zeroed anonymous mapping of HugePageRounded(bytes) bytes, advised to use huge pages (advice
// only: where the kernel declines, normal pages). Throws std::bad_alloc when none can be had.
inline void* MapHugePages(size_t bytes) {
  const size_t mapped_bytes = HugePageRounded(bytes);
  void* mapped =
      mmap(nullptr, mapped_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(mapped, mapped_bytes, MADV_HUGEPAGE);
#endif
  return mapped;
}

// Releases a mapping MapHugePages(bytes) made.
inline void UnmapHugePages(void* block, size_t bytes) { munmap(block, HugePageRounded(bytes)); }

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding converts

  T* allocate(size_t n) {
    if (n > std::numeric_limits<size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    if (n * sizeof(T) < kHugePagesFromBytes) return std::allocator<T>().allocate(n);
    return static_cast<T*>(MapHugePages(n * sizeof(T)));
  }
  void deallocate(T* block, size_t n) noexcept {
    if (n * sizeof(T) < kHugePagesFromBytes) {
      std::allocator<T>().deallocate(block, n);
    } else {
      UnmapHugePages(block, n * sizeof(T));
    }
  }

  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace upkeep

#endif  // UPKEEP_SRC_BASE_HUGE_PAGES_H_
