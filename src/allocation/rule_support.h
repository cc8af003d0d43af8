// allocation/rule_support.h: what the built-in allocation rules share (internal).
//
//   - TierGroups: customers grouped by tier, in portfolio order within a tier (a counting sort);
//   - MetricWeights: a metric turned into integer weights, deterministically (see below);
//   - SplitByWeights: Split, with "nothing to weigh by" reported as kInfeasible in words;
//   - CheckTierNames: a policy compiled for one set of tiers refuses another classification.
//
// Metric weights: money metrics (revenue, gross_margin) weigh their exact minor units; other
// metrics weigh round(value * 10^6) (micro-units, halves away from zero, by std::llround, the same
// on every IEEE-754 machine). Negative values weigh 0. A scaled value beyond 2^62 is kOverflow.
//
// Thread safety: pure functions.
#ifndef UPKEEP_ALLOCATION_RULE_SUPPORT_H_
#define UPKEEP_ALLOCATION_RULE_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/classification.h"
#include "upkeep/portfolio.h"

namespace upkeep::allocation_internal {

struct TierGroups {
  std::vector<uint32_t> offset;   // tier t's customers are members[offset[t] .. offset[t + 1])
  std::vector<uint32_t> members;  // customer indices, ascending within each tier
  std::span<const uint32_t> of(size_t t) const {
    return std::span<const uint32_t>(members).subspan(offset[t], offset[t + 1] - offset[t]);
  }
  size_t count(size_t t) const { return offset[t + 1] - offset[t]; }
};
// Groups customers by `tier` (one entry per customer); REQUIRES: every tier < tier_count.
TierGroups GroupByTier(std::span<const TierIndex> tier, size_t tier_count);

// One weight per customer of `portfolio` for the metric `metric_name`; kNotFound naming `path`
// (where the document named the metric) if the portfolio has no such metric.
absl::StatusOr<std::vector<uint64_t>> MetricWeights(const Portfolio& portfolio,
                                                    std::string_view metric_name,
                                                    std::string_view path);

// The exact minor units of a money metric (IsMoneyMetric) for customer i.
int64_t MoneyMetricMinor(const Portfolio& portfolio, MetricRef metric, size_t i);

// Split(amount, weights, keys) into `parts`; a non-zero amount with all weights zero is
// kInfeasible: "<what>: every weight is zero, nothing to split <amount> by".
absl::Status SplitByWeights(int64_t amount_minor, std::span<const uint64_t> weights,
                            std::span<const uint64_t> tie_keys, std::string_view what,
                            std::vector<int64_t>& parts_minor);

// kInvalidArgument unless the classification's tiers are `expected`, in order.
absl::Status CheckTierNames(const Classification& classification,
                            std::span<const std::string> expected);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_RULE_SUPPORT_H_
