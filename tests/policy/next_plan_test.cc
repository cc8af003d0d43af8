// The next plan from a feedback proposal: tier moves applied and explained, multipliers applied,
// the money exact, every funded customer within the bound of its current amount (also as a
// property over random proposals and portfolios), and each bad input with its status.
#include "upkeep/next_plan.h"

#include <numeric>

#include "absl/numeric/int128.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/policy_test_util.h"
#include "rapidcheck.h"
#include "rapidcheck/gtest.h"
#include "upkeep/rounding.h"
#include "upkeep/testing/portfolio_generator.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;
using ::upkeep::testing::ValidDocument;

std::shared_ptr<const PolicySet> Policy() {
  return PolicySet::Compile(ValidDocument().dump()).value();
}

int64_t Sum(const std::vector<int64_t>& values) {
  return std::accumulate(values.begin(), values.end(), int64_t{0});
}

// Checks the money identity and that every customer funded now stays within the bound.
void ExpectExactAndBounded(const CurrentPlan& current, const Portfolio& next_portfolio,
                           const PeriodPlan& next, int64_t bound_bp) {
  const Allocation& a = next.allocation;
  ASSERT_EQ(Sum(a.amount_minor) + a.reserve_minor + a.unallocated_minor, a.pool_minor);
  ASSERT_EQ(Sum(a.tier_amount_minor), Sum(a.amount_minor));
  const absl::int128 now_total = Sum(current.plan.allocation.amount_minor);
  const absl::int128 next_total = Sum(a.amount_minor);
  for (size_t i = 0; i < next_portfolio.size(); ++i) {
    const std::optional<size_t> j = current.portfolio.Find(next_portfolio.customer(i).id);
    if (!j || current.plan.allocation.amount_minor[*j] == 0) continue;
    const absl::int128 reference =
        absl::int128(current.plan.allocation.amount_minor[*j]) * next_total;
    const absl::int128 den = now_total * 10000;
    const absl::int128 low =
        DivideRounded(reference * (10000 - bound_bp), den, RoundingMode::kFloor);
    const absl::int128 high =
        DivideRounded(reference * (10000 + bound_bp), den, RoundingMode::kCeiling);
    ASSERT_GE(a.amount_minor[i], low) << next_portfolio.customer(i).id;
    ASSERT_LE(a.amount_minor[i], high) << next_portfolio.customer(i).id;
  }
}

struct Fixture {
  std::shared_ptr<const PolicySet> policy = Policy();
  Portfolio portfolio = testing::GeneratePortfolio({.customers = 400, .seed = 11});
  PeriodPlan plan = PlanPeriod(*policy, portfolio).value();
  CurrentPlan current{portfolio, plan};

  // A customer of tier `tier` (index), the first one found.
  size_t InTier(TierIndex tier) const {
    for (size_t i = 0; i < plan.classification.size(); ++i) {
      if (plan.classification.tier[i] == tier) return i;
    }
    ADD_FAILURE() << "no customer in tier " << int{tier};
    return 0;
  }
  monitor::ProposedChange Change(size_t i, TierIndex to, int64_t multiplier_bp) const {
    const auto& names = plan.classification.tier_names;
    return {.customer = portfolio.customer(i).id,
            .tier_from = names[plan.classification.tier[i]],
            .tier_to = names[to],
            .multiplier_bp = multiplier_bp,
            .reasons = {"because"}};
  }
};

TEST(NextPlanTest, AnApprovedProposalBecomesTheNextPlanExactlyAndWithinItsBound) {
  Fixture f;
  const size_t up = f.InTier(2), down = f.InTier(0);
  monitor::Proposal proposal{.period = "FY2025", .policy = "signals", .max_change_bp = 2000};
  proposal.changes = {f.Change(up, 1, 12000), f.Change(down, 0, 8000)};
  std::sort(proposal.changes.begin(), proposal.changes.end(),
            [](const auto& a, const auto& b) { return a.customer < b.customer; });
  ASSERT_THAT(monitor::Approve(proposal, "cfo"), IsOk());
  ASSERT_OK_AND_ASSIGN(PeriodPlan next,
                       PlanFromProposal(*f.policy, f.current, f.portfolio, proposal));
  ExpectExactAndBounded(f.current, f.portfolio, next, 2000);
  EXPECT_EQ(next.classification.tier[up], 1);
  EXPECT_EQ(next.classification.reason[up], TierReason::kFeedback);
  EXPECT_THAT(next.classification.Explain(up), HasSubstr("feedback proposal"));
  EXPECT_LT(next.allocation.amount_minor[down], f.plan.allocation.amount_minor[down]);
  EXPECT_THAT(next.allocation.steps.back(), HasSubstr("feedback: the proposal for FY2025"));
  EXPECT_THAT(next.allocation.Explain(down), HasSubstr("feedback"));
}

TEST(NextPlanTest, SimulationShowsEachCustomerNowAndNext) {
  Fixture f;
  const size_t down = f.InTier(0);
  monitor::Proposal proposal{.period = "FY2025", .max_change_bp = 1000};
  proposal.changes = {f.Change(down, 0, 9000)};
  ASSERT_OK_AND_ASSIGN(ProposalSimulation sim,
                       SimulateProposal(*f.policy, f.current, f.portfolio, proposal));
  ASSERT_EQ(sim.customers.size(), f.portfolio.size());
  const CustomerMove& m = sim.customers[down];
  EXPECT_EQ(m.amount_now_minor, f.plan.allocation.amount_minor[down]);
  EXPECT_EQ(m.amount_next_minor, sim.next.allocation.amount_minor[down]);
  EXPECT_EQ(m.multiplier_bp, 9000);
  ASSERT_TRUE(m.change_bp.has_value());
  EXPECT_GE(*m.change_bp, -1000);
  EXPECT_LT(*m.change_bp, 0);
  EXPECT_EQ(m.reasons, std::vector<std::string>{"because"});
  ASSERT_TRUE(m.share_change_bp.has_value());  // the same pool: the share moves as the amount
  EXPECT_NEAR(static_cast<double>(*m.share_change_bp), static_cast<double>(*m.change_bp), 1.0);
  EXPECT_EQ(sim.tiers_now.size(), 4u);
  const nlohmann::json j = ToJson(sim, f.policy->currency());
  EXPECT_EQ(j["customers"].size(), f.portfolio.size());
  EXPECT_EQ(j["customers"][down]["multiplier_bp"], 9000);
  ExpectExactAndBounded(f.current, f.portfolio, sim.next, 1000);
}

TEST(NextPlanTest, BadInputsHaveTheirOwnStatus) {
  Fixture f;
  monitor::Proposal draft{.period = "FY2025", .max_change_bp = 2000};
  EXPECT_THAT(PlanFromProposal(*f.policy, f.current, f.portfolio, draft),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("only an approved proposal")));
  monitor::Proposal rejected = draft;
  ASSERT_THAT(monitor::Reject(rejected, "cfo"), IsOk());
  EXPECT_THAT(SimulateProposal(*f.policy, f.current, f.portfolio, rejected),
              StatusIs(ErrorCode::kInvalidState, HasSubstr("rejected")));
  monitor::Proposal unknown_tier = draft;
  unknown_tier.changes = {f.Change(0, 0, 10000)};
  unknown_tier.changes[0].tier_to = "platinum";
  EXPECT_THAT(SimulateProposal(*f.policy, f.current, f.portfolio, unknown_tier),
              StatusIs(ErrorCode::kNotFound, HasSubstr("'platinum'")));
  const Portfolio other = testing::GeneratePortfolio({.customers = 10, .seed = 2});
  EXPECT_THAT(SimulateProposal(*f.policy, CurrentPlan{other, f.plan}, f.portfolio, draft),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("current plan covers 400")));
  const Portfolio usd = testing::GeneratePortfolio(
      {.customers = 10, .seed = 2, .currency = Currency::FromCode("USD").value()});
  EXPECT_THAT(SimulateProposal(*f.policy, f.current, usd, draft),
              StatusIs(ErrorCode::kCurrencyMismatch));
}

TEST(NextPlanTest, TheBoundCannotHoldWhenMostOfTheMoneyLeaves) {
  Fixture f;
  // The next portfolio keeps only the 20 smallest-funded customers: they cannot absorb the
  // whole allocation within 5 % of their current amounts.
  std::vector<std::pair<Customer, CustomerMetrics>> rows;
  std::vector<size_t> order(f.portfolio.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return f.plan.allocation.amount_minor[a] > f.plan.allocation.amount_minor[b];
  });
  for (size_t k = 0; k < 20; ++k) {
    rows.emplace_back(f.portfolio.customer(order[k]), f.portfolio.metrics(order[k]));
  }
  const Portfolio kept = testing::BuildPortfolio(f.policy->currency(), rows, false);
  const monitor::Proposal proposal{.period = "FY2025", .max_change_bp = 500};
  EXPECT_THAT(SimulateProposal(*f.policy, f.current, kept, proposal, {.pool = f.plan.sizing.pool}),
              StatusIs(ErrorCode::kInfeasible, HasSubstr("bound cannot hold")));
}

RC_GTEST_PROP(NextPlanProperty, EveryFundedCustomerStaysWithinTheBound, ()) {
  static const std::shared_ptr<const PolicySet> policy = Policy();
  const size_t n = *rc::gen::inRange<size_t>(20, 150);
  const Portfolio now_portfolio =
      testing::GeneratePortfolio({.customers = n, .seed = *rc::gen::inRange<uint64_t>(1, 1000)});
  // The next period: the same customers with new metrics, and maybe some new ones.
  const Portfolio next_portfolio =
      testing::GeneratePortfolio({.customers = n + *rc::gen::inRange<size_t>(0, 10),
                                  .seed = *rc::gen::inRange<uint64_t>(1, 1000)});
  // Small portfolios can leave a tier empty, which this policy refuses: not this test's topic.
  const absl::StatusOr<PeriodPlan> planned = PlanPeriod(*policy, now_portfolio);
  RC_PRE(planned.ok());
  const PeriodPlan& plan = *planned;
  const int64_t bound_bp = *rc::gen::inRange<int64_t>(0, 5001);
  monitor::Proposal proposal{.period = "P", .max_change_bp = bound_bp};
  for (size_t i = 0; i < n; ++i) {
    if (!*rc::gen::arbitrary<bool>()) continue;
    const TierIndex tier = plan.classification.tier[i];
    const auto to = static_cast<TierIndex>(*rc::gen::inRange<int>(0, 4));
    proposal.changes.push_back(
        {.customer = now_portfolio.customer(i).id,
         .tier_from = plan.classification.tier_names[tier],
         .tier_to = plan.classification.tier_names[to],
         .multiplier_bp = *rc::gen::inRange<int64_t>(10000 - bound_bp, 10001 + bound_bp)});
  }
  const CurrentPlan current{now_portfolio, plan};
  const absl::StatusOr<ProposalSimulation> sim =
      SimulateProposal(*policy, current, next_portfolio, proposal);
  // The policy itself may refuse the next portfolio (a tier left empty, a customer moved into a
  // tier whose floor its revenue cap cannot meet): not this test's topic. The bound must hold.
  RC_PRE(sim.ok() || absl::StrContains(sim.status().message(), "bound cannot hold"));
  if (!sim.ok()) RC_FAIL(sim.status().ToString());
  ExpectExactAndBounded(current, next_portfolio, sim->next, bound_bp);
  RC_ASSERT(!::testing::Test::HasFailure());
}

}  // namespace
}  // namespace upkeep
