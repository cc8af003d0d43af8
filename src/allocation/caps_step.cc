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

struct CapsStep::Bounds {
  std::vector<int64_t> floor_minor;       // per customer
  std::vector<int64_t> cap_minor;         // per customer, kNoCap when uncapped
  std::vector<int64_t> tier_floor_minor;  // per tier, 0 when none
  std::vector<int64_t> tier_cap_minor;    // per tier, kNoCap when none
};

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
                        "tier_floor", "tier_cap", "redistribute", "excess"}));
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

  CapsStep step;
  step.across_portfolio_ = redistribute == 1;
  step.excess_unallocated_ = excess == 1;
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
                  step.excess_unallocated_ ? "; excess left unallocated" : "");
  return step;
}

absl::StatusOr<CapsStep::Bounds> CapsStep::Resolve(const Portfolio& portfolio,
                                                   const Allocation& result) const {
  const Currency currency = result.currency;
  const size_t tiers = tiers_.size();
  std::vector<int64_t> floor_t(tiers), cap_t(tiers);
  Bounds bounds;
  bounds.tier_floor_minor.resize(tiers);
  bounds.tier_cap_minor.resize(tiers);
  for (size_t t = 0; t < tiers; ++t) {
    UPKEEP_ASSIGN_OR_RETURN(floor_t[t], OptionalMinor(tiers_[t].customer_floor, currency, 0));
    UPKEEP_ASSIGN_OR_RETURN(cap_t[t], OptionalMinor(tiers_[t].customer_cap, currency, kNoCap));
    UPKEEP_ASSIGN_OR_RETURN(bounds.tier_floor_minor[t],
                            OptionalMinor(tiers_[t].tier_floor, currency, 0));
    UPKEEP_ASSIGN_OR_RETURN(bounds.tier_cap_minor[t],
                            OptionalMinor(tiers_[t].tier_cap, currency, kNoCap));
  }
  const size_t n = result.size();
  bounds.floor_minor.resize(n);
  bounds.cap_minor.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t t = result.tier[i];
    int64_t cap = cap_t[t];
    if (const std::optional<Decimal>& pct = tiers_[t].customer_cap_pct_of_revenue) {
      UPKEEP_ASSIGN_OR_RETURN(int64_t of_revenue,
                              PercentOf(portfolio.metrics(i).revenue_minor, *pct));
      cap = std::min(cap, of_revenue);
    }
    if (cap < floor_t[t]) {
      return MakeError(ErrorCode::kInfeasible,
                       absl::StrCat("customer ", portfolio.customer(i).id, ": its cap ",
                                    FormatMinor(cap, currency), " (revenue ",
                                    FormatMinor(portfolio.metrics(i).revenue_minor, currency),
                                    ") is below its floor ", FormatMinor(floor_t[t], currency),
                                    " by ", FormatMinor(absl::int128(floor_t[t]) - cap, currency)));
    }
    bounds.floor_minor[i] = floor_t[t];
    bounds.cap_minor[i] = cap;
  }
  return bounds;
}

}  // namespace upkeep::allocation_internal

namespace upkeep::allocation_internal {

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

absl::Status CapsStep::FillTiers(const Portfolio& portfolio, const Bounds& bounds,
                                 int64_t placed_minor, std::span<const int64_t> base_minor,
                                 std::span<Bound> bound, Allocation& result) const {
  const Currency currency = result.currency;
  const TierGroups groups = GroupByTier(result.tier, tiers_.size());
  const size_t tiers = tiers_.size();
  std::vector<int64_t> tier_base(tiers), tier_floor(tiers), tier_cap(tiers);
  std::vector<uint64_t> tier_keys(tiers);
  for (size_t t = 0; t < tiers; ++t) {
    absl::int128 base = 0, floors = 0, caps = 0;
    for (uint32_t i : groups.of(t)) {
      base += base_minor[i];
      floors += bounds.floor_minor[i];
      caps += EffectiveCap(base_minor[i], bounds.floor_minor[i], bounds.cap_minor[i]);
    }
    const absl::int128 low = std::max<absl::int128>(floors, bounds.tier_floor_minor[t]);
    const absl::int128 high = std::min<absl::int128>(caps, bounds.tier_cap_minor[t]);
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
    tier_base[t] = static_cast<int64_t>(base);  // <= placed
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

  std::vector<int64_t> base, floor, cap, out;
  std::vector<uint64_t> keys;
  std::vector<Bound> held;
  for (size_t t = 0; t < tiers; ++t) {
    const std::span<const uint32_t> members = groups.of(t);
    base.resize(members.size());
    floor.resize(members.size());
    cap.resize(members.size());
    keys.resize(members.size());
    out.resize(members.size());
    held.resize(members.size());
    for (size_t k = 0; k < members.size(); ++k) {
      base[k] = base_minor[members[k]];
      floor[k] = bounds.floor_minor[members[k]];
      cap[k] = bounds.cap_minor[members[k]];
      keys[k] = portfolio.tie_key(members[k]);
    }
    UPKEEP_RETURN_IF_ERROR(WaterFill({base, floor, cap, keys}, tier_total[t], out, held));
    for (size_t k = 0; k < members.size(); ++k) {
      result.amount_minor[members[k]] = out[k];
      bound[members[k]] = held[k];
    }
    if (tier_bound[t] != Bound::kNone) {
      const bool capped = tier_bound[t] == Bound::kCap;
      result.tier_flags[t] |= capped ? kAllocCapped : kAllocFloored;
      result.tier_bound_minor[t] = capped ? tier_cap[t] : tier_floor[t];
    }
  }
  return absl::OkStatus();
}

absl::Status CapsStep::Apply(const Portfolio& portfolio, uint8_t step, Allocation& result) const {
  UPKEEP_ASSIGN_OR_RETURN(const Bounds bounds, Resolve(portfolio, result));
  const int64_t placed = static_cast<int64_t>(Sum128(result.amount_minor));  // <= pool
  const std::vector<int64_t> base = result.amount_minor;
  std::vector<Bound> bound(base.size(), Bound::kNone);
  if (across_portfolio_) {
    std::vector<uint64_t> keys(base.size());
    for (size_t i = 0; i < keys.size(); ++i) keys[i] = portfolio.tie_key(i);
    const WaterFillInput input{base, bounds.floor_minor, bounds.cap_minor, keys};
    const Capacity capacity = CapacityOf(input);
    UPKEEP_ASSIGN_OR_RETURN(int64_t total,
                            Fit(capacity.floor_minor, capacity.cap_minor, placed, result));
    UPKEEP_RETURN_IF_ERROR(WaterFill(input, total, result.amount_minor, bound));
  } else {
    UPKEEP_RETURN_IF_ERROR(FillTiers(portfolio, bounds, placed, base, bound, result));
  }
  std::fill(result.tier_amount_minor.begin(), result.tier_amount_minor.end(), 0);
  for (size_t i = 0; i < base.size(); ++i) {
    const int64_t amount = result.amount_minor[i];
    result.tier_amount_minor[result.tier[i]] += amount;
    // A customer the common level puts exactly on its bound is held there too.
    if (bound[i] == Bound::kNone && amount > base[i] && amount == bounds.floor_minor[i]) {
      bound[i] = Bound::kFloor;
    } else if (bound[i] == Bound::kNone && amount < base[i] && amount == bounds.cap_minor[i]) {
      bound[i] = Bound::kCap;
    }
    if (bound[i] != Bound::kNone) {
      const bool capped = bound[i] == Bound::kCap;
      result.flags[i] = capped ? kAllocCapped : kAllocFloored;
      result.bound_minor[i] = capped ? bounds.cap_minor[i] : bounds.floor_minor[i];
      result.step[i] = step;
    } else if (amount != base[i]) {
      result.flags[i] = kAllocRebalanced;
      result.bound_minor[i] = 0;
      result.step[i] = step;
    }
  }
  result.steps.push_back(line_);
  return absl::OkStatus();
}

}  // namespace upkeep::allocation_internal
