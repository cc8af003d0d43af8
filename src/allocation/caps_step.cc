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

struct CapsStep::Gathered {
  std::vector<int64_t> base_minor;
  std::vector<int64_t> floor_minor;
  std::vector<int64_t> cap_minor;  // kNoCap when uncapped
  std::vector<uint64_t> tie_key;
  std::vector<int64_t> tier_floor_minor;  // per tier, 0 when none
  std::vector<int64_t> tier_cap_minor;    // per tier, kNoCap when none
  WaterFillInput Slice(size_t begin, size_t count) const {
    return {std::span(base_minor).subspan(begin, count),
            std::span(floor_minor).subspan(begin, count),
            std::span(cap_minor).subspan(begin, count), std::span(tie_key).subspan(begin, count)};
  }
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

absl::StatusOr<CapsStep::Gathered> CapsStep::Gather(const Portfolio& portfolio,
                                                    const Allocation& result,
                                                    const TierLayout& layout) const {
  const Currency currency = result.currency;
  const size_t tiers = tiers_.size();
  const size_t n = result.size();
  std::vector<int64_t> floor_t(tiers), cap_t(tiers);
  Gathered g{std::vector<int64_t>(n),  std::vector<int64_t>(n),     std::vector<int64_t>(n),
             std::vector<uint64_t>(n), std::vector<int64_t>(tiers), std::vector<int64_t>(tiers)};
  for (size_t t = 0; t < tiers; ++t) {
    UPKEEP_ASSIGN_OR_RETURN(floor_t[t], OptionalMinor(tiers_[t].customer_floor, currency, 0));
    UPKEEP_ASSIGN_OR_RETURN(cap_t[t], OptionalMinor(tiers_[t].customer_cap, currency, kNoCap));
    UPKEEP_ASSIGN_OR_RETURN(g.tier_floor_minor[t],
                            OptionalMinor(tiers_[t].tier_floor, currency, 0));
    UPKEEP_ASSIGN_OR_RETURN(g.tier_cap_minor[t],
                            OptionalMinor(tiers_[t].tier_cap, currency, kNoCap));
  }
  absl::Status status;
  layout.ForEach(result.tier, [&](size_t i, size_t pos) {
    const size_t t = result.tier[i];
    int64_t cap = cap_t[t];
    if (const std::optional<Decimal>& pct = tiers_[t].customer_cap_pct_of_revenue) {
      absl::StatusOr<int64_t> of_revenue = PercentOf(portfolio.metrics(i).revenue_minor, *pct);
      if (!of_revenue.ok()) {
        if (status.ok()) status = of_revenue.status();
        return;
      }
      cap = std::min(cap, *of_revenue);
    }
    const bool cap_below_floor = cap < floor_t[t];
    if (cap_below_floor && !cap_wins_ && status.ok()) {
      status =
          MakeError(ErrorCode::kInfeasible,
                    absl::StrCat("customer ", portfolio.customer(i).id, ": its cap ",
                                 FormatMinor(cap, currency), " (revenue ",
                                 FormatMinor(portfolio.metrics(i).revenue_minor, currency),
                                 ") is below its floor ", FormatMinor(floor_t[t], currency), " by ",
                                 FormatMinor(absl::int128(floor_t[t]) - cap, currency)));
    }
    g.base_minor[pos] = result.amount_minor[i];
    g.floor_minor[pos] = cap_below_floor ? cap : floor_t[t];
    g.cap_minor[pos] = cap;
    g.tie_key[pos] = portfolio.tie_key(i);
  });
  if (!status.ok()) return status;
  return g;
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

absl::Status CapsStep::FillTiers(const Gathered& g, const TierLayout& layout, int64_t placed_minor,
                                 std::span<int64_t> out, std::span<Bound> bound,
                                 Allocation& result) const {
  const Currency currency = result.currency;
  const size_t tiers = tiers_.size();
  std::vector<int64_t> tier_base(tiers), tier_floor(tiers), tier_cap(tiers);
  std::vector<uint64_t> tier_keys(tiers);
  for (size_t t = 0; t < tiers; ++t) {
    const Capacity inner = CapacityOf(g.Slice(layout.begin(t), layout.count(t)));
    const absl::int128 low = std::max<absl::int128>(inner.floor_minor, g.tier_floor_minor[t]);
    const absl::int128 high = std::min<absl::int128>(inner.cap_minor, g.tier_cap_minor[t]);
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
    const auto base = std::span(g.base_minor).subspan(layout.begin(t), layout.count(t));
    tier_base[t] = static_cast<int64_t>(Sum128(base));  // <= placed
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
    UPKEEP_RETURN_IF_ERROR(WaterFill(g.Slice(layout.begin(t), layout.count(t)), tier_total[t],
                                     out.subspan(layout.begin(t), layout.count(t)),
                                     bound.subspan(layout.begin(t), layout.count(t))));
    if (tier_bound[t] != Bound::kNone) {
      const bool capped = tier_bound[t] == Bound::kCap;
      result.tier_flags[t] |= capped ? kAllocCapped : kAllocFloored;
      result.tier_bound_minor[t] = capped ? tier_cap[t] : tier_floor[t];
    }
  }
  return absl::OkStatus();
}

absl::Status CapsStep::Apply(const Portfolio& portfolio, uint8_t step, Allocation& result) const {
  const TierLayout layout = LayoutByTier(result.tier, tiers_.size());
  UPKEEP_ASSIGN_OR_RETURN(const Gathered g, Gather(portfolio, result, layout));
  const int64_t placed = static_cast<int64_t>(Sum128(g.base_minor));  // <= pool
  const size_t n = g.base_minor.size();
  std::vector<int64_t> out(n);
  std::vector<Bound> bound(n, Bound::kNone);
  if (across_portfolio_) {
    const WaterFillInput input = g.Slice(0, n);
    const Capacity capacity = CapacityOf(input);
    UPKEEP_ASSIGN_OR_RETURN(int64_t total,
                            Fit(capacity.floor_minor, capacity.cap_minor, placed, result));
    UPKEEP_RETURN_IF_ERROR(WaterFill(input, total, out, bound));
  } else {
    UPKEEP_RETURN_IF_ERROR(FillTiers(g, layout, placed, out, bound, result));
  }
  for (size_t t = 0; t < tiers_.size(); ++t) {
    result.tier_amount_minor[t] =
        static_cast<int64_t>(Sum128(std::span(out).subspan(layout.begin(t), layout.count(t))));
  }
  layout.ForEach(result.tier, [&](size_t i, size_t pos) {
    const int64_t amount = out[pos];
    const int64_t base = g.base_minor[pos];
    Bound held = bound[pos];
    // A customer the common level puts exactly on its bound is held there too.
    if (held == Bound::kNone && amount > base && amount == g.floor_minor[pos]) {
      held = Bound::kFloor;
    } else if (held == Bound::kNone && amount < base && amount == g.cap_minor[pos]) {
      held = Bound::kCap;
    }
    result.amount_minor[i] = amount;
    if (held != Bound::kNone) {
      const bool capped = held == Bound::kCap;
      result.flags[i] = capped ? kAllocCapped : kAllocFloored;
      result.bound_minor[i] = capped ? g.cap_minor[pos] : g.floor_minor[pos];
      result.step[i] = step;
    } else if (amount != base) {
      result.flags[i] = kAllocRebalanced;
      result.bound_minor[i] = 0;
      result.step[i] = step;
    }
  });
  result.steps.push_back(line_);
  return absl::OkStatus();
}

}  // namespace upkeep::allocation_internal
