// upkeep/plan.h: plan a period: classify, size the pool, allocate it (the main job).
//
// PlanPeriod runs a compiled PolicySet over a portfolio: it classifies every customer into a
// tier (with hysteresis against last period's tiers when the policy asks for it), sizes the
// period's pool from the drivers (or takes the pool the host gives), and allocates the pool.
// Every part of the result explains itself: Classification::Explain, Sizing::Explain,
// Allocation::Explain. Deterministic: the same inputs give the same plan, whatever order the
// customers were supplied in.
//
//   absl::StatusOr<upkeep::PeriodPlan> plan = upkeep::PlanPeriod(*policy, portfolio);
//   for (size_t t = 0; t < plan->allocation.tier_names.size(); ++t) ...
//
// Errors: kCurrencyMismatch (portfolio and policy differ; or a given pool in another currency),
// kInvalidArgument (no sizing in the policy and no pool given), and whatever the classifier,
// sizing or allocation policy reports (kInfeasible, kOverflow, kNotFound for a metric ...).
//
// Thread safety: pure function of its arguments; safe to call concurrently.
#ifndef UPKEEP_PLAN_H_
#define UPKEEP_PLAN_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/allocation_result.h"
#include "upkeep/classification.h"
#include "upkeep/classify.h"
#include "upkeep/money.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"
#include "upkeep/sizing.h"

namespace upkeep {

struct PlanOptions {
  // Last period's tiers, for hysteresis; nullptr for the first period.
  const TierHistory* previous = nullptr;
  // The pool to allocate. When empty, the policy's sizing section sizes it.
  std::optional<Money> pool;
};

struct PeriodPlan {
  Classification classification;
  Sizing sizing;  // when the pool was given: one term, "given by the host"
  Allocation allocation;
};

absl::StatusOr<PeriodPlan> PlanPeriod(const PolicySet& policy, const Portfolio& portfolio,
                                      const PlanOptions& options = {});

// Per tier, in tier order: how many customers and how much money. For summaries and reports.
struct TierSummary {
  std::string tier;
  size_t customers = 0;
  int64_t amount_minor = 0;
  int64_t smallest_minor = 0;  // 0 for an empty tier
  int64_t largest_minor = 0;
};
std::vector<TierSummary> SummarizeByTier(const PeriodPlan& plan);

}  // namespace upkeep

#endif  // UPKEEP_PLAN_H_
