// base/stable_vector.h: a growable array whose elements never move. Internal.
//
// Element i lives in segment s = bit_width(i / kFirst + 1) - 1, and segment s holds kFirst << s
// elements, so growing adds a segment twice the size of the last and copies nothing: each
// element's memory is written once, where std::vector's doubling writes every element about
// twice more (copy, then a fresh block) and stalls the push that triggers it for a copy of the
// whole array. Indexing is a bit scan and two loads. The ledger's operations and the names of
// its interners live here; on this kind of machine fresh memory costs about a nanosecond a byte
// to fault in (README.md, Figures), so touching it once matters. Segments are plain heap blocks,
// not huge pages: zeroing fresh 2 MiB pages measured slower here than faulting in small ones.
// T must be trivially destructible and trivially copyable.
// Thread safety: none; the owner guards it. References stay valid until it is destroyed.
#ifndef UPKEEP_SRC_BASE_STABLE_VECTOR_H_
#define UPKEEP_SRC_BASE_STABLE_VECTOR_H_

#include <array>
#include <bit>
#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace upkeep {

template <typename T>
class StableVector {
  static_assert(std::is_trivially_destructible_v<T> && std::is_trivially_copyable_v<T>);

 public:
  T& operator[](size_t i) {
    const size_t s = SegmentOf(i);
    return Data(s)[i - Start(s)];
  }
  const T& operator[](size_t i) const {
    const size_t s = SegmentOf(i);
    return Data(s)[i - Start(s)];
  }
  size_t size() const { return size_; }
  // Elements the allocated segments hold.
  size_t capacity() const { return Start(segment_count_); }
  // Bytes allocated for elements.
  size_t MemoryBytes() const { return capacity() * sizeof(T); }

  // Appends a value-initialized element and returns it, to be filled in place: a value made just
  // before and copied in is read back with wider loads than the stores that made it, which wait
  // for every store before them to drain (docs/architecture.md, "The ledger's hot path").
  T& emplace_back() {
    if (size_ == capacity()) AddSegment();
    T* element = ::new (&(*this)[size_]) T();
    ++size_;
    return *element;
  }
  // Grows to `count` elements, the new ones value-initialized. REQUIRES: count >= size().
  void resize(size_t count) {
    while (capacity() < count) AddSegment();
    for (; size_ < count; ++size_) ::new (&(*this)[size_]) T();
  }

 private:
  static constexpr size_t kFirst = 256;  // elements in segment 0; a power of two
  static constexpr int kFirstShift = std::countr_zero(kFirst);
  static constexpr size_t kMaxSegments = 25;  // 256 * (2^25 - 1) elements: past 32-bit indices
  struct alignas(T) Storage {
    std::byte bytes[sizeof(T)];
  };

  // Segment s starts at element kFirst * (2^s - 1).
  static size_t Start(size_t s) { return kFirst * ((size_t{1} << s) - 1); }
  static size_t SegmentOf(size_t i) {
    return static_cast<size_t>(std::bit_width((i >> kFirstShift) + 1)) - 1;
  }
  T* Data(size_t s) { return std::launder(reinterpret_cast<T*>(segments_[s].get())); }
  const T* Data(size_t s) const {
    return std::launder(reinterpret_cast<const T*>(segments_[s].get()));
  }
  void AddSegment() {
    if (segment_count_ == kMaxSegments) throw std::length_error("StableVector is full");
    segments_[segment_count_] = std::make_unique_for_overwrite<Storage[]>(kFirst << segment_count_);
    ++segment_count_;
  }

  std::array<std::unique_ptr<Storage[]>, kMaxSegments> segments_;
  size_t segment_count_ = 0;
  size_t size_ = 0;
};

}  // namespace upkeep

#endif  // UPKEEP_SRC_BASE_STABLE_VECTOR_H_
