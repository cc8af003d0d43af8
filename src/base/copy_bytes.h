// base/copy_bytes.h: copies a string's bytes, inline for short ones. Internal.
//
// The journal's encoder writes half a dozen short texts per event (op id, actor, period,
// customer, category: mostly under 16 bytes). std::memcpy of a length known only at run time is
// a call into glibc (through the PLT, then its size dispatch) for each, about 15 instructions
// around a copy of one or two words: callgrind put those calls at about 70 instructions of each
// imported spend, and CopyBytes saves 56 of them. CopyBytes moves up to 16 bytes with overlapping
// 8-, 4- or 1-byte loads and stores of exactly the bytes asked for (it never reads or writes past
// them), and leaves longer copies to memcpy. The same pattern as SameBytes (base/same_bytes.h).
//
// Thread safety: a pure function of its arguments.
#ifndef UPKEEP_SRC_BASE_COPY_BYTES_H_
#define UPKEEP_SRC_BASE_COPY_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace upkeep {
namespace copy_bytes_internal {

// The first and the last sizeof(Word) bytes: all of `size` bytes from sizeof(Word) to
// 2 * sizeof(Word). The two words overlap when `size` is less than 2 * sizeof(Word), and are the
// same bytes when it is sizeof(Word).
template <typename Word>
inline void CopyEnds(char* dst, const char* src, size_t size) {
  Word first;
  Word last;
  std::memcpy(&first, src, sizeof first);
  std::memcpy(&last, src + size - sizeof last, sizeof last);
  std::memcpy(dst, &first, sizeof first);
  std::memcpy(dst + size - sizeof last, &last, sizeof last);
}

}  // namespace copy_bytes_internal

// Copies `size` bytes from `src` to `dst` (which do not overlap), as std::memcpy does.
inline void CopyBytes(char* dst, const char* src, size_t size) {
  using copy_bytes_internal::CopyEnds;
  if (size > 16) {
    std::memcpy(dst, src, size);
  } else if (size >= 8) {
    CopyEnds<uint64_t>(dst, src, size);
  } else if (size >= 4) {
    CopyEnds<uint32_t>(dst, src, size);
  } else if (size != 0) {  // 1 to 3 bytes: the first, the middle and the last
    const char first = src[0];
    const char middle = src[size / 2];
    const char last = src[size - 1];
    dst[0] = first;
    dst[size / 2] = middle;
    dst[size - 1] = last;
  }
}

}  // namespace upkeep

#endif  // UPKEEP_SRC_BASE_COPY_BYTES_H_
