// allocation/pipeline.h: the "pipeline" policy: reserve, distribute, then floors and caps
// (internal; see docs/policy-document.md).
//
//   {"policy": "pipeline", "reserve_pct": "5" | "reserve": "10000.00", "rounding": "half_even",
//    "steps": [{"rule": <any registered policy>, ...}, {"rule": "caps", ...}, ...]}
//
// The reserve (a percentage of the pool rounded by "rounding", or an amount; at most the pool,
// else kInfeasible) is held back first. Step 0 distributes the rest; each later step must be
// "caps" and re-places what was placed within its floors and caps (caps_step.h).
//
// Thread safety: immutable.
#ifndef UPKEEP_ALLOCATION_PIPELINE_H_
#define UPKEEP_ALLOCATION_PIPELINE_H_

#include "allocation/distribution_rules.h"

namespace upkeep::allocation_internal {

PolicyOrError MakePipeline(const PolicyParams& params, const AllocationContext& context);

}  // namespace upkeep::allocation_internal

#endif  // UPKEEP_ALLOCATION_PIPELINE_H_
