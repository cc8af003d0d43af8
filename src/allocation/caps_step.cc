#include "allocation/caps_step.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
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

// What Gather finds, per group (a tier, or the whole portfolio). Group g's customers with a base
// take positions [begin, begin + free) of the workspace arrays, in portfolio order: base in
// minor_a, portfolio index in `index`, and with per-customer bounds the floor in minor_b and the
// cap in minor_c (else the group's bounds hold for all). With per-customer bounds, those without a
// base fill the group's positions from its end, their floors in minor_b. `mark` (in portfolio
// order) says what became of each customer: kMarkFree, held at a floor or cap (the Bound), or
// kMarkZeroBase. The water-fill keeps the free customers at the front and leaves each one's amount
// in minor_a; Settle then writes the result in one pass in portfolio order. The arrays have one
// slot more than customers, so that Settle may read one past a group's end.
constexpr uint8_t kMarkFree = 0;  // then kFloor = 1 and kCap = 2 as Bound
constexpr uint8_t kMarkZeroBase = 3;

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
};

namespace {

using Group = CapsGroups::Group;

// A group's free customers in the workspace as FillFree entries. A customer held at a bound gets
// its flag (and with per-customer bounds its bound) at once; a free one's amount stays in the
// workspace for Settle.
template <bool kPerCustomerBounds>
class GroupEntries {
 public:
  static constexpr bool kConstantBounds = !kPerCustomerBounds;

  GroupEntries(const Portfolio& portfolio, Allocation& result, const Group& group)
      : portfolio_(portfolio),
        base_(result.workspace.minor_a.data() + group.begin),
        floor_(kPerCustomerBounds ? result.workspace.minor_b.data() + group.begin : nullptr),
        cap_(kPerCustomerBounds ? result.workspace.minor_c.data() + group.begin : nullptr),
        index_(result.workspace.index.data() + group.begin),
        group_floor_(group.floor_minor),
        group_cap_(group.cap_minor),
        mark_(result.workspace.mark.data()),
        bound_(result.bound_minor.data()) {}

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
  void Share(size_t k, int64_t amount) { base_[k] = amount; }

 private:
  const Portfolio& portfolio_;
  int64_t* base_;
  int64_t* floor_;
  int64_t* cap_;
  uint32_t* index_;
  int64_t group_floor_;
  int64_t group_cap_;
  uint8_t* mark_;
  int64_t* bound_;
};

// The water-fill of one group's customers with a base.
template <bool kPerCustomerBounds>
absl::Status FillGroup(const Portfolio& portfolio, const Group& group, Allocation& result) {
  GroupEntries<kPerCustomerBounds> entries(portfolio, result, group);
  // What they share: the group's total less the zero-base floors (which fit in it, as the
  // total is at least the group's floors).
  const int64_t remaining = group.total_minor - static_cast<int64_t>(group.zero_base_floor_minor);
  return FillFree(entries, group.free, remaining, group.base_minor);
}

// The step's answer into the result, in portfolio order. A customer is either without a base
// (it gets its floor), free (the next of its group in the workspace: its amount there; held if
// the common level puts it exactly on a bound, rebalanced if it moved), or held by the water-fill
// at its floor or cap. Free and held customers come mixed at random, so the choice between them
// is made with selects, not branches.
template <bool kPerCustomerBounds>
void Settle(const CapsGroups& groups, uint8_t step, Allocation& result) {
  struct Cursor {
    size_t next_free;
    size_t next_zero;
    int64_t floor_minor;
    int64_t cap_minor;
  };
  std::vector<Cursor> cursors;
  for (const Group& group : groups.group) {
    cursors.push_back({group.begin, group.begin + group.count, group.floor_minor, group.cap_minor});
  }
  const size_t n = result.size();
  const size_t tiers = result.tier_names.size();
  // Plain pointers, as the byte stores below may alias anything reached through `result`.
  const TierIndex* tier = result.tier.data();
  const uint8_t* mark = result.workspace.mark.data();
  int64_t* amount_out = result.amount_minor.data();
  int64_t* bound_out = result.bound_minor.data();
  uint8_t* flags_out = result.flags.data();
  uint8_t* step_out = result.step.data();
  const int64_t* free_amount = result.workspace.minor_a.data();
  const int64_t* free_floor = result.workspace.minor_b.data();
  const int64_t* free_cap = result.workspace.minor_c.data();
  // Per tier, four sums that consecutive customers add to in turn (no chain through memory).
  std::vector<int64_t> tier_sum(4 * tiers, 0);
  for (size_t i = 0; i < n; ++i) {
    const size_t t = tier[i];
    Cursor& c = cursors[groups.by_tier ? t : 0];
    const int64_t base = amount_out[i];
    const uint8_t m = mark[i];
    int64_t amount = base;
    if (m == kMarkZeroBase) [[unlikely]] {
      const int64_t floor = kPerCustomerBounds ? free_floor[--c.next_zero] : c.floor_minor;
      if (floor > 0) {
        amount = floor;
        flags_out[i] = kAllocFloored;
        bound_out[i] = floor;
        step_out[i] = step;
      }
    } else {
      const size_t f = c.next_free;  // may be the group's end: the arrays have a slot to spare
      const bool is_free = m == kMarkFree;
      c.next_free = f + (is_free ? 1 : 0);
      const bool held_at_cap = m == static_cast<uint8_t>(Bound::kCap);
      const int64_t floor = kPerCustomerBounds ? free_floor[f] : c.floor_minor;
      const int64_t cap = kPerCustomerBounds ? free_cap[f] : c.cap_minor;
      const int64_t held_amount =
          kPerCustomerBounds ? bound_out[i] : (held_at_cap ? c.cap_minor : c.floor_minor);
      amount = is_free ? free_amount[f] : held_amount;
      // A customer the common level puts exactly on its bound is held there too.
      const bool on_floor = amount > base && amount == floor;
      const bool on_cap = amount < base && amount == cap;
      const uint8_t free_flags =
          on_floor ? kAllocFloored : (on_cap ? kAllocCapped : kAllocRebalanced);
      const uint8_t held_flags = held_at_cap ? kAllocCapped : kAllocFloored;
      const bool changed = !is_free || amount != base;
      const uint8_t flags = is_free ? free_flags : held_flags;
      const int64_t bound = is_free ? (on_floor || on_cap ? amount : 0) : held_amount;
      flags_out[i] = changed ? flags : flags_out[i];
      bound_out[i] = changed ? bound : bound_out[i];
      step_out[i] = changed ? step : step_out[i];
    }
    amount_out[i] = amount;
    tier_sum[(i & 3) * tiers + t] += amount;  // <= the pool
  }
  for (size_t t = 0; t < tiers; ++t) {
    result.tier_amount_minor[t] =
        tier_sum[t] + tier_sum[tiers + t] + tier_sum[2 * tiers + t] + tier_sum[3 * tiers + t];
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
  if (groups.by_tier) {
    const std::vector<size_t> count = CountByTier(result.tier, tiers);
    size_t begin = 0;
    for (size_t t = 0; t < tiers; ++t) {
      groups.group[t].begin = begin;
      groups.group[t].count = count[t];
      groups.group[t].floor_minor = floor_t[t];
      groups.group[t].cap_minor = cap_t[t];
      begin += count[t];
    }
  } else {
    groups.group[0].count = n;
  }
  AllocationWorkspace& w = result.workspace;
  w.minor_a.resize(n + 1);
  w.index.resize(n + 1);
  w.mark.resize(n);
  if (!groups.per_customer_bounds) {
    // Each tier's bounds are its customers': only the bases are gathered, and the sums of
    // floors and caps follow from the counts.
    std::vector<size_t> next(tiers);
    for (size_t t = 0; t < tiers; ++t) next[t] = groups.group[t].begin;
    std::vector<int64_t> base_sum(4 * tiers, 0);  // four per tier, as in Settle
    for (size_t i = 0; i < n; ++i) {
      const size_t t = result.tier[i];
      const int64_t base = result.amount_minor[i];
      if (base == 0) {
        w.mark[i] = kMarkZeroBase;
        continue;
      }
      w.mark[i] = kMarkFree;
      const size_t pos = next[t]++;
      w.minor_a[pos] = base;
      w.index[pos] = static_cast<uint32_t>(i);
      base_sum[(i & 3) * tiers + t] += base;
    }
    for (size_t t = 0; t < tiers; ++t) {
      Group& group = groups.group[t];
      group.free = next[t] - group.begin;
      const size_t zero_based = group.count - group.free;
      group.base_minor =
          base_sum[t] + base_sum[tiers + t] + base_sum[2 * tiers + t] + base_sum[3 * tiers + t];
      group.floor_total_minor = absl::int128(group.floor_minor) * group.count;
      group.cap_total_minor = absl::int128(group.cap_minor) * group.free +
                              absl::int128(group.floor_minor) * zero_based;  // EffectiveCap
      group.zero_base_floor_minor = absl::int128(group.floor_minor) * zero_based;
    }
    return absl::OkStatus();
  }
  w.minor_b.resize(n + 1);
  w.minor_c.resize(n + 1);
  std::vector<size_t> zero_based(groups.group.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    const size_t t = result.tier[i];
    const size_t g = groups.by_tier ? t : 0;
    Group& group = groups.group[g];
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
    if (base == 0) {
      w.mark[i] = kMarkZeroBase;
      w.minor_b[group.begin + group.count - ++zero_based[g]] = floor;
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
  for (Group& group : groups.group) {
    UPKEEP_RETURN_IF_ERROR(groups.per_customer_bounds ? FillGroup<true>(portfolio, group, result)
                                                      : FillGroup<false>(portfolio, group, result));
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
