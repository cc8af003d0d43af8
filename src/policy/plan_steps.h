// policy/plan_steps.h: the steps of planning a period, shared by PlanPeriod and the plan from
// a feedback proposal (not public).
#ifndef UPKEEP_POLICY_PLAN_STEPS_H_
#define UPKEEP_POLICY_PLAN_STEPS_H_

#include <optional>

#include "absl/status/status.h"
#include "upkeep/money.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"

namespace upkeep::policy_internal {

// kCurrencyMismatch when the portfolio and the policy differ.
absl::Status CheckCurrency(const PolicySet& policy, const Portfolio& portfolio);
// Fills plan.sizing (from `pool`, or the policy's sizing) and plan.allocation for the
// classification already in `plan`.
absl::Status SizeAndAllocate(const PolicySet& policy, const Portfolio& portfolio,
                             const std::optional<Money>& pool, PeriodPlan& plan);

}  // namespace upkeep::policy_internal

#endif  // UPKEEP_POLICY_PLAN_STEPS_H_
