// allocation/distribution_rules.h: the built-in rules that distribute a pool (internal).
//
// Each factory reads its parameters (docs/policy-document.md) and returns an immutable policy:
//   tier_shares     {"shares_pct": {tier: pct, ...} adding up to exactly 100,
//                    "within_tier": "even" | "by_metric", "metric": name (with by_metric)}
//   tier_weights    {"weights": {tier: weight >= 0, ...}}
//   proportional    {"metric": name}
//   fixed_per_tier  {"amount_per_customer": {tier: amount, ...}}  (the rest stays unallocated)
// Every tier must be given a value. Registered in AllocationRegistry's constructor.
//
// Thread safety: the policies are immutable.
#ifndef UPKEEP_ALLOCATION_DISTRIBUTION_RULES_H_
#define UPKEEP_ALLOCATION_DISTRIBUTION_RULES_H_

#include <memory>

#include "absl/status/statusor.h"
#include "upkeep/allocation.h"
#include "upkeep/policy_params.h"

namespace upkeep::allocation_internal {

using PolicyOrError = absl::StatusOr<std::unique_ptr<const AllocationPolicy>>;

PolicyOrError MakeTierShares(const PolicyParams& params, const AllocationContext& context);
PolicyOrError MakeTierWeights(const PolicyParams& params, const AllocationContext& context);
PolicyOrError MakeProportional(const PolicyParams& params, const AllocationContext& context);
PolicyOrError MakeFixedPerTier(const PolicyParams& params, const AllocationContext& context);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_DISTRIBUTION_RULES_H_
