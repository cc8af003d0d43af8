#include "allocation/caps_step.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "allocation/bucket_fill.h"
#include "allocation/caps_groups.h"
#include "allocation/exact_math.h"
#include "allocation/rule_support.h"
#include "allocation/water_fill.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

using Group = CapsGroups::Group;

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
  w.minor_b.resize(n + groups.group.size());
  w.minor_c.resize(n + groups.group.size());
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
  Settle(groups, step, result);
  result.steps.push_back(line_);
  return absl::OkStatus();
}

}  // namespace upkeep::allocation_internal
