// allocation/bucket_fill.h: the water-fill of customers who share one floor and one cap, by
// buckets of their bases (internal).
//
// With the same floor and cap for all, whether a free customer is above its cap at a level λ
// depends on its base alone (base * λ > cap), and likewise below its floor: each pass of
// FillFree (water_fill.h) cuts the free customers by two thresholds on their bases. BucketFill
// runs the same passes (the same levels, the same customers fixed at each, by the same exact
// 128-bit comparisons, hence the same result) on the customers laid out by bucket of their base
// (a counting sort by BaseBucket, which is monotone and about 3 % wide): a pass adds up the
// buckets wholly beyond a threshold from their sums, and compares single customers only in the
// two buckets its thresholds cut. A million customers settle after a few thousand comparisons
// instead of several passes over all of them.
//
//   - a customer fixed on its own gets mark[its portfolio index] = the Bound it is held at;
//   - a bucket whose free customers are fixed together gets fate[bucket] = that Bound (those of
//     its customers whose mark is still kMarkFree);
//   - the customers still free end up at the front of the layout, for ShareFree.
//
// Thread safety: pure functions.
#ifndef UPKEEP_ALLOCATION_BUCKET_FILL_H_
#define UPKEEP_ALLOCATION_BUCKET_FILL_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

#include "allocation/water_fill.h"

namespace upkeep::allocation_internal {

inline constexpr uint8_t kMarkFree = 0;  // a customer's mark while nothing fixed it on its own

// Bits of a base kept below its leading one; buckets: the bases below 2^(kBucketBits + 1) one
// each, then 2^kBucketBits per power of two.
inline constexpr int kBucketBits = 5;
inline constexpr size_t kBaseBuckets = size_t{64 - kBucketBits} << kBucketBits;

// The bucket of a base >= 0 (a larger base never has a smaller bucket).
inline size_t BaseBucket(int64_t base_minor) {
  const uint64_t base = static_cast<uint64_t>(base_minor);
  const int dropped = std::max(0, static_cast<int>(std::bit_width(base)) - (kBucketBits + 1));
  return (static_cast<size_t>(dropped) << kBucketBits) + static_cast<size_t>(base >> dropped);
}

// The smallest and the largest base in `bucket`.
inline int64_t BucketLow(size_t bucket) {
  if (bucket < (size_t{2} << kBucketBits)) return static_cast<int64_t>(bucket);
  const size_t dropped = (bucket >> kBucketBits) - 1;
  return static_cast<int64_t>((bucket - (dropped << kBucketBits)) << dropped);
}
inline int64_t BucketHigh(size_t bucket) {
  if (bucket < (size_t{2} << kBucketBits)) return static_cast<int64_t>(bucket);
  const size_t dropped = (bucket >> kBucketBits) - 1;
  return static_cast<int64_t>(((bucket - (dropped << kBucketBits) + 1) << dropped) - 1);
}

// One group's customers with a base > 0, laid out by bucket: bucket b's take positions
// [offset[b], offset[b + 1]) of `base_minor` and `index` (their portfolio indices).
struct BucketedBases {
  int64_t* base_minor;
  uint32_t* index;
  std::span<const uint32_t> offset;            // kBaseBuckets + 1
  std::span<const int64_t> bucket_base_minor;  // each bucket's sum of bases
  int64_t floor_minor;                         // everyone's
  int64_t cap_minor;
};

// The free customers after the passes: positions [0, count) of the layout, what they share and
// the sum of their bases (ShareFree's arguments).
struct FreeAfterFill {
  size_t count = 0;
  int64_t remaining_minor = 0;
  int64_t base_minor = 0;
};

// The passes over `bases`, whose customers share `remaining_minor` and whose bases sum to
// `base_minor`. REQUIRES: mark[i] == kMarkFree for the customers of `bases`; fate of size
// kBaseBuckets, all Bound::kNone; what WaterFill requires.
FreeAfterFill BucketFill(const BucketedBases& bases, int64_t remaining_minor, int64_t base_minor,
                         std::span<uint8_t> mark, std::span<Bound> fate);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_BUCKET_FILL_H_
