// allocation/water_fill.h: exact floors and caps by water-filling (internal).
//
// Given items with base amounts a_i >= 0 (what a rule gave them), floors lo_i and caps hi_i, and a
// total T with sum(lo) <= T <= sum(effective hi), WaterFill finds the one level λ with
//     x_i = clamp(λ * a_i, lo_i, hi_i),   sum(x) == T
// and returns it in whole minor units: items held at a floor or cap get exactly that bound; the
// rest share what is left in proportion to their bases by Split (largest remainder, tie keys),
// which keeps each of them within [lo_i, hi_i] because λ*a_i lies there and the bounds are whole.
// So what a cap cuts goes to the others in proportion, and what a floor needs comes from them.
// An item with a zero base cannot grow in proportion: it gets its floor (see EffectiveCap).
//
// Method: variable fixing. Each pass computes λ = remaining / sum(free bases) exactly, finds the
// items above their cap (E = total excess) and below their floor (F = total deficit) at λ, and
// fixes the caps if E >= F (the true λ is then no lower, so they stay capped) and the floors if
// E <= F. All comparisons are exact 128-bit cross products; there is no floating point. Each pass
// is one scan of the still-free items and fixes at least one; real portfolios settle in a few.
//
// Thread safety: pure function.
#ifndef UPKEEP_ALLOCATION_WATER_FILL_H_
#define UPKEEP_ALLOCATION_WATER_FILL_H_

#include <cstdint>
#include <span>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"

namespace upkeep::allocation_internal {

enum class Bound : uint8_t { kNone = 0, kFloor = 1, kCap = 2 };

struct WaterFillInput {
  std::span<const int64_t> base_minor;   // >= 0, sum fits in int64
  std::span<const int64_t> floor_minor;  // >= 0
  std::span<const int64_t> cap_minor;    // >= floor
  std::span<const uint64_t> tie_keys;    // distinct
};

// The most an item can take: its cap, or its floor when its base is zero.
inline int64_t EffectiveCap(int64_t base_minor, int64_t floor_minor, int64_t cap_minor) {
  return base_minor == 0 ? floor_minor : cap_minor;
}

// What the items can hold together: [sum of floors, sum of effective caps], in 128 bits.
struct Capacity {
  absl::int128 floor_minor = 0;
  absl::int128 cap_minor = 0;
};
Capacity CapacityOf(const WaterFillInput& input);

// Fills `out_minor` (sum == total_minor) and `bound` (which items sit at a floor or cap).
// REQUIRES: spans of equal size; CapacityOf(input) contains total_minor.
absl::Status WaterFill(const WaterFillInput& input, int64_t total_minor,
                       std::span<int64_t> out_minor, std::span<Bound> bound);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_WATER_FILL_H_
