#include "allocation/caps_step.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "allocation/bucket_fill.h"
#include "allocation/exact_math.h"
#include "allocation/rule_support.h"
#include "allocation/water_fill.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {

constexpr int64_t kNoCap = std::numeric_limits<int64_t>::max();

namespace {

// `pct` % of `revenue_minor`, rounded down; a 64-bit fast path for the common case.
absl::StatusOr<int64_t> PercentOf(int64_t revenue_minor, Decimal pct) {
  uint64_t product = 0;
  if (pct.scale <= 16 && !__builtin_mul_overflow(static_cast<uint64_t>(revenue_minor),
                                                 static_cast<uint64_t>(pct.mantissa), &product)) {
    return static_cast<int64_t>(product / static_cast<uint64_t>(100 * PowerOf10(pct.scale)));
  }
  return ScaleByDecimals(revenue_minor, std::span<const Decimal>(&pct, 1), 100,
                         RoundingMode::kDown);
}

absl::StatusOr<int64_t> OptionalMinor(const std::optional<AmountParam>& amount, Currency currency,
                                      int64_t fallback) {
  if (!amount) return fallback;
  return amount->ToMinor(currency);
}

// "customer floor 500.00" or "customer floor strategic 2000.00, basic 200.00".
template <typename T, typename Text>
void DescribeKind(std::string_view label, const std::vector<T>& per_tier,
                  std::span<const std::string> tier_names, Text text, std::string& line) {
  std::vector<size_t> given;
  for (size_t t = 0; t < per_tier.size(); ++t) {
    if (per_tier[t]) given.push_back(t);
  }
  if (given.empty()) return;
  absl::StrAppend(&line, line.back() == ':' ? " " : "; ", AsAbsl(label));
  const bool uniform =
      given.size() == per_tier.size() && std::all_of(given.begin(), given.end(), [&](size_t t) {
        return text(*per_tier[t]) == text(*per_tier[0]);
      });
  if (uniform) {
    absl::StrAppend(&line, " ", text(*per_tier[0]));
    return;
  }
  for (size_t k = 0; k < given.size(); ++k) {
    absl::StrAppend(&line, k == 0 ? " " : ", ", tier_names[given[k]], " ",
                    text(*per_tier[given[k]]));
  }
}

// kPolicyInvalid at `cap`'s path when it is below `floor`.
absl::Status CheckCapNotBelowFloor(const std::optional<AmountParam>& floor,
                                   const std::optional<AmountParam>& cap, std::string_view what) {
  if (!floor || !cap || CompareDecimals(cap->value, floor->value) >= 0) return absl::OkStatus();
  return MakeError(ErrorCode::kPolicyInvalid,
                   absl::StrCat(cap->path, ": ", cap->value.ToString(), " is below the ",
                                AsAbsl(what), " ", floor->value.ToString()));
}

}  // namespace

absl::StatusOr<CapsStep> CapsStep::Parse(const PolicyParams& params,
                                         std::span<const std::string> tier_names) {
  UPKEEP_RETURN_IF_ERROR(
      params.CheckKeys({"rule", "customer_floor", "customer_cap", "customer_cap_pct_of_revenue",
                        "tier_floor", "tier_cap", "redistribute", "excess", "cap_below_floor"}));
  UPKEEP_ASSIGN_OR_RETURN(auto customer_floor,
                          FindAmountPerTier(params, "customer_floor", tier_names));
  UPKEEP_ASSIGN_OR_RETURN(auto customer_cap, FindAmountPerTier(params, "customer_cap", tier_names));
  UPKEEP_ASSIGN_OR_RETURN(auto cap_pct, FindDecimalPerTier(params, "customer_cap_pct_of_revenue",
                                                           tier_names, Range::kPercent));
  UPKEEP_ASSIGN_OR_RETURN(auto tier_floor, FindAmountPerTier(params, "tier_floor", tier_names));
  UPKEEP_ASSIGN_OR_RETURN(auto tier_cap, FindAmountPerTier(params, "tier_cap", tier_names));
  UPKEEP_ASSIGN_OR_RETURN(size_t redistribute,
                          ReadChoice(params, "redistribute", {"within_tier", "portfolio"}, 0));
  UPKEEP_ASSIGN_OR_RETURN(size_t excess, ReadChoice(params, "excess", {"error", "unallocated"}, 0));
  UPKEEP_ASSIGN_OR_RETURN(size_t cap_below_floor,
                          ReadChoice(params, "cap_below_floor", {"error", "cap"}, 0));

  CapsStep step;
  step.across_portfolio_ = redistribute == 1;
  step.excess_unallocated_ = excess == 1;
  step.cap_wins_ = cap_below_floor == 1;
  bool any = false;
  bool any_tier_bound = false;
  for (size_t t = 0; t < tier_names.size(); ++t) {
    UPKEEP_RETURN_IF_ERROR(
        CheckCapNotBelowFloor(customer_floor[t], customer_cap[t], "customer floor"));
    UPKEEP_RETURN_IF_ERROR(CheckCapNotBelowFloor(tier_floor[t], tier_cap[t], "tier floor"));
    any = any || customer_floor[t] || customer_cap[t] || cap_pct[t];
    any_tier_bound = any_tier_bound || tier_floor[t] || tier_cap[t];
    step.tiers_.push_back(
        TierBounds{customer_floor[t], customer_cap[t], cap_pct[t], tier_floor[t], tier_cap[t]});
  }
  if (!any && !any_tier_bound) {
    return params.Error("",
                        "needs at least one of customer_floor, customer_cap, "
                        "customer_cap_pct_of_revenue, tier_floor, tier_cap");
  }
  if (step.across_portfolio_ && any_tier_bound) {
    return params.Error("redistribute",
                        "\"portfolio\" cannot be combined with tier_floor or "
                        "tier_cap; use \"within_tier\"");
  }
  const auto amount_text = [](const AmountParam& a) { return a.value.ToString(); };
  const auto pct_text = [](const Decimal& d) {
    return absl::StrCat(d.ToString(), " % of revenue");
  };
  step.line_ = "caps:";
  DescribeKind("customer floor", customer_floor, tier_names, amount_text, step.line_);
  DescribeKind("customer cap", customer_cap, tier_names, amount_text, step.line_);
  DescribeKind("customer cap", cap_pct, tier_names, pct_text, step.line_);
  DescribeKind("tier floor", tier_floor, tier_names, amount_text, step.line_);
  DescribeKind("tier cap", tier_cap, tier_names, amount_text, step.line_);
  absl::StrAppend(&step.line_, "; redistributed ",
                  step.across_portfolio_ ? "across the portfolio" : "within tiers first",
                  step.excess_unallocated_ ? "; excess left unallocated" : "",
                  step.cap_wins_ ? "; a cap below its floor wins" : "");
  return step;
}

// What Gather finds, per group (a tier, or the whole portfolio). `mark` (in portfolio order) says
// what became of each customer (a kMark... code). With per-customer bounds, group g's customers
// with a base take positions [begin, begin + free) of the workspace arrays, in portfolio order:
// base in minor_a, portfolio index in `index`, floor in minor_b, cap in minor_c, for FillFree.
// With bounds of the groups' own (a tier's floor and cap for all its customers), each customer's
// bucket is in the workspace's `bucket`, and the bases are counted and summed by bucket for
// BucketFill; a customer it fixes with its whole bucket keeps kMarkFree and its bucket gets the
// `fate`; then the customers left free are gathered to the same positions (base and index), in
// portfolio order, for the final split.
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

namespace {

using Group = CapsGroups::Group;

// What became of a customer (its workspace mark): kMarkFree (unchanged, or fixed with its bucket),
// held at its floor or cap (the Bound's value), its floor for lack of a base, or a new amount
// as a free customer: rebalanced, or exactly on its floor or cap.
constexpr uint8_t kMarkHeldFloor = 1;  // = Bound::kFloor
constexpr uint8_t kMarkHeldCap = 2;    // = Bound::kCap
constexpr uint8_t kMarkZeroBase = 3;
constexpr uint8_t kMarkRebalanced = 4;
constexpr uint8_t kMarkOnFloor = 5;
constexpr uint8_t kMarkOnCap = 6;
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

// What group g's customers with a base share: its total less the floors of those without
// (which fit in it, as the total is at least the group's floors).
int64_t Remaining(const Group& group) {
  return group.total_minor - static_cast<int64_t>(group.zero_base_floor_minor);
}

// With per-customer bounds: the water-fill of group g's customers with a base.
absl::Status FillGroup(const Portfolio& portfolio, const Group& group, Allocation& result) {
  GroupEntries<true> entries(portfolio, result, group);
  return FillFree(entries, group.free, Remaining(group), group.base_minor);
}

// With the groups' own bounds: the water-fill of every group by buckets, then the final split of
// each group's free customers, gathered in portfolio order.
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

// The step's answer into the result, in one pass in portfolio order, from each customer's mark
// (or, with the groups' own bounds, its bucket's fate): what it gets, and the flags, bound and
// step that say why when it changed. Marks come mixed at random: selects, not branches.
template <bool kPerCustomerBounds>
void Settle(const CapsGroups& groups, uint8_t step, Allocation& result) {
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

// Each group's first position, by their counts, with a slot to spare after each (see
// FillGroupsByBucket).
void PlaceGroups(CapsGroups& groups) {
  size_t begin = 0;
  for (CapsGroups::Group& group : groups.group) {
    group.begin = begin;
    begin += group.count + 1;
  }
}

}  // namespace

absl::Status CapsStep::Gather(const Portfolio& portfolio, Allocation& result,
                              CapsGroups& groups) const {
  const Currency currency = result.currency;
  const size_t tiers = tiers_.size();
  const size_t n = result.size();
  std::vector<int64_t> floor_t(tiers), cap_t(tiers);
  groups.tier_floor_minor.assign(tiers, 0);
  groups.tier_cap_minor.assign(tiers, kNoCap);
  bool any_pct = false;
  for (size_t t = 0; t < tiers; ++t) {
    UPKEEP_ASSIGN_OR_RETURN(floor_t[t], OptionalMinor(tiers_[t].customer_floor, currency, 0));
    UPKEEP_ASSIGN_OR_RETURN(cap_t[t], OptionalMinor(tiers_[t].customer_cap, currency, kNoCap));
    UPKEEP_ASSIGN_OR_RETURN(groups.tier_floor_minor[t],
                            OptionalMinor(tiers_[t].tier_floor, currency, 0));
    UPKEEP_ASSIGN_OR_RETURN(groups.tier_cap_minor[t],
                            OptionalMinor(tiers_[t].tier_cap, currency, kNoCap));
    any_pct = any_pct || tiers_[t].customer_cap_pct_of_revenue.has_value();
  }
  groups.by_tier = !across_portfolio_;
  groups.per_customer_bounds = across_portfolio_ || any_pct;
  groups.group.assign(groups.by_tier ? tiers : 1, {});
  for (size_t t = 0; groups.by_tier && t < tiers; ++t) {
    groups.group[t].floor_minor = floor_t[t];
    groups.group[t].cap_minor = cap_t[t];
  }
  AllocationWorkspace& w = result.workspace;
  w.minor_a.resize(n + groups.group.size());  // a slot to spare per group
  w.index.resize(n + groups.group.size());
  w.mark.resize(n);
  if (!groups.per_customer_bounds) {
    GatherByBucket(result, groups);  // counts the tiers' customers too
    PlaceGroups(groups);
    return absl::OkStatus();
  }
  if (groups.by_tier) {
    const std::vector<size_t> count = CountByTier(result.tier, tiers);
    for (size_t t = 0; t < tiers; ++t) groups.group[t].count = count[t];
  } else {
    groups.group[0].count = n;
  }
  PlaceGroups(groups);
  w.minor_b.resize(n);
  w.minor_c.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t t = result.tier[i];
    Group& group = groups.group[groups.by_tier ? t : 0];
    int64_t cap = cap_t[t];
    if (const std::optional<Decimal>& pct = tiers_[t].customer_cap_pct_of_revenue) {
      UPKEEP_ASSIGN_OR_RETURN(const int64_t of_revenue,
                              PercentOf(portfolio.metrics(i).revenue_minor, *pct));
      cap = std::min(cap, of_revenue);
    }
    const bool cap_below_floor = cap < floor_t[t];
    if (cap_below_floor && !cap_wins_) {
      return MakeError(ErrorCode::kInfeasible,
                       absl::StrCat("customer ", portfolio.customer(i).id, ": its cap ",
                                    FormatMinor(cap, currency), " (revenue ",
                                    FormatMinor(portfolio.metrics(i).revenue_minor, currency),
                                    ") is below its floor ", FormatMinor(floor_t[t], currency),
                                    " by ", FormatMinor(absl::int128(floor_t[t]) - cap, currency)));
    }
    const int64_t floor = cap_below_floor ? cap : floor_t[t];
    const int64_t base = result.amount_minor[i];
    group.floor_total_minor += floor;
    group.cap_total_minor += EffectiveCap(base, floor, cap);
    group.base_minor += base;
    if (base == 0) {  // its floor, which Settle takes from its bound
      w.mark[i] = floor > 0 ? kMarkZeroBase : kMarkFree;
      if (floor > 0) result.bound_minor[i] = floor;
      group.zero_base_floor_minor += floor;
      continue;
    }
    w.mark[i] = kMarkFree;
    const size_t pos = group.begin + group.free++;
    w.minor_a[pos] = base;
    w.index[pos] = static_cast<uint32_t>(i);
    w.minor_b[pos] = floor;
    w.minor_c[pos] = cap;
  }
  return absl::OkStatus();
}

void CapsStep::GatherByBucket(Allocation& result, CapsGroups& groups) const {
  const size_t tiers = groups.group.size();
  const size_t n = result.size();
  AllocationWorkspace& w = result.workspace;
  w.bucket.resize(n);
  // Count and sum each tier's bases by bucket.
  groups.bucket_count.assign(tiers * kBaseBuckets, 0);
  groups.bucket_base_minor.assign(tiers * kBaseBuckets, 0);
  groups.fate.assign(tiers * kBaseBuckets, Bound::kNone);
  std::vector<size_t> zero_based(tiers, 0);
  for (size_t i = 0; i < n; ++i) {
    const size_t t = result.tier[i];
    const int64_t base = result.amount_minor[i];
    if (base == 0) {  // its floor
      w.mark[i] = groups.group[t].floor_minor > 0 ? kMarkZeroBase : kMarkFree;
      w.bucket[i] = kNoBucket;
      ++zero_based[t];
      continue;
    }
    w.mark[i] = kMarkFree;
    const size_t bucket = BaseBucket(base);
    w.bucket[i] = static_cast<uint16_t>(bucket);
    ++groups.bucket_count[t * kBaseBuckets + bucket];
    groups.bucket_base_minor[t * kBaseBuckets + bucket] += base;
  }
  for (size_t t = 0; t < tiers; ++t) {
    Group& group = groups.group[t];
    for (size_t b = 0; b < kBaseBuckets; ++b) {
      group.free += groups.bucket_count[t * kBaseBuckets + b];
      group.base_minor += groups.bucket_base_minor[t * kBaseBuckets + b];  // <= the pool
    }
    group.count = group.free + zero_based[t];
    // Each tier's bounds are its customers': the sums of floors and caps follow from the counts.
    group.floor_total_minor = absl::int128(group.floor_minor) * group.count;
    group.cap_total_minor = absl::int128(group.cap_minor) * group.free +
                            absl::int128(group.floor_minor) * zero_based[t];  // EffectiveCap
    group.zero_base_floor_minor = absl::int128(group.floor_minor) * zero_based[t];
  }
}

absl::StatusOr<int64_t> CapsStep::Fit(absl::int128 floor_total_minor, absl::int128 cap_total_minor,
                                      int64_t placed_minor, Allocation& result) const {
  const Currency currency = result.currency;
  if (floor_total_minor > placed_minor) {
    return MakeError(
        ErrorCode::kInfeasible,
        absl::StrCat("caps: the floors need ", FormatMinor(floor_total_minor, currency),
                     " but the pool to allocate is ", FormatMinor(placed_minor, currency),
                     ": short by ", FormatMinor(floor_total_minor - placed_minor, currency)));
  }
  if (cap_total_minor >= placed_minor) return placed_minor;
  const int64_t excess = placed_minor - static_cast<int64_t>(cap_total_minor);
  if (!excess_unallocated_) {
    return MakeError(
        ErrorCode::kInfeasible,
        absl::StrCat("caps: the caps allow at most ", FormatMinor(cap_total_minor, currency),
                     " of the ", FormatMinor(placed_minor, currency),
                     " to allocate: ", FormatMinor(excess, currency),
                     " has nowhere to go (\"excess\": \"unallocated\" holds it back)"));
  }
  result.unallocated_minor += excess;
  return placed_minor - excess;
}

absl::Status CapsStep::FillTiers(CapsGroups& groups, int64_t placed_minor,
                                 Allocation& result) const {
  const Currency currency = result.currency;
  const size_t tiers = tiers_.size();
  std::vector<int64_t> tier_base(tiers), tier_floor(tiers), tier_cap(tiers);
  std::vector<uint64_t> tier_keys(tiers);
  for (size_t t = 0; t < tiers; ++t) {
    const auto& inner = groups.group[t];
    const absl::int128 low =
        std::max<absl::int128>(inner.floor_total_minor, groups.tier_floor_minor[t]);
    const absl::int128 high =
        std::min<absl::int128>(inner.cap_total_minor, groups.tier_cap_minor[t]);
    if (low > high) {
      return MakeError(
          ErrorCode::kInfeasible,
          absl::StrCat("caps: tier ", result.tier_names[t], " must get at least ",
                       FormatMinor(low, currency), " but at most ", FormatMinor(high, currency),
                       ": apart by ", FormatMinor(low - high, currency)));
    }
    if (low > placed_minor) {
      return MakeError(ErrorCode::kInfeasible,
                       absl::StrCat("caps: tier ", result.tier_names[t], " needs at least ",
                                    FormatMinor(low, currency), " but the pool to allocate is ",
                                    FormatMinor(placed_minor, currency), ": short by ",
                                    FormatMinor(low - placed_minor, currency)));
    }
    tier_base[t] = inner.base_minor;
    tier_floor[t] = static_cast<int64_t>(low);
    tier_cap[t] = static_cast<int64_t>(std::min<absl::int128>(high, kNoCap));
    tier_keys[t] = t;
  }
  const WaterFillInput tier_input{tier_base, tier_floor, tier_cap, tier_keys};
  const Capacity capacity = CapacityOf(tier_input);
  UPKEEP_ASSIGN_OR_RETURN(int64_t total,
                          Fit(capacity.floor_minor, capacity.cap_minor, placed_minor, result));
  std::vector<int64_t> tier_total(tiers);
  std::vector<Bound> tier_bound(tiers);
  UPKEEP_RETURN_IF_ERROR(WaterFill(tier_input, total, tier_total, tier_bound));
  for (size_t t = 0; t < tiers; ++t) {
    groups.group[t].total_minor = tier_total[t];
    if (tier_bound[t] != Bound::kNone) {
      const bool capped = tier_bound[t] == Bound::kCap;
      result.tier_flags[t] |= capped ? kAllocCapped : kAllocFloored;
      result.tier_bound_minor[t] = capped ? tier_cap[t] : tier_floor[t];
    }
  }
  return absl::OkStatus();
}

absl::Status CapsStep::Apply(const Portfolio& portfolio, uint8_t step, Allocation& result) const {
  CapsGroups groups;
  UPKEEP_RETURN_IF_ERROR(Gather(portfolio, result, groups));
  int64_t placed = 0;  // <= the pool
  for (const Group& group : groups.group) placed += group.base_minor;
  if (groups.by_tier) {
    UPKEEP_RETURN_IF_ERROR(FillTiers(groups, placed, result));
  } else {
    Group& everyone = groups.group[0];
    UPKEEP_ASSIGN_OR_RETURN(everyone.total_minor, Fit(everyone.floor_total_minor,
                                                      everyone.cap_total_minor, placed, result));
  }
  if (groups.per_customer_bounds) {
    for (const Group& group : groups.group) {
      UPKEEP_RETURN_IF_ERROR(FillGroup(portfolio, group, result));
    }
  } else {
    UPKEEP_RETURN_IF_ERROR(FillGroupsByBucket(portfolio, groups, result));
  }
  if (groups.per_customer_bounds) {
    Settle<true>(groups, step, result);
  } else {
    Settle<false>(groups, step, result);
  }
  result.steps.push_back(line_);
  return absl::OkStatus();
}

}  // namespace upkeep::allocation_internal
