// base/name_hash.h: a fast 64-bit hash of the short strings the engine looks up on every
// operation (op ids, customer ids, actor and period names). Internal.
//
// absl::Hash<string_view> goes through its generic combiner, and for a string over 16 bytes
// (a UUID op id, say) calls into the shared library; NameHash is inline: the string's bytes are
// read as at most two 8-byte words (overlapping where it is shorter than 16), or folded 16
// bytes at a time where longer, and mixed by 64 x 64 -> 128-bit multiplies whose halves are
// folded together (the mixing step of the public "wyhash" design; the code is this file's own).
// Every bit of the result depends on every byte and on the length, so the top bits alone place a
// name well in a power-of-two table (Interner). The seed is the address of a variable (as absl
// does), read at each call: it differs from run to run with the address space's layout, so
// names chosen to collide in one run do not collide in another, and it needs no initialization
// (a name hashed by another file's static initializer hashes as it will later). It enters both
// sides of every multiply, so no word of a name cancels it.
//
// Thread safety: a pure function of its argument and the process's seed.
#ifndef UPKEEP_SRC_BASE_NAME_HASH_H_
#define UPKEEP_SRC_BASE_NAME_HASH_H_

#include <cstdint>
#include <cstring>
#include <string_view>

#include "absl/numeric/int128.h"

namespace upkeep {
namespace name_hash_internal {

inline constexpr uint64_t kOdd1 = 0x9e3779b97f4a7c15;  // 2^64 / the golden ratio, made odd
inline constexpr uint64_t kOdd2 = 0xc2b2ae3d27d4eb4f;
inline constexpr uint64_t kOdd3 = 0x94d049bb133111eb;

// The two halves of a * b, folded.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  const absl::uint128 product = absl::uint128(a) * b;
  return absl::Uint128Low64(product) ^ absl::Uint128High64(product);
}

inline uint64_t Load64(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

inline uint64_t Load32(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

inline constexpr char kSeedAnchor = 0;

}  // namespace name_hash_internal

inline uint64_t NameHash(std::string_view name) {
  using namespace name_hash_internal;  // NOLINT: the constants and loads above
  const char* p = name.data();
  const size_t size = name.size();
  const uint64_t seed = reinterpret_cast<uintptr_t>(&kSeedAnchor);
  uint64_t state = seed ^ kOdd3;
  uint64_t low = 0;
  uint64_t high = 0;
  if (size <= 16) {
    if (size >= 8) {
      low = Load64(p);
      high = Load64(p + size - 8);
    } else if (size >= 4) {
      low = Load32(p);
      high = Load32(p + size - 4);
    } else if (size > 0) {
      low = uint64_t{static_cast<uint8_t>(p[0])} << 16 |
            uint64_t{static_cast<uint8_t>(p[size / 2])} << 8 | static_cast<uint8_t>(p[size - 1]);
    }
  } else {
    size_t left = size;
    for (; left > 16; left -= 16, p += 16) {
      state = Fold(Load64(p) ^ kOdd1 ^ seed, Load64(p + 8) ^ state);
    }
    low = Load64(p + left - 16);  // the last 16 bytes, overlapping the ones folded in
    high = Load64(p + left - 8);
  }
  return Fold(kOdd2 ^ size, Fold(low ^ kOdd1 ^ seed, high ^ state));
}

}  // namespace upkeep

#endif  // UPKEEP_SRC_BASE_NAME_HASH_H_
