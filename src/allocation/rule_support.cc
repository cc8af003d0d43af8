#include "allocation/rule_support.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "allocation/policy_reading.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/customer.h"
#include "upkeep/status.h"

namespace upkeep::allocation_internal {
namespace {

constexpr double kMicro = 1e6;
constexpr double kMaxScaledWeight = 4611686018427387904.0;  // 2^62
constexpr size_t kPrefetchAhead = 16;                       // customers

// The customers of a result as SplitGroups parts, grouped by tier or all in group 0; each part
// is written to both amount and base. Without tiers as groups, the parts are summed by tier, in
// four sums per tier that consecutive customers add to in turn (no chain through memory).
template <bool kByTier>
class CustomerParts {
 public:
  static constexpr bool kStagesFloors = true;  // in the amounts
  CustomerParts(const Portfolio& portfolio, Allocation& out)
      : portfolio_(portfolio),
        tier_(out.tier.data()),
        weight_(out.weight.data()),
        amount_(out.amount_minor.data()),
        base_(out.base_minor.data()),
        tiers_(out.tier_names.size()),
        tier_sum_(kByTier ? 0 : 4 * tiers_, 0),
        size_(out.size()) {}
  size_t size() const { return size_; }
  size_t group(size_t i) const { return kByTier ? tier_[i] : 0; }
  uint64_t weight(size_t i) const { return weight_[i]; }
  uint64_t key(size_t i) const { return portfolio_.tie_key(i); }
  void StartWriting() {}
  void StageFloor(size_t i, uint64_t floor) { amount_[i] = static_cast<int64_t>(floor); }
  uint64_t StagedFloor(size_t i) const { return static_cast<uint64_t>(amount_[i]); }
  void Write(size_t i, int64_t part) {
    amount_[i] = part;
    base_[i] = part;
    if constexpr (!kByTier) tier_sum_[(i & 3) * tiers_ + tier_[i]] += part;  // <= the pool
  }
  // Tier t's total (without tiers as groups).
  int64_t TierTotal(size_t t) const {
    return tier_sum_[t] + tier_sum_[tiers_ + t] + tier_sum_[2 * tiers_ + t] +
           tier_sum_[3 * tiers_ + t];
  }

 private:
  const Portfolio& portfolio_;
  const TierIndex* tier_;
  const uint64_t* weight_;
  int64_t* amount_;
  int64_t* base_;
  size_t tiers_;
  std::vector<int64_t> tier_sum_;
  size_t size_;
};

}  // namespace

absl::StatusOr<Allocation> BuiltInPolicy::DoAllocate(const Portfolio& portfolio,
                                                     const Classification& classification,
                                                     Money pool) const {
  Allocation result;
  UPKEEP_RETURN_IF_ERROR(DoAllocateInto(portfolio, classification, pool, result));
  return result;
}

void StartAllocation(const Portfolio& portfolio, const Classification& classification, Money pool,
                     std::string_view rule, Allocation& out) {
  const size_t n = portfolio.size();
  const size_t tiers = classification.tier_names.size();
  out.currency = pool.currency();
  out.pool_minor = pool.amount_minor();
  out.reserve_minor = 0;
  out.unallocated_minor = 0;
  out.steps.resize(1);
  out.steps[0].assign(rule);
  out.tier_names.assign(classification.tier_names.begin(), classification.tier_names.end());
  out.tier_amount_minor.assign(tiers, 0);
  out.tier_flags.assign(tiers, 0);
  out.tier_bound_minor.assign(tiers, 0);
  // Sizes only: a result reused for a portfolio of the same size keeps its arrays as they are
  // until the rule overwrites them.
  out.amount_minor.resize(n);
  out.base_minor.resize(n);
  out.weight.resize(n);
  out.tier.assign(classification.tier.begin(), classification.tier.end());
  out.bound_minor.assign(n, 0);
  out.step.assign(n, 0);
  out.flags.assign(n, 0);
}

std::vector<size_t> CountByTier(std::span<const TierIndex> tier, size_t tier_count) {
  // Four counts per tier that consecutive customers add to in turn (no chain through memory).
  std::vector<size_t> counts(4 * tier_count, 0);
  for (size_t i = 0; i < tier.size(); ++i) ++counts[(i & 3) * tier_count + tier[i]];
  std::vector<size_t> count(tier_count);
  for (size_t t = 0; t < tier_count; ++t) {
    count[t] = counts[t] + counts[tier_count + t] + counts[2 * tier_count + t] +
               counts[3 * tier_count + t];
  }
  return count;
}

absl::Status MetricWeights(const Portfolio& portfolio, std::string_view metric_name,
                           std::string_view path, std::span<const TierIndex> tier,
                           std::span<uint64_t> weights, std::span<absl::uint128> totals) {
  absl::StatusOr<MetricRef> metric = portfolio.ResolveMetric(metric_name);
  if (!metric.ok()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(AsAbsl(path), ": ", metric.status().message()));
  }
  if (portfolio.IsMoneyMetric(*metric)) {
    // Four sums per group, as in CountByTier. Each customer's metrics are a cache line of their
    // own: ask for them ahead (a third faster than the hardware's own prefetching here).
    const size_t groups = totals.size();
    const size_t n = portfolio.size();
    std::vector<absl::uint128> sums(4 * groups, 0);
    for (size_t i = 0; i < n; ++i) {
      if (i + kPrefetchAhead < n) __builtin_prefetch(&portfolio.metrics(i + kPrefetchAhead));
      const uint64_t weight =
          static_cast<uint64_t>(std::max<int64_t>(0, MoneyMetricMinor(portfolio, *metric, i)));
      weights[i] = weight;
      sums[(i & 3) * groups + (tier.empty() ? 0 : tier[i])] += weight;
    }
    for (size_t g = 0; g < groups; ++g) {
      totals[g] = sums[g] + sums[groups + g] + sums[2 * groups + g] + sums[3 * groups + g];
    }
    return absl::OkStatus();
  }
  for (size_t i = 0; i < portfolio.size(); ++i) {
    const double scaled = portfolio.MetricValue(*metric, i) * kMicro;
    weights[i] = 0;
    if (!(scaled > 0)) continue;  // negative, zero (or NaN, which the portfolio refuses)
    if (scaled >= kMaxScaledWeight) {
      return MakeError(ErrorCode::kOverflow,
                       absl::StrCat(AsAbsl(path), ": customer ", portfolio.customer(i).id, ": ",
                                    AsAbsl(metric_name), " ", portfolio.MetricValue(*metric, i),
                                    " is too large to weigh by"));
    }
    weights[i] = static_cast<uint64_t>(std::llround(scaled));
  }
  const std::vector<absl::uint128> sums = WeightTotals(weights, tier, totals.size());
  std::copy(sums.begin(), sums.end(), totals.begin());
  return absl::OkStatus();
}

std::vector<absl::uint128> WeightTotals(std::span<const uint64_t> weights,
                                        std::span<const TierIndex> tier, size_t groups) {
  std::vector<absl::uint128> total(groups, 0);
  if (tier.empty()) {
    for (uint64_t w : weights) total[0] += w;
    return total;
  }
  // Four sums per group, as in CountByTier.
  std::vector<absl::uint128> sums(4 * groups, 0);
  for (size_t i = 0; i < weights.size(); ++i) sums[(i & 3) * groups + tier[i]] += weights[i];
  for (size_t g = 0; g < groups; ++g) {
    total[g] = sums[g] + sums[groups + g] + sums[2 * groups + g] + sums[3 * groups + g];
  }
  return total;
}

absl::Status ZeroWeightsError(std::string_view what, size_t customers, int64_t amount_minor) {
  return MakeError(ErrorCode::kInfeasible,
                   absl::StrCat(AsAbsl(what), ": every weight is zero (", customers,
                                " customers), nothing to split ", amount_minor, " minor units by"));
}

absl::Status SplitIntoResult(const Portfolio& portfolio,
                             std::span<const money_internal::SplitGroup> groups, bool by_tier,
                             Allocation& out) {
  if (by_tier) {  // each tier's total is its group's amount
    CustomerParts<true> parts(portfolio, out);
    UPKEEP_RETURN_IF_ERROR(money_internal::SplitGroups(groups, parts, &out.workspace.bucket));
    for (size_t t = 0; t < groups.size(); ++t) out.tier_amount_minor[t] = groups[t].amount_minor;
    return absl::OkStatus();
  }
  CustomerParts<false> parts(portfolio, out);
  UPKEEP_RETURN_IF_ERROR(money_internal::SplitGroups(groups, parts, &out.workspace.bucket));
  for (size_t t = 0; t < out.tier_amount_minor.size(); ++t) {
    out.tier_amount_minor[t] = parts.TierTotal(t);
  }
  return absl::OkStatus();
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
