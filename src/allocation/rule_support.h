// allocation/rule_support.h: what the built-in allocation rules share (internal).
//
//   - TierLayout: customers laid out by tier (a counting sort) for one-pass gathers;
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
#include "upkeep/customer.h"
#include "upkeep/portfolio.h"

namespace upkeep::allocation_internal {

// Customers laid out by tier: tier t's customers take positions [offset[t], offset[t + 1]) in
// portfolio order. ForEach visits customers in portfolio order with their position, so gathering
// into tier order and scattering back are each one sequential pass (no strided re-reads per
// tier), and positions ascend with the tie key within a tier.
struct TierLayout {
  std::vector<uint32_t> offset;
  size_t tiers() const { return offset.size() - 1; }
  size_t begin(size_t t) const { return offset[t]; }
  size_t count(size_t t) const { return offset[t + 1] - offset[t]; }
  template <typename Fn>
  void ForEach(std::span<const TierIndex> tier, Fn fn) const {
    std::vector<uint32_t> next(offset.begin(), offset.end() - 1);
    for (size_t i = 0; i < tier.size(); ++i) fn(i, size_t{next[tier[i]]++});
  }
};
// REQUIRES: every tier < tier_count.
TierLayout LayoutByTier(std::span<const TierIndex> tier, size_t tier_count);

// One weight per customer of `portfolio` for the metric `metric_name`; kNotFound naming `path`
// (where the document named the metric) if the portfolio has no such metric.
absl::StatusOr<std::vector<uint64_t>> MetricWeights(const Portfolio& portfolio,
                                                    std::string_view metric_name,
                                                    std::string_view path);

// The exact minor units of a money metric (IsMoneyMetric) for customer i.
inline int64_t MoneyMetricMinor(const Portfolio& portfolio, MetricRef metric, size_t i) {
  const CustomerMetrics& metrics = portfolio.metrics(i);
  return static_cast<StandardMetric>(metric.index) == StandardMetric::kRevenue
             ? metrics.revenue_minor
             : metrics.gross_margin_minor;
}

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
