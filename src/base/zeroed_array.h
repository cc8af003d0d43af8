// base/zeroed_array.h: a fixed-size, zero-filled array for large random-access tables. Internal.
//
// Small arrays come from the heap. From 4 MiB up the array is a mapping on huge pages
// (base/huge_pages.h: zero pages, nothing written up front), so that a table probed at random
// (the ledger's id index) costs one cache miss per probe instead of a miss and a page walk.
// T must be trivially copyable and valid when all bytes are zero.
// Thread safety: none; the owner guards it.
#ifndef UPKEEP_SRC_BASE_ZEROED_ARRAY_H_
#define UPKEEP_SRC_BASE_ZEROED_ARRAY_H_

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "base/huge_pages.h"

namespace upkeep {

template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(size_t size) : size_(size) {
    if (size == 0) return;
    const size_t bytes = size * sizeof(T);
    if (bytes < kHugePagesFromBytes) {
      data_ = static_cast<T*>(std::calloc(size, sizeof(T)));
      if (data_ == nullptr) throw std::bad_alloc();
      return;
    }
    data_ = static_cast<T*>(MapHugePages(bytes));
    mapped_bytes_ = HugePageRounded(bytes);
  }
  ZeroedArray(ZeroedArray&& other) noexcept { Swap(other); }
  ZeroedArray& operator=(ZeroedArray&& other) noexcept {
    ZeroedArray(std::move(other)).Swap(*this);
    return *this;
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ~ZeroedArray() {
    if (mapped_bytes_ != 0) {
      UnmapHugePages(data_, mapped_bytes_);
    } else {
      std::free(data_);
    }
  }

  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  size_t size() const { return size_; }
  // Bytes reserved for it (a mapping is rounded up to whole huge pages).
  size_t MemoryBytes() const { return mapped_bytes_ != 0 ? mapped_bytes_ : size_ * sizeof(T); }

 private:
  void Swap(ZeroedArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(mapped_bytes_, other.mapped_bytes_);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_bytes_ = 0;  // 0: heap
};

}  // namespace upkeep

#endif  // UPKEEP_SRC_BASE_ZEROED_ARRAY_H_
