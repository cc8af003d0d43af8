// allocation/bucket_fill.h: the water-fill of customers who share one floor and one cap, by
// buckets of their bases (internal).
//
// With the same floor and cap for all, whether a free customer is above its cap at a level λ
// depends on its base alone (base * λ > cap), and likewise below its floor: each pass of
// FillFree (water_fill.h) cuts the free customers by two thresholds on their bases. BucketFill
// runs the same passes (the same levels, the same customers fixed at each, by the same exact
// 128-bit comparisons, hence the same result) on the bases counted and summed by bucket
// (BaseBucket: monotone, about 3 % wide): a pass adds up the buckets wholly beyond a threshold
// from their sums, and compares single customers only in the bucket each threshold cuts. Those it
// finds by a scan of the customers' bucket numbers, for every group at once, which collects the
// buckets around each cut too, so that most levels need no scan; the customers are never moved.
// A million customers settle in two such scans instead of several passes over all of them.
//
//   - a customer fixed on its own gets mark[i] = the Bound it is held at;
//   - a bucket whose free customers are fixed together gets fate[bucket] = that Bound (those of
//     its customers whose mark is still kMarkFree);
//   - what is left: each group's free customers are those with a base, a kMarkFree mark and a
//     bucket without a fate, and they share GroupFill::remaining_minor.
//
// Thread safety: pure functions.
#ifndef UPKEEP_ALLOCATION_BUCKET_FILL_H_
#define UPKEEP_ALLOCATION_BUCKET_FILL_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "allocation/water_fill.h"
#include "upkeep/classification.h"

namespace upkeep::allocation_internal {

inline constexpr uint8_t kMarkFree = 0;  // a customer's mark while nothing fixed it on its own

// Bits of a base kept below its leading one; buckets: the bases below 2^(kBucketBits + 1) one
// each, then 2^kBucketBits per power of two.
inline constexpr int kBucketBits = 5;
inline constexpr size_t kBaseBuckets = size_t{64 - kBucketBits} << kBucketBits;
inline constexpr uint16_t kNoBucket = std::numeric_limits<uint16_t>::max();  // for a zero base

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

// The customers of every group, in portfolio order, and their bases by bucket per group.
struct BucketedGroups {
  std::span<const TierIndex> group;            // each customer's group
  std::span<const int64_t> base_minor;         // each customer's base
  std::span<const uint16_t> bucket;            // its BaseBucket, kNoBucket for a zero base
  std::span<const uint32_t> bucket_count;      // kBaseBuckets per group: customers with a base
  std::span<const int64_t> bucket_base_minor;  // and their sum of bases
  std::span<const int64_t> floor_minor;        // per group: everyone's floor
  std::span<const int64_t> cap_minor;          // and cap
};

// One group's water-fill: on entry, what its customers with a base share (its total less the
// floors of those without) and the sum of their bases; on return, the same for those left free.
struct GroupFill {
  int64_t remaining_minor = 0;
  int64_t base_minor = 0;
};

// The passes of every group. REQUIRES: mark[i] == kMarkFree for every customer with a base;
// fate of kBaseBuckets per group, all Bound::kNone; what WaterFill requires, per group.
void BucketFill(const BucketedGroups& groups, std::span<GroupFill> fill, std::span<uint8_t> mark,
                std::span<Bound> fate);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_BUCKET_FILL_H_
