// allocation/caps_step.h: the "caps" pipeline step: floors and caps met exactly (internal).
//
// Parameters (docs/policy-document.md), each for all tiers ("500.00") or per tier ({"key": ...}):
//   customer_floor, customer_cap (amounts), customer_cap_pct_of_revenue (0..100; the cap is that
//   share of the customer's revenue, rounded down to the minor unit; with customer_cap too, the
//   lower wins), tier_floor, tier_cap (amounts for a tier's total);
//   "redistribute": "within_tier" (default) or "portfolio" (no tier floors/caps then);
//   "excess": "error" (default) or "unallocated";
//   "cap_below_floor": "error" (default) or "cap": what a customer whose cap (its share of
//   revenue) is below its floor gets: kInfeasible naming it, or its cap (the floor gives way).
//
// The step takes what the earlier steps placed as each customer's base and water-fills (see
// water_fill.h). within_tier: first the tier totals (base = the tier's sum, bounds = its tier
// floor/cap narrowed by what its customers' floors and caps allow), then the customers of each
// tier; so what a cap cuts goes first to the other customers of the same tier, and crosses tiers
// only when a whole tier is bounded. portfolio: one water-fill over every customer. When every
// customer of a tier has the tier's floor and cap (no cap by revenue), its water-fill runs by
// buckets of the bases (bucket_fill.h); otherwise over the customers, gathered per group in the
// result's workspace. Either way the result is written in one last pass in portfolio order. When
// the caps cannot hold everything placed, "excess": "error" is kInfeasible saying by how much, and
// "unallocated" moves that much to Allocation::unallocated_minor. Floors above what was placed are
// always kInfeasible with the shortfall.
//
// Thread safety: immutable after parsing.
#ifndef UPKEEP_ALLOCATION_CAPS_STEP_H_
#define UPKEEP_ALLOCATION_CAPS_STEP_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "allocation/policy_reading.h"
#include "allocation/rule_support.h"
#include "allocation/water_fill.h"
#include "upkeep/allocation_result.h"
#include "upkeep/money.h"
#include "upkeep/policy_params.h"
#include "upkeep/portfolio.h"

namespace upkeep::allocation_internal {

struct CapsGroups;  // the customers and their bounds, gathered by group (caps_step.cc)

class CapsStep {
 public:
  static absl::StatusOr<CapsStep> Parse(const PolicyParams& params,
                                        std::span<const std::string> tier_names);

  // Re-places result.amount_minor within the bounds; `step` is this step's index in the policy.
  absl::Status Apply(const Portfolio& portfolio, uint8_t step, Allocation& result) const;

  // "caps: customer floor 500.00, customer cap 10 % of revenue; redistributed within tiers".
  const std::string& line() const { return line_; }

 private:
  struct TierBounds {
    std::optional<AmountParam> customer_floor;
    std::optional<AmountParam> customer_cap;
    std::optional<Decimal> customer_cap_pct_of_revenue;
    std::optional<AmountParam> tier_floor;
    std::optional<AmountParam> tier_cap;
  };
  // The customers of `result` into the workspace, each group's side by side (free ones first),
  // with the sums FillTiers and the water-fill need: kInfeasible for a cap below its floor.
  absl::Status Gather(const Portfolio& portfolio, Allocation& result, CapsGroups& groups) const;
  // Gather's part when every tier's bounds are its customers': the bases laid out by bucket.
  void GatherByBucket(Allocation& result, CapsGroups& groups) const;
  // The total the bounds let the step place out of `placed_minor`: kInfeasible when floors need
  // more, or caps allow less and excess is an error; else the excess becomes unallocated.
  absl::StatusOr<int64_t> Fit(absl::int128 floor_total_minor, absl::int128 cap_total_minor,
                              int64_t placed_minor, Allocation& result) const;
  // Each tier's total (redistribute: within_tier), by a water-fill over the tiers.
  absl::Status FillTiers(CapsGroups& groups, int64_t placed_minor, Allocation& result) const;

  std::vector<TierBounds> tiers_;
  bool across_portfolio_ = false;
  bool excess_unallocated_ = false;
  bool cap_wins_ = false;  // "cap_below_floor": "cap"
  std::string line_;
};

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_CAPS_STEP_H_
