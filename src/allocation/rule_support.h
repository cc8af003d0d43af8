// allocation/rule_support.h: what the built-in allocation rules share (internal).
//
//   - BuiltInPolicy: the built-ins write into a result and reuse its memory (DoAllocateInto);
//     StartAllocation sizes and clears such a result for one step;
//   - CountByTier / MetricWeights / WeightTotals: per-customer inputs, written in place;
//   - SplitIntoResult: an exact split of each group's amount over its customers (all customers as
//     one group, or each tier its own), straight into the result's amounts;
//   - ZeroWeightsError: "nothing to weigh by" as kInfeasible in words;
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

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "money/split_core.h"
#include "upkeep/allocation.h"
#include "upkeep/classification.h"
#include "upkeep/customer.h"
#include "upkeep/portfolio.h"

namespace upkeep::allocation_internal {

// The base of the built-in policies: DoAllocateInto is the policy; DoAllocate runs it into a
// fresh result.
class BuiltInPolicy : public AllocationPolicy {
 public:
  // The policy into `out` for a caller whose own Allocate has checked these inputs (a pipeline,
  // for its distribution step, with what is left of its pool), and which checks the result.
  absl::Status AllocateForPolicy(const Portfolio& portfolio, const Classification& classification,
                                 Money pool, Allocation& out) const {
    return DoAllocateInto(portfolio, classification, pool, out);
  }

 protected:
  absl::StatusOr<Allocation> DoAllocate(const Portfolio& portfolio,
                                        const Classification& classification,
                                        Money pool) const final;
};

// Makes `out` a result for `portfolio` and `pool` with one step, `rule`: the pool, tiers and
// customers' tiers set; reserve, unallocated, tier totals and flags, bounds, steps and flags per
// customer zero; amount, base and weight sized for the rule to write. Reuses out's memory.
void StartAllocation(const Portfolio& portfolio, const Classification& classification, Money pool,
                     std::string_view rule, Allocation& out);

// How many customers each of `tier_count` tiers has. REQUIRES: every tier < tier_count.
std::vector<size_t> CountByTier(std::span<const TierIndex> tier, size_t tier_count);

// One weight per customer of `portfolio` for the metric `metric_name`, into `weights` (sized to
// the portfolio), and their sums per group into `totals` (group = tier, or all customers in
// group 0 when `tier` is empty); kNotFound naming `path` (where the document named the metric)
// if the portfolio has no such metric, kOverflow as above.
absl::Status MetricWeights(const Portfolio& portfolio, std::string_view metric_name,
                           std::string_view path, std::span<const TierIndex> tier,
                           std::span<uint64_t> weights, std::span<absl::uint128> totals);

// The sum of the weights of each group's customers (all customers as group 0 when `tier` is
// empty, else group = tier).
std::vector<absl::uint128> WeightTotals(std::span<const uint64_t> weights,
                                        std::span<const TierIndex> tier, size_t groups);

// "<what>: every weight is zero (<customers> customers), nothing to split <amount> minor units
// by", kInfeasible.
absl::Status ZeroWeightsError(std::string_view what, size_t customers, int64_t amount_minor);

// Splits groups[g].amount_minor over group g's customers by out.weight (exactly, ties by tie
// key) into out.amount_minor and out.base_minor, and sums out.tier_amount_minor. Groups: each
// tier its own when `by_tier`, else one for everyone. REQUIRES: StartAllocation'ed `out`,
// weights written, groups' totals from WeightTotals and no group with zero weights and an
// amount.
absl::Status SplitIntoResult(const Portfolio& portfolio,
                             std::span<const money_internal::SplitGroup> groups, bool by_tier,
                             Allocation& out);

// The exact minor units of a money metric (IsMoneyMetric) for customer i.
inline int64_t MoneyMetricMinor(const Portfolio& portfolio, MetricRef metric, size_t i) {
  const CustomerMetrics& metrics = portfolio.metrics(i);
  return static_cast<StandardMetric>(metric.index) == StandardMetric::kRevenue
             ? metrics.revenue_minor
             : metrics.gross_margin_minor;
}

// kInvalidArgument unless the classification's tiers are `expected`, in order.
absl::Status CheckTierNames(const Classification& classification,
                            std::span<const std::string> expected);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_RULE_SUPPORT_H_
