// The README's C++ example, compiled and run by the tests so that it stays true.
#include <cstdio>
#include <memory>

#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"

static int Fail(const absl::Status& status) {
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}

int main() {
  // 1. A policy document: tiers, how to classify, how to size, how to allocate.
  const char* document = R"({
    "upkeep_policy": 1, "currency": "CNY", "tiers": ["key", "basic"],
    "classification": {"classifier": "abc", "metric": "revenue", "cumulative_pct": [80]},
    "sizing": {"method": "metric_share", "metric": "revenue", "share_pct": "2"},
    "allocation": {"policy": "tier_shares", "shares_pct": {"key": 70, "basic": 30},
                   "within_tier": "by_metric", "metric": "revenue"}
  })";
  absl::StatusOr<std::shared_ptr<const upkeep::PolicySet>> policy =
      upkeep::PolicySet::Compile(document);
  if (!policy.ok()) return Fail(policy.status());

  // 2. Customers and their metrics for the period (money in minor units: fen).
  upkeep::PortfolioBuilder builder((*policy)->currency());
  struct Row {
    const char* id;
    int64_t revenue_minor;
  };
  for (const Row& row : {Row{"C1", 800'000'00}, Row{"C2", 150'000'00}, Row{"C3", 50'000'00}}) {
    absl::Status added = builder.Add({.id = row.id}, {.revenue_minor = row.revenue_minor});
    if (!added.ok()) return Fail(added);
  }
  absl::StatusOr<upkeep::Portfolio> portfolio = std::move(builder).Build();
  if (!portfolio.ok()) return Fail(portfolio.status());

  // 3. Classify, size the pool (2 % of revenue), allocate it exactly; every number explained.
  absl::StatusOr<upkeep::PeriodPlan> plan = upkeep::PlanPeriod(**policy, *portfolio);
  if (!plan.ok()) return Fail(plan.status());
  std::printf("%s\n", plan->sizing.Explain().c_str());
  for (size_t i = 0; i < portfolio->size(); ++i) {
    std::printf("%s %s\n", portfolio->customer(i).id.c_str(), plan->allocation.Explain(i).c_str());
  }
  return 0;
}
