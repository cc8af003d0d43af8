// allocation/caps_groups.h: the caps step's customers gathered by group, their water-fill, and
// the result written from it (internal; see caps_step.h).
//
// CapsStep::Gather fills a CapsGroups from a result: per group (a tier, or the whole portfolio)
// its customers' count, bounds and sums, and in the result's workspace what the water-fill reads.
// `mark` (in portfolio order) says what became of each customer (a kMark... code). With
// per-customer bounds, group g's customers with a base take positions [begin, begin + free) of
// the workspace arrays, in portfolio order: base in minor_a, portfolio index in `index`, floor in
// minor_b, cap in minor_c, for FillFree. With bounds of the groups' own (a tier's floor and cap for
// all its customers), each customer's bucket is in the workspace's `bucket`, and the bases are
// counted and summed by bucket for BucketFill; a customer it fixes with its whole bucket keeps
// kMarkFree and its bucket gets the `fate`; then the customers left free are gathered to the same
// positions (base and index), in portfolio order, for the final split. Settle then writes the
// step's answer into the result in one pass.
//
// Thread safety: the functions work on the result they are given only.
#ifndef UPKEEP_ALLOCATION_CAPS_GROUPS_H_
#define UPKEEP_ALLOCATION_CAPS_GROUPS_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "allocation/bucket_fill.h"
#include "allocation/water_fill.h"
#include "upkeep/allocation_result.h"
#include "upkeep/portfolio.h"

namespace upkeep::allocation_internal {

inline constexpr int64_t kNoCap = std::numeric_limits<int64_t>::max();

// What became of a customer (its workspace mark): kMarkFree (unchanged, or fixed with its bucket),
// held at its floor or cap (the Bound's value), its floor for lack of a base, or a new amount
// as a free customer: rebalanced, or exactly on its floor or cap.
inline constexpr uint8_t kMarkHeldFloor = 1;  // = Bound::kFloor
inline constexpr uint8_t kMarkHeldCap = 2;    // = Bound::kCap
inline constexpr uint8_t kMarkZeroBase = 3;
inline constexpr uint8_t kMarkRebalanced = 4;
inline constexpr uint8_t kMarkOnFloor = 5;
inline constexpr uint8_t kMarkOnCap = 6;

struct CapsGroups {
  struct Group {
    size_t begin = 0;
    size_t count = 0;
    size_t free = 0;          // customers with a base > 0
    int64_t floor_minor = 0;  // the customers' bounds, when they are the group's
    int64_t cap_minor = kNoCap;
    absl::int128 floor_total_minor = 0;  // the sum of floors
    absl::int128 cap_total_minor = 0;    // the sum of effective caps
    int64_t base_minor = 0;              // the sum of bases (<= the pool)
    absl::int128 zero_base_floor_minor = 0;
    int64_t total_minor = 0;  // what the water-fill places among the group
  };
  bool by_tier = true;
  bool per_customer_bounds = false;
  std::vector<Group> group;
  std::vector<int64_t> tier_floor_minor;  // per tier, 0 when none
  std::vector<int64_t> tier_cap_minor;    // per tier, kNoCap when none
  // With the groups' own bounds, per group and bucket: its customers with a base, their sum of
  // bases, and its fate.
  std::vector<uint32_t> bucket_count;
  std::vector<int64_t> bucket_base_minor;
  std::vector<Bound> fate;
};

// Each group's first position, by their counts, with a slot to spare after each (see
// FillGroupsByBucket).
void PlaceGroups(CapsGroups& groups);

// With per-customer bounds: the water-fill of a group's customers with a base.
absl::Status FillGroup(const Portfolio& portfolio, const CapsGroups::Group& group,
                       Allocation& result);

// With the groups' own bounds: the water-fill of every group by buckets, then the final split of
// each group's free customers, gathered in portfolio order.
absl::Status FillGroupsByBucket(const Portfolio& portfolio, CapsGroups& groups, Allocation& result);

// The step's answer into the result, in one pass in portfolio order, from each customer's mark
// (or, with the groups' own bounds, its bucket's fate): what it gets, and the flags, bound and
// step that say why when it changed; and the tiers' totals.
void Settle(const CapsGroups& groups, uint8_t step, Allocation& result);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_CAPS_GROUPS_H_
