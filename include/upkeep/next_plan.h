// upkeep/next_plan.h: the next period's plan from a feedback proposal (the loop closes).
//
// A feedback proposal (upkeep/monitor/proposal.h) says, per customer, a tier move and a weight
// multiplier. The next period's plan applies it to the next period's portfolio:
//   1. classify the next portfolio by the policy, then move each proposed customer to its
//      proposed tier (TierReason::kFeedback; Classification::Explain says so);
//   2. size the pool (the policy's sizing, or the pool given in PlanOptions) and allocate it
//      by the policy, as PlanPeriod does;
//   3. multiply each customer's allocation by its multiplier and split the allocated money
//      again in proportion to that, keeping every customer that the current plan funded (amount >
//      0) within the proposal's bound of its current amount (scaled by the change of the allocated
//      total: reference_i = current_i * next_total / current_total): between
//      floor(reference_i * (1 - max_change)) and ceil(reference_i * (1 + max_change)).
//      Customers new to the portfolio are not bounded. A customer the policy held at its own
//      floor or cap stays there as far as the band allows (the band wins where they conflict). This
//      is the exact water-filling split (upkeep/bounded_split.h): the money still adds up to the
//      minor unit, and the allocation gets one more step, "feedback: ...", that explains every
//      amount it moved.
// SimulateProposal shows that plan beside the current one, customer by customer (a draft or an
// approved proposal); PlanFromProposal gives the plan itself, for an approved proposal only.
//
//   monitor::Proposal p = monitor::Propose(*policy->feedback(), "FY2025", ...).value();
//   ProposalSimulation sim = SimulateProposal(*policy, {portfolio, plan}, next, p).value();
//   monitor::Approve(p, "cfo");
//   PeriodPlan next_plan = PlanFromProposal(*policy, {portfolio, plan}, next, p).value();
//
// Errors: kInvalidState (PlanFromProposal of a proposal that is not approved; simulating a
// rejected or applied one), kNotFound (a proposed tier the policy does not have),
// kInvalidArgument (the current plan does not match its portfolio), kCurrencyMismatch,
// kInfeasible (customers leaving the portfolio took so much of the current plan that the others
// cannot absorb the money within the bound: the message says by how much), and PlanPeriod's.
// Thread safety: pure functions of their arguments.
#ifndef UPKEEP_NEXT_PLAN_H_
#define UPKEEP_NEXT_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/monitor/proposal.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"

namespace upkeep {

// The plan in force and the portfolio it was made for.
struct CurrentPlan {
  const Portfolio& portfolio;
  const PeriodPlan& plan;
};

// One customer of the next portfolio, now and next.
struct CustomerMove {
  std::string customer{};
  std::string tier_now{};  // empty for a customer new to the portfolio
  std::string tier_next{};
  int64_t amount_now_minor = 0;
  int64_t amount_next_minor = 0;
  std::optional<int64_t> change_bp{};  // next / now - 1; nullopt when now is 0
  // The change of its share of the allocated money, (next / next total) / (now / now total) - 1:
  // what the proposal's bound holds (within rounding to the minor unit).
  std::optional<int64_t> share_change_bp{};
  int64_t multiplier_bp = monitor::kMultiplierOne;
  std::vector<std::string> reasons{};  // the proposal's, for proposed customers
};

struct ProposalSimulation {
  PeriodPlan next;
  std::vector<CustomerMove> customers;  // next portfolio order
  std::vector<TierSummary> tiers_now;
  std::vector<TierSummary> tiers_next;
};

absl::StatusOr<ProposalSimulation> SimulateProposal(const PolicySet& policy,
                                                    const CurrentPlan& current,
                                                    const Portfolio& next_portfolio,
                                                    const monitor::Proposal& proposal,
                                                    const PlanOptions& options = {});

absl::StatusOr<PeriodPlan> PlanFromProposal(const PolicySet& policy, const CurrentPlan& current,
                                            const Portfolio& next_portfolio,
                                            const monitor::Proposal& proposal,
                                            const PlanOptions& options = {});

nlohmann::json ToJson(const ProposalSimulation& simulation, Currency currency);

}  // namespace upkeep

#endif  // UPKEEP_NEXT_PLAN_H_
