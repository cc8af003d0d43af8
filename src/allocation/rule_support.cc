#include "allocation/rule_support.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "allocation/policy_reading.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/customer.h"
#include "upkeep/split.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

constexpr double kMicro = 1e6;
constexpr double kMaxScaledWeight = 4611686018427387904.0;  // 2^62

}  // namespace

TierLayout LayoutByTier(std::span<const TierIndex> tier, size_t tier_count) {
  TierLayout layout;
  layout.offset.assign(tier_count + 1, 0);
  for (TierIndex t : tier) ++layout.offset[size_t{t} + 1];
  for (size_t t = 0; t < tier_count; ++t) layout.offset[t + 1] += layout.offset[t];
  return layout;
}

absl::StatusOr<std::vector<uint64_t>> MetricWeights(const Portfolio& portfolio,
                                                    std::string_view metric_name,
                                                    std::string_view path) {
  absl::StatusOr<MetricRef> metric = portfolio.ResolveMetric(metric_name);
  if (!metric.ok()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(AsAbsl(path), ": ", metric.status().message()));
  }
  std::vector<uint64_t> weights(portfolio.size());
  if (portfolio.IsMoneyMetric(*metric)) {
    for (size_t i = 0; i < portfolio.size(); ++i) {
      weights[i] =
          static_cast<uint64_t>(std::max<int64_t>(0, MoneyMetricMinor(portfolio, *metric, i)));
    }
    return weights;
  }
  for (size_t i = 0; i < portfolio.size(); ++i) {
    const double scaled = portfolio.MetricValue(*metric, i) * kMicro;
    if (!(scaled > 0)) continue;  // negative, zero (or NaN, which the portfolio refuses)
    if (scaled >= kMaxScaledWeight) {
      return MakeError(ErrorCode::kOverflow,
                       absl::StrCat(AsAbsl(path), ": customer ", portfolio.customer(i).id, ": ",
                                    AsAbsl(metric_name), " ", portfolio.MetricValue(*metric, i),
                                    " is too large to weigh by"));
    }
    weights[i] = static_cast<uint64_t>(std::llround(scaled));
  }
  return weights;
}

absl::Status SplitByWeights(int64_t amount_minor, std::span<const uint64_t> weights,
                            std::span<const uint64_t> tie_keys, std::string_view what,
                            std::vector<int64_t>& parts_minor) {
  if (amount_minor != 0 &&
      std::all_of(weights.begin(), weights.end(), [](uint64_t w) { return w == 0; })) {
    return MakeError(
        ErrorCode::kInfeasible,
        absl::StrCat(AsAbsl(what), ": every weight is zero (", weights.size(),
                     " customers), nothing to split ", amount_minor, " minor units by"));
  }
  return Split(amount_minor, weights, tie_keys, parts_minor);
}

absl::Status CheckTierNames(const Classification& classification,
                            std::span<const std::string> expected) {
  if (std::equal(classification.tier_names.begin(), classification.tier_names.end(),
                 expected.begin(), expected.end())) {
    return absl::OkStatus();
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   absl::StrCat("the classification's tiers (", TierList(classification.tier_names),
                                ") are not the policy's (", TierList(expected), ")"));
}

}  // namespace upkeep::allocation_internal
