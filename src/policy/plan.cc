#include "upkeep/plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "policy/plan_steps.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

absl::StatusOr<Sizing> SizePool(const PolicySet& policy, const Portfolio& portfolio,
                                const Classification& classification,
                                const std::optional<Money>& given) {
  if (given.has_value()) {
    if (given->currency() != policy.currency()) {
      return MakeError(ErrorCode::kCurrencyMismatch,
                       absl::StrCat("the pool is in ", AsAbsl(given->currency().code()),
                                    "; the policy is in ", AsAbsl(policy.currency().code())));
    }
    Sizing sizing;
    sizing.pool = *given;
    sizing.formula = "pool = " + given->ToDecimalString() + " (given by the host)";
    sizing.terms.push_back({"given", "by the host", given->amount_minor()});
    return sizing;
  }
  if (policy.sizing() == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the policy has no sizing section and no pool was given");
  }
  return policy.sizing()->Size(portfolio, classification);
}

}  // namespace

namespace policy_internal {

absl::Status SizeAndAllocate(const PolicySet& policy, const Portfolio& portfolio,
                             const std::optional<Money>& pool, PeriodPlan& plan) {
  UPKEEP_ASSIGN_OR_RETURN(plan.sizing, SizePool(policy, portfolio, plan.classification, pool));
  UPKEEP_ASSIGN_OR_RETURN(plan.allocation, policy.allocation().Allocate(
                                               portfolio, plan.classification, plan.sizing.pool));
  return absl::OkStatus();
}

absl::Status CheckCurrency(const PolicySet& policy, const Portfolio& portfolio) {
  if (portfolio.currency() == policy.currency()) return absl::OkStatus();
  return MakeError(ErrorCode::kCurrencyMismatch,
                   absl::StrCat("the portfolio is in ", AsAbsl(portfolio.currency().code()),
                                "; the policy is in ", AsAbsl(policy.currency().code())));
}

}  // namespace policy_internal

absl::StatusOr<PeriodPlan> PlanPeriod(const PolicySet& policy, const Portfolio& portfolio,
                                      const PlanOptions& options) {
  UPKEEP_RETURN_IF_ERROR(policy_internal::CheckCurrency(policy, portfolio));
  PeriodPlan plan;
  if (options.previous != nullptr) {
    UPKEEP_RETURN_IF_ERROR(
        policy.classifier().ClassifyWithHistory(portfolio, *options.previous, plan.classification));
  } else {
    UPKEEP_RETURN_IF_ERROR(policy.classifier().Classify(portfolio, plan.classification));
  }
  UPKEEP_RETURN_IF_ERROR(policy_internal::SizeAndAllocate(policy, portfolio, options.pool, plan));
  return plan;
}

std::vector<TierSummary> SummarizeByTier(const PeriodPlan& plan) {
  const Allocation& allocation = plan.allocation;
  std::vector<TierSummary> tiers(allocation.tier_names.size());
  for (size_t t = 0; t < tiers.size(); ++t) tiers[t].tier = allocation.tier_names[t];
  for (size_t i = 0; i < allocation.size(); ++i) {
    TierSummary& tier = tiers[allocation.tier[i]];
    const int64_t amount_minor = allocation.amount_minor[i];
    tier.smallest_minor =
        tier.customers == 0 ? amount_minor : std::min(tier.smallest_minor, amount_minor);
    tier.largest_minor =
        tier.customers == 0 ? amount_minor : std::max(tier.largest_minor, amount_minor);
    ++tier.customers;
  }
  for (size_t t = 0; t < tiers.size(); ++t) tiers[t].amount_minor = allocation.tier_amount_minor[t];
  return tiers;
}

}  // namespace upkeep
