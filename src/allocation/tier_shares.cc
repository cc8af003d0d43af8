// tier_shares: the pool split across tiers by percentages, then within each tier evenly or in
// proportion to a metric. Both splits are exact (Split with tier index / portfolio tie keys); the
// tiers' splits run together in the same passes over the customers, in portfolio order.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "allocation/distribution_rules.h"
#include "allocation/exact_math.h"
#include "allocation/policy_reading.h"
#include "allocation/rule_support.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/split.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

class TierShares final : public BuiltInPolicy {
 public:
  TierShares(std::vector<std::string> tiers, std::vector<Decimal> shares_pct,
             std::vector<uint64_t> share_weights, std::string shares_path,
             std::optional<std::string> metric, std::string metric_path)
      : tiers_(std::move(tiers)),
        shares_pct_(std::move(shares_pct)),
        share_weights_(std::move(share_weights)),
        shares_path_(std::move(shares_path)),
        metric_(std::move(metric)),
        metric_path_(std::move(metric_path)),
        line_(Describe()) {}

  std::string_view name() const override { return "tier_shares"; }

 protected:
  absl::Status DoAllocateInto(const Portfolio& portfolio, const Classification& classification,
                              Money pool, Allocation& out) const override {
    UPKEEP_RETURN_IF_ERROR(CheckTierNames(classification, tiers_));
    const size_t tiers = tiers_.size();
    const std::vector<size_t> count = CountByTier(classification.tier, tiers);
    for (size_t t = 0; t < tiers; ++t) {
      if (count[t] == 0 && share_weights_[t] != 0) {
        return MakeError(
            ErrorCode::kInfeasible,
            absl::StrCat(shares_path_, "/", tiers_[t], ": ", shares_pct_[t].ToString(), " % of ",
                         pool.ToString(), " goes to tier ", tiers_[t], ", which has no customers"));
      }
    }
    std::vector<uint64_t> tier_keys(tiers);
    for (size_t t = 0; t < tiers; ++t) tier_keys[t] = t;
    std::vector<int64_t> tier_amounts;
    UPKEEP_RETURN_IF_ERROR(Split(pool.amount_minor(), share_weights_, tier_keys, tier_amounts));

    StartAllocation(portfolio, classification, pool, line_, out);
    std::vector<absl::uint128> totals(tiers);
    if (metric_) {
      UPKEEP_RETURN_IF_ERROR(
          MetricWeights(portfolio, *metric_, metric_path_, out.tier, out.weight, totals));
    } else {
      std::fill(out.weight.begin(), out.weight.end(), 1);
      for (size_t t = 0; t < tiers; ++t) totals[t] = count[t];
    }
    // One exact split per tier, all in the same passes over the customers in portfolio order.
    std::vector<money_internal::SplitGroup> groups(tiers);
    for (size_t t = 0; t < tiers; ++t) {
      if (totals[t] == 0 && tier_amounts[t] != 0) {
        return ZeroWeightsError(absl::StrCat("tier ", tiers_[t], " by ", Within()), count[t],
                                tier_amounts[t]);
      }
      groups[t] = {tier_amounts[t], totals[t], count[t]};
    }
    return SplitIntoResult(portfolio, groups, /*by_tier=*/true, out);
  }

 private:
  std::string Within() const { return metric_ ? *metric_ : std::string("even shares"); }

  std::string Describe() const {
    std::string line = "tier_shares: ";
    for (size_t t = 0; t < tiers_.size(); ++t) {
      absl::StrAppend(&line, t == 0 ? "" : ", ", tiers_[t], " ", shares_pct_[t].ToString(), " %");
    }
    absl::StrAppend(&line, "; within each tier ", metric_ ? "by " : "", Within());
    return line;
  }

  std::vector<std::string> tiers_;
  std::vector<Decimal> shares_pct_;
  std::vector<uint64_t> share_weights_;
  std::string shares_path_;
  std::optional<std::string> metric_;
  std::string metric_path_;
  std::string line_;
};

}  // namespace

PolicyOrError MakeTierShares(const PolicyParams& params, const AllocationContext& context) {
  UPKEEP_RETURN_IF_ERROR(
      params.CheckKeys({"policy", "rule", "shares_pct", "within_tier", "metric"}));
  UPKEEP_ASSIGN_OR_RETURN(std::vector<Decimal> shares,
                          ReadPerTier(params, "shares_pct", context.tier_names, Range::kPercent));
  UPKEEP_ASSIGN_OR_RETURN(std::vector<uint64_t> weights, DecimalsToWeights(shares));
  absl::int128 total = 0;
  int32_t scale = 0;
  for (size_t t = 0; t < shares.size(); ++t) {
    total += weights[t];
    scale = std::max(scale, shares[t].scale);
  }
  if (total != absl::int128(100) * PowerOf10(scale)) {
    const std::string sum = total <= std::numeric_limits<int64_t>::max()
                                ? Decimal{static_cast<int64_t>(total), scale}.ToString()
                                : std::string("more than 100");
    return params.Error("shares_pct", absl::StrCat("must add up to 100, they add up to ", sum));
  }
  UPKEEP_ASSIGN_OR_RETURN(size_t within,
                          ReadChoice(params, "within_tier", {"even", "by_metric"}, 0));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> metric, params.FindString("metric"));
  if (within == 1 && !metric) return params.Error("metric", "is required with \"by_metric\"");
  if (within == 0 && metric) return params.Error("metric", "applies only with \"by_metric\"");
  return std::make_unique<const TierShares>(
      std::vector<std::string>(context.tier_names.begin(), context.tier_names.end()),
      std::move(shares), std::move(weights), absl::StrCat(params.path(), "/shares_pct"),
      std::move(metric), absl::StrCat(params.path(), "/metric"));
}

}  // namespace upkeep::allocation_internal
