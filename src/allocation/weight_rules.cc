// tier_weights and proportional: one exact split of the pool by a weight per customer, either
// its tier's weight or its metric.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocation/distribution_rules.h"
#include "allocation/exact_math.h"
#include "allocation/policy_reading.h"
#include "allocation/rule_support.h"
#include "base/status_macros.h"

namespace upkeep::allocation_internal {
namespace {

// Splits the pool by per-customer weights, which `weigh` writes into out.weight and sums.
template <typename Weigh>
absl::Status SplitPool(const Portfolio& portfolio, const Classification& classification, Money pool,
                       const std::string& line, Allocation& out, Weigh weigh) {
  StartAllocation(portfolio, classification, pool, line, out);
  absl::uint128 total = 0;
  UPKEEP_RETURN_IF_ERROR(weigh(std::span<uint64_t>(out.weight), total));
  if (total == 0 && pool.amount_minor() != 0) {
    return ZeroWeightsError(line, portfolio.size(), pool.amount_minor());
  }
  const money_internal::SplitGroup group{pool.amount_minor(), total, portfolio.size()};
  return SplitIntoResult(portfolio, std::span(&group, 1), /*by_tier=*/false, out);
}

class TierWeights final : public BuiltInPolicy {
 public:
  TierWeights(std::vector<std::string> tiers, std::vector<uint64_t> tier_weights, std::string line)
      : tiers_(std::move(tiers)), tier_weights_(std::move(tier_weights)), line_(std::move(line)) {}

  std::string_view name() const override { return "tier_weights"; }

 protected:
  absl::Status DoAllocateInto(const Portfolio& portfolio, const Classification& classification,
                              Money pool, Allocation& out) const override {
    UPKEEP_RETURN_IF_ERROR(CheckTierNames(classification, tiers_));
    const auto weigh = [&](std::span<uint64_t> weights, absl::uint128& total) {
      for (size_t i = 0; i < weights.size(); ++i) {
        weights[i] = tier_weights_[classification.tier[i]];
      }
      total = WeightTotals(weights, {}, 1)[0];
      return absl::OkStatus();
    };
    return SplitPool(portfolio, classification, pool, line_, out, weigh);
  }

 private:
  std::vector<std::string> tiers_;
  std::vector<uint64_t> tier_weights_;
  std::string line_;
};

class Proportional final : public BuiltInPolicy {
 public:
  Proportional(std::string metric, std::string metric_path)
      : metric_(std::move(metric)),
        metric_path_(std::move(metric_path)),
        line_(absl::StrCat("proportional: to ", metric_)) {}

  std::string_view name() const override { return "proportional"; }

 protected:
  absl::Status DoAllocateInto(const Portfolio& portfolio, const Classification& classification,
                              Money pool, Allocation& out) const override {
    const auto weigh = [&](std::span<uint64_t> weights, absl::uint128& total) {
      return MetricWeights(portfolio, metric_, metric_path_, {}, weights, std::span(&total, 1));
    };
    return SplitPool(portfolio, classification, pool, line_, out, weigh);
  }

 private:
  std::string metric_;
  std::string metric_path_;
  std::string line_;
};

}  // namespace

PolicyOrError MakeTierWeights(const PolicyParams& params, const AllocationContext& context) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"policy", "rule", "weights"}));
  UPKEEP_ASSIGN_OR_RETURN(std::vector<Decimal> weights,
                          ReadPerTier(params, "weights", context.tier_names, Range::kNonNegative));
  UPKEEP_ASSIGN_OR_RETURN(std::vector<uint64_t> scaled, DecimalsToWeights(weights));
  std::string line = "tier_weights: per customer ";
  for (size_t t = 0; t < weights.size(); ++t) {
    absl::StrAppend(&line, t == 0 ? "" : ", ", context.tier_names[t], " ", weights[t].ToString());
  }
  return std::make_unique<const TierWeights>(
      std::vector<std::string>(context.tier_names.begin(), context.tier_names.end()),
      std::move(scaled), std::move(line));
}

PolicyOrError MakeProportional(const PolicyParams& params, const AllocationContext&) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"policy", "rule", "metric"}));
  UPKEEP_ASSIGN_OR_RETURN(std::string metric, params.GetString("metric"));
  return std::make_unique<const Proportional>(std::move(metric),
                                              absl::StrCat(params.path(), "/metric"));
}

}  // namespace upkeep::allocation_internal
