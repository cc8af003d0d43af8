// The caps step's water-fill over gathered groups, and Settle (caps_groups.h).
#include "allocation/caps_groups.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status_macros.h"

namespace upkeep::allocation_internal {
namespace {

using Group = CapsGroups::Group;

// The flags each code gives.
constexpr uint8_t kFlagsOfMark[] = {
    0, kAllocFloored, kAllocCapped, kAllocFloored, kAllocRebalanced, kAllocFloored, kAllocCapped};

// A group's free customers in the workspace as FillFree / ShareFree entries. A customer held
// at a bound is marked (with per-customer bounds its bound written too); a free one gets its
// amount and the mark for it at once.
template <bool kPerCustomerBounds>
class GroupEntries {
 public:
  static constexpr bool kConstantBounds = !kPerCustomerBounds;
  static constexpr bool kStagesFloors = true;  // in the customer's amount, until Share

  GroupEntries(const Portfolio& portfolio, Allocation& result, const Group& group)
      : portfolio_(portfolio),
        base_(result.workspace.minor_a.data() + group.begin),
        floor_(kPerCustomerBounds ? result.workspace.minor_b.data() + group.begin : nullptr),
        cap_(kPerCustomerBounds ? result.workspace.minor_c.data() + group.begin : nullptr),
        index_(result.workspace.index.data() + group.begin),
        group_floor_(group.floor_minor),
        group_cap_(group.cap_minor),
        mark_(result.workspace.mark.data()),
        amount_(result.amount_minor.data()),
        bound_(result.bound_minor.data()),
        scratch_(&result.workspace.bucket) {}

  int64_t base(size_t k) const { return base_[k]; }
  int64_t floor(size_t k) const { return kPerCustomerBounds ? floor_[k] : group_floor_; }
  int64_t cap(size_t k) const { return kPerCustomerBounds ? cap_[k] : group_cap_; }
  uint64_t key(size_t k) const { return portfolio_.tie_key(index_[k]); }
  void Move(size_t from, size_t to) {
    base_[to] = base_[from];
    index_[to] = index_[from];
    if constexpr (kPerCustomerBounds) {
      floor_[to] = floor_[from];
      cap_[to] = cap_[from];
    }
  }
  void Hold(size_t k, bool held, Bound side) {
    const size_t i = index_[k];
    mark_[i] = held ? static_cast<uint8_t>(side) : kMarkFree;  // a free entry's mark is kMarkFree
    if constexpr (kPerCustomerBounds) {
      if (held) bound_[i] = side == Bound::kCap ? cap_[k] : floor_[k];  // few: a branch
    }
  }
  void Share(size_t k, int64_t amount) {
    const int64_t base = base_[k];
    const size_t i = index_[k];
    // A customer the common level puts exactly on its bound is held there too. Which it is
    // comes at random: arithmetic, not branches.
    const bool on_floor = amount > base && amount == floor(k);
    const bool on_cap = amount < base && amount == cap(k);
    const int code =
        amount != base ? kMarkRebalanced + (on_floor ? 1 : 0) + (on_cap ? 2 : 0) : kMarkFree;
    amount_[i] = amount;
    mark_[i] = static_cast<uint8_t>(code);
  }
  void StageFloor(size_t k, uint64_t floor) { amount_[index_[k]] = static_cast<int64_t>(floor); }
  uint64_t StagedFloor(size_t k) const { return static_cast<uint64_t>(amount_[index_[k]]); }
  void KeepBases(size_t) {}  // their amounts are their bases already (and marks kMarkFree)
  std::vector<uint16_t>* split_scratch() { return scratch_; }

 private:
  const Portfolio& portfolio_;
  int64_t* base_;
  int64_t* floor_;
  int64_t* cap_;
  uint32_t* index_;
  int64_t group_floor_;
  int64_t group_cap_;
  uint8_t* mark_;
  int64_t* amount_;
  int64_t* bound_;
  std::vector<uint16_t>* scratch_;
};

// What a group's customers with a base share: its total less the floors of those without
// (which fit in it, as the total is at least the group's floors).
int64_t Remaining(const Group& group) {
  return group.total_minor - static_cast<int64_t>(group.zero_base_floor_minor);
}

// The step's answer into the result, in one pass in portfolio order, from each customer's mark
// (or, with the groups' own bounds, its bucket's fate): what it gets, and the flags, bound and
// step that say why when it changed. Marks come mixed at random: selects, not branches.
template <bool kPerCustomerBounds>
void SettleAs(const CapsGroups& groups, uint8_t step, Allocation& result) {
  const size_t n = result.size();
  const size_t tiers = result.tier_names.size();
  // Plain pointers, as the byte stores below may alias anything reached through `result`.
  const TierIndex* tier = result.tier.data();
  const uint8_t* mark = result.workspace.mark.data();
  const Bound* fate = groups.fate.data();
  int64_t* amount_out = result.amount_minor.data();
  int64_t* bound_out = result.bound_minor.data();
  uint8_t* flags_out = result.flags.data();
  uint8_t* step_out = result.step.data();
  const bool by_tier = groups.by_tier;
  // Per group and code, what a held customer gets (its floor, cap, or floor for lack of a base),
  // and per code whether it is held and whether its amount is its bound, as masks.
  std::vector<int64_t> held_amount_of(8 * groups.group.size(), 0);
  for (size_t g = 0; g < groups.group.size(); ++g) {
    held_amount_of[8 * g + kMarkHeldFloor] = groups.group[g].floor_minor;
    held_amount_of[8 * g + kMarkHeldCap] = groups.group[g].cap_minor;
    held_amount_of[8 * g + kMarkZeroBase] = groups.group[g].floor_minor;
  }
  static constexpr int64_t kHeld[8] = {0, -1, -1, -1, 0, 0, 0, 0};
  static constexpr int64_t kOnBound[8] = {0, -1, -1, -1, 0, -1, -1, 0};
  // Per tier, four sums that consecutive customers add to in turn (no chain through memory).
  std::vector<int64_t> tier_sum(4 * tiers, 0);
  for (size_t i = 0; i < n; ++i) {
    const size_t t = tier[i];
    const size_t g = by_tier ? t : 0;
    const int64_t amount_now = amount_out[i];  // the base, or a free customer's new amount
    const int64_t bound_now = bound_out[i];
    size_t code = mark[i];
    if constexpr (!kPerCustomerBounds) {  // a kMarkFree customer may be held by its bucket
      const size_t bucket_fate =
          static_cast<size_t>(fate[g * kBaseBuckets + BaseBucket(amount_now)]);
      code |= bucket_fate & (code == kMarkFree ? size_t{3} : 0);
    }
    // With per-customer bounds the water-fill and Gather wrote a held customer's bound.
    const int64_t held_amount = kPerCustomerBounds ? bound_now : held_amount_of[8 * g + code];
    const int64_t amount = (held_amount & kHeld[code]) | (amount_now & ~kHeld[code]);
    const int64_t changed = code != kMarkFree ? -1 : 0;
    const uint8_t changed_byte = static_cast<uint8_t>(changed);
    bound_out[i] = (amount & kOnBound[code] & changed) | (bound_now & ~changed);
    flags_out[i] =
        static_cast<uint8_t>((kFlagsOfMark[code] & changed_byte) | (flags_out[i] & ~changed_byte));
    step_out[i] = static_cast<uint8_t>((step & changed_byte) | (step_out[i] & ~changed_byte));
    amount_out[i] = amount;
    tier_sum[(i & 3) * tiers + t] += amount;  // <= the pool
  }
  for (size_t t = 0; t < tiers; ++t) {
    result.tier_amount_minor[t] =
        tier_sum[t] + tier_sum[tiers + t] + tier_sum[2 * tiers + t] + tier_sum[3 * tiers + t];
  }
}

}  // namespace

void PlaceGroups(CapsGroups& groups) {
  size_t begin = 0;
  for (CapsGroups::Group& group : groups.group) {
    group.begin = begin;
    begin += group.count + 1;
  }
}

absl::Status FillGroup(const Portfolio& portfolio, const Group& group, Allocation& result) {
  GroupEntries<true> entries(portfolio, result, group);
  return FillFree(entries, group.free, Remaining(group), group.base_minor);
}

absl::Status FillGroupsByBucket(const Portfolio& portfolio, CapsGroups& groups,
                                Allocation& result) {
  const size_t group_count = groups.group.size();
  std::vector<int64_t> floor(group_count), cap(group_count);
  std::vector<GroupFill> fill(group_count);
  for (size_t g = 0; g < group_count; ++g) {
    floor[g] = groups.group[g].floor_minor;
    cap[g] = groups.group[g].cap_minor;
    fill[g] = {Remaining(groups.group[g]), groups.group[g].base_minor};
  }
  AllocationWorkspace& w = result.workspace;
  const BucketedGroups bucketed{result.tier,
                                result.amount_minor,
                                w.bucket,
                                groups.bucket_count,
                                groups.bucket_base_minor,
                                floor,
                                cap};
  BucketFill(bucketed, fill, w.mark, groups.fate);
  // The free customers of each group to its positions, in portfolio order (so that what the
  // final split writes to them goes forward through the result). Free and fixed ones come mixed
  // at random: every customer is written, and only a free one is kept (no branch); a group's
  // slot to spare takes what follows its last free one.
  std::vector<size_t> next(group_count);
  for (size_t g = 0; g < group_count; ++g) next[g] = groups.group[g].begin;
  const uint16_t* bucket = w.bucket.data();
  const uint8_t* mark = w.mark.data();
  const TierIndex* tier = result.tier.data();
  const int64_t* base = result.amount_minor.data();
  const Bound* fate = groups.fate.data();
  int64_t* free_base = w.minor_a.data();
  uint32_t* free_index = w.index.data();
  for (size_t i = 0; i < result.size(); ++i) {
    const size_t g = tier[i];
    const uint16_t b = bucket[i];
    const bool free = b != kNoBucket && mark[i] == kMarkFree &&
                      fate[g * kBaseBuckets + (b == kNoBucket ? 0 : b)] == Bound::kNone;
    const size_t pos = next[g];
    free_base[pos] = base[i];
    free_index[pos] = static_cast<uint32_t>(i);
    next[g] = pos + (free ? 1 : 0);
  }
  for (size_t g = 0; g < group_count; ++g) {
    const Group& group = groups.group[g];
    GroupEntries<false> entries(portfolio, result, group);
    UPKEEP_RETURN_IF_ERROR(
        ShareFree(entries, next[g] - group.begin, fill[g].remaining_minor, fill[g].base_minor));
  }
  return absl::OkStatus();
}

void Settle(const CapsGroups& groups, uint8_t step, Allocation& result) {
  if (groups.per_customer_bounds) {
    SettleAs<true>(groups, step, result);
  } else {
    SettleAs<false>(groups, step, result);
  }
}

}  // namespace upkeep::allocation_internal
