#include "upkeep/plan.h"

#include <numeric>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policy/policy_test_util.h"
#include "rapidcheck/gtest.h"
#include "upkeep/testing/portfolio_generator.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::PortfolioOptions;
using ::upkeep::testing::StatusIs;
using ::upkeep::testing::ValidDocument;

std::shared_ptr<const PolicySet> Compile(const nlohmann::json& doc) {
  absl::StatusOr<std::shared_ptr<const PolicySet>> policy = PolicySet::Compile(doc.dump());
  EXPECT_TRUE(policy.ok()) << policy.status();
  return policy.ok() ? *policy : nullptr;
}

int64_t Sum(const std::vector<int64_t>& values) {
  return std::accumulate(values.begin(), values.end(), int64_t{0});
}

// The money identity every plan must satisfy, to the minor unit.
void ExpectAddsUp(const PeriodPlan& plan) {
  const Allocation& a = plan.allocation;
  EXPECT_EQ(a.pool_minor, plan.sizing.pool.amount_minor());
  EXPECT_EQ(Sum(a.amount_minor) + a.reserve_minor + a.unallocated_minor, a.pool_minor);
  EXPECT_EQ(Sum(a.tier_amount_minor), Sum(a.amount_minor));
  int64_t terms_minor = 0;
  for (const SizingTerm& term : plan.sizing.terms) terms_minor += term.amount_minor;
  EXPECT_EQ(terms_minor, plan.sizing.pool.amount_minor());
}

TEST(PlanTest, PlansAGeneratedPortfolioExactly) {
  std::shared_ptr<const PolicySet> policy = Compile(ValidDocument());
  ASSERT_NE(policy, nullptr);
  const Portfolio portfolio = testing::GeneratePortfolio({.customers = 500, .seed = 3});
  ASSERT_OK_AND_ASSIGN(PeriodPlan plan, PlanPeriod(*policy, portfolio));
  ASSERT_EQ(plan.classification.size(), 500u);
  ASSERT_EQ(plan.allocation.size(), 500u);
  ExpectAddsUp(plan);
  // The reserve is 5 % of the pool.
  EXPECT_NEAR(static_cast<double>(plan.allocation.reserve_minor),
              0.05 * static_cast<double>(plan.allocation.pool_minor), 1.0);
  EXPECT_FALSE(plan.allocation.Explain(0).empty());
  EXPECT_THAT(plan.sizing.Explain(), HasSubstr("pool ="));
}

TEST(PlanTest, SummaryByTierMatchesTheAllocation) {
  std::shared_ptr<const PolicySet> policy = Compile(ValidDocument());
  const Portfolio portfolio = testing::GeneratePortfolio({.customers = 300, .seed = 4});
  ASSERT_OK_AND_ASSIGN(PeriodPlan plan, PlanPeriod(*policy, portfolio));
  const std::vector<TierSummary> tiers = SummarizeByTier(plan);
  ASSERT_EQ(tiers.size(), 4u);
  const std::vector<size_t> counts = plan.classification.CountByTier();
  size_t customers = 0;
  for (size_t t = 0; t < tiers.size(); ++t) {
    EXPECT_EQ(tiers[t].tier, policy->tier_names()[t]);
    EXPECT_EQ(tiers[t].customers, counts[t]);
    EXPECT_EQ(tiers[t].amount_minor, plan.allocation.tier_amount_minor[t]);
    EXPECT_LE(tiers[t].smallest_minor, tiers[t].largest_minor);
    customers += tiers[t].customers;
  }
  EXPECT_EQ(customers, portfolio.size());
}

TEST(PlanTest, ResultDoesNotDependOnInputOrder) {
  std::shared_ptr<const PolicySet> policy = Compile(ValidDocument());
  const PortfolioOptions options{.customers = 400, .seed = 9};
  const Portfolio in_order = testing::GeneratePortfolio(options);
  const Portfolio shuffled = testing::RebuildShuffled(options, 77);
  ASSERT_OK_AND_ASSIGN(PeriodPlan a, PlanPeriod(*policy, in_order));
  ASSERT_OK_AND_ASSIGN(PeriodPlan b, PlanPeriod(*policy, shuffled));
  EXPECT_EQ(a.classification.tier, b.classification.tier);
  EXPECT_EQ(a.allocation.amount_minor, b.allocation.amount_minor);
  EXPECT_EQ(a.sizing.pool, b.sizing.pool);
}

TEST(PlanTest, PortfolioInAnotherCurrencyIsRejected) {
  std::shared_ptr<const PolicySet> policy = Compile(ValidDocument());
  const Portfolio usd = testing::GeneratePortfolio(
      {.customers = 10, .seed = 1, .currency = *Currency::FromCode("USD")});
  EXPECT_THAT(PlanPeriod(*policy, usd),
              StatusIs(ErrorCode::kCurrencyMismatch, HasSubstr("the portfolio is in USD")));
}

TEST(PlanTest, HostGivenPoolReplacesSizing) {
  std::shared_ptr<const PolicySet> policy = Compile(ValidDocument());
  const Portfolio portfolio = testing::GeneratePortfolio({.customers = 50, .seed = 2});
  const Currency cny = *Currency::FromCode("CNY");
  ASSERT_OK_AND_ASSIGN(PeriodPlan plan, PlanPeriod(*policy, portfolio,
                                                   {.pool = Money::FromMinor(1'000'000'00, cny)}));
  EXPECT_EQ(plan.allocation.pool_minor, 1'000'000'00);
  ASSERT_EQ(plan.sizing.terms.size(), 1u);
  EXPECT_THAT(plan.sizing.formula, HasSubstr("given by the host"));
  ExpectAddsUp(plan);

  const Money jpy_pool = Money::FromMinor(1000, *Currency::FromCode("JPY"));
  EXPECT_THAT(PlanPeriod(*policy, portfolio, {.pool = jpy_pool}),
              StatusIs(ErrorCode::kCurrencyMismatch, HasSubstr("the pool is in JPY")));
}

TEST(PlanTest, WithoutSizingAPoolMustBeGiven) {
  nlohmann::json doc = ValidDocument();
  doc.erase("sizing");
  std::shared_ptr<const PolicySet> policy = Compile(doc);
  const Portfolio portfolio = testing::GeneratePortfolio({.customers = 5, .seed = 2});
  EXPECT_THAT(PlanPeriod(*policy, portfolio),
              StatusIs(ErrorCode::kInvalidArgument, HasSubstr("no sizing section")));
}

TEST(PlanTest, HysteresisHoldsCustomersInLastPeriodsTier) {
  nlohmann::json doc = ValidDocument();
  doc["classification"]["hysteresis"] = {{"periods", 3}};
  // Everyone is held in one tier, so allocate by tier weights (tier shares need every tier).
  doc["allocation"] = {{"policy", "tier_weights"},
                       {"weights", {{"strategic", 8}, {"key", 4}, {"growth", 2}, {"basic", 1}}}};
  std::shared_ptr<const PolicySet> policy = Compile(doc);
  const Portfolio portfolio = testing::GeneratePortfolio({.customers = 200, .seed = 5});
  // Last period everyone was strategic.
  std::vector<TierHistory::Entry> entries;
  for (size_t i = 0; i < portfolio.size(); ++i) {
    entries.push_back({portfolio.customer(i).id, 0, 0});
  }
  ASSERT_OK_AND_ASSIGN(TierHistory history,
                       TierHistory::Create(policy->tier_names(), std::move(entries)));
  ASSERT_OK_AND_ASSIGN(PeriodPlan plan, PlanPeriod(*policy, portfolio, {.previous = &history}));
  for (size_t i = 0; i < portfolio.size(); ++i) {
    EXPECT_EQ(plan.classification.tier[i], 0) << portfolio.customer(i).id;
  }
  ExpectAddsUp(plan);
}

TEST(PlanTest, ConcurrentPlansAgree) {
  std::shared_ptr<const PolicySet> policy = Compile(ValidDocument());
  const Portfolio portfolio = testing::GeneratePortfolio({.customers = 2000, .seed = 8});
  ASSERT_OK_AND_ASSIGN(PeriodPlan expected, PlanPeriod(*policy, portfolio));
  std::vector<std::vector<int64_t>> results(4);
  std::vector<std::thread> threads;
  for (size_t k = 0; k < results.size(); ++k) {
    threads.emplace_back([&, k] {
      absl::StatusOr<PeriodPlan> plan = PlanPeriod(*policy, portfolio);
      if (plan.ok()) results[k] = plan->allocation.amount_minor;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::vector<int64_t>& amounts : results) {
    EXPECT_EQ(amounts, expected.allocation.amount_minor);
  }
}

// Over random portfolios the plan always adds up exactly, or fails with a specific status.
RC_GTEST_PROP(PlanProperty, AlwaysAddsUp, ()) {
  static const std::shared_ptr<const PolicySet> policy = Compile(ValidDocument());
  const size_t customers = *rc::gen::inRange<size_t>(1, 400);
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  const Portfolio portfolio = testing::GeneratePortfolio({.customers = customers, .seed = seed});
  absl::StatusOr<PeriodPlan> plan = PlanPeriod(*policy, portfolio);
  if (!plan.ok()) {
    // Small portfolios may leave a tier empty, which tier shares cannot allocate.
    RC_ASSERT(ErrorCodeOf(plan.status()) == ErrorCode::kInfeasible);
    return;
  }
  const Allocation& a = plan->allocation;
  RC_ASSERT(Sum(a.amount_minor) + a.reserve_minor + a.unallocated_minor == a.pool_minor);
  RC_ASSERT(a.pool_minor == plan->sizing.pool.amount_minor());
  for (int64_t amount : a.amount_minor) RC_ASSERT(amount >= 0);
}

}  // namespace
}  // namespace upkeep
