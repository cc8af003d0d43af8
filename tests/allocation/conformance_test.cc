// Every built-in policy passes the same conformance suite that users run on theirs.
#include <string>

#include "allocation_test_util.h"
#include "upkeep/testing/allocation_conformance.h"

namespace upkeep::testing {
namespace {

AllocationConformanceCase Case(std::string name, std::string json) {
  AllocationConformanceCase c;
  c.name = std::move(name);
  c.make_policy = [json] { return PolicyFromJson(json, {"strategic", "key", "growth", "basic"}); };
  return c;
}

std::vector<AllocationConformanceCase> BuiltIns() {
  std::vector<AllocationConformanceCase> cases = {
      Case("tier_shares_even", R"({"policy": "tier_shares",
          "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10}})"),
      Case("tier_shares_by_revenue", R"({"policy": "tier_shares",
          "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10},
          "within_tier": "by_metric", "metric": "revenue"})"),
      Case("tier_weights", R"({"policy": "tier_weights",
          "weights": {"strategic": 8, "key": 4, "growth": "2.5", "basic": 1}})"),
      Case("proportional_margin", R"({"policy": "proportional", "metric": "gross_margin"})"),
      Case("fixed_per_tier", R"({"policy": "fixed_per_tier", "amount_per_customer":
          {"strategic": "5000.00", "key": "2000.00", "growth": "1000.00", "basic": "100.00"}})"),
  };
  AllocationConformanceCase capped = Case("pipeline_floors_caps", R"({"policy": "pipeline",
      "reserve_pct": 5, "steps": [
        {"rule": "tier_shares", "shares_pct": {"strategic": 40, "key": 30, "growth": 20,
                                               "basic": 10},
         "within_tier": "by_metric", "metric": "revenue"},
        {"rule": "caps", "customer_floor": "500.00", "customer_cap": {"strategic": "800000.00"},
         "excess": "unallocated"}]})");
  capped.bounds = [](const Portfolio&, const Classification& c, size_t i) {
    return CustomerBounds{50000, c.tier[i] == 0 ? 80000000 : std::numeric_limits<int64_t>::max()};
  };
  cases.push_back(capped);
  AllocationConformanceCase revenue_cap = Case("pipeline_revenue_cap", R"({"policy": "pipeline",
      "steps": [{"rule": "tier_weights", "weights": {"strategic": 8, "key": 4, "growth": 2,
                                                     "basic": 1}},
                {"rule": "caps", "customer_cap_pct_of_revenue": "10", "redistribute": "portfolio",
                 "excess": "unallocated"}]})");
  revenue_cap.bounds = [](const Portfolio& p, const Classification&, size_t i) {
    return CustomerBounds{0, p.metrics(i).revenue_minor / 10};
  };
  cases.push_back(revenue_cap);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(BuiltIn, AllocationConformanceTest, ::testing::ValuesIn(BuiltIns()),
                         ConformanceCaseName);

}  // namespace
}  // namespace upkeep::testing
