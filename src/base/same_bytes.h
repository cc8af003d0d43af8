// base/same_bytes.h: whether two short strings hold the same bytes, reading only their bytes.
// Internal.
//
// The engine compares names on its hot paths (a customer or op id against the entry its hash
// slot points at). glibc's memcmp (the EVEX build this machine uses) reads a string shorter than
// 32 bytes with one masked 32-byte load, and a masked load whose 32 bytes run into a page not yet
// touched (the end of a name table that is still growing, say) takes a microcode assist: in a
// profile of BM_CheckHot a fifth of the check went to that one instruction, in builds where the
// layout put a name there. SameBytes loads exactly the strings' bytes, with overlapping 8-, 4-
// or 2-byte loads, up to 32 bytes; longer strings, whose first load is a whole unmasked vector,
// go to memcmp.
//
// Thread safety: a pure function.
#ifndef UPKEEP_SRC_BASE_SAME_BYTES_H_
#define UPKEEP_SRC_BASE_SAME_BYTES_H_

#include <cstdint>
#include <cstring>
#include <string_view>

namespace upkeep {
namespace same_bytes_internal {

template <typename Word>
inline bool SameWord(const char* a, const char* b) {
  Word x;
  Word y;
  std::memcpy(&x, a, sizeof x);
  std::memcpy(&y, b, sizeof y);
  return x == y;
}

// The first and the last sizeof(Word) bytes (overlapping): all of a string of sizeof(Word) to
// 2 * sizeof(Word) bytes.
template <typename Word>
inline bool SameEnds(const char* a, const char* b, size_t size) {
  return SameWord<Word>(a, b) && SameWord<Word>(a + size - sizeof(Word), b + size - sizeof(Word));
}

}  // namespace same_bytes_internal

inline bool SameBytes(std::string_view a, std::string_view b) {
  using same_bytes_internal::SameEnds;
  const size_t size = a.size();
  if (size != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (size > 32) return std::memcmp(x, y, size) == 0;
  if (size > 16) {  // the first 16 bytes and the last 16 (overlapping)
    return SameEnds<uint64_t>(x, y, 16) && SameEnds<uint64_t>(x + size - 16, y + size - 16, 16);
  }
  if (size >= 8) return SameEnds<uint64_t>(x, y, size);
  if (size >= 4) return SameEnds<uint32_t>(x, y, size);
  if (size >= 2) return SameEnds<uint16_t>(x, y, size);
  return size == 0 || *x == *y;
}

}  // namespace upkeep

#endif  // UPKEEP_SRC_BASE_SAME_BYTES_H_
