// Shared fixtures for the policy tests: a valid document to edit, and compiling helpers.
#ifndef UPKEEP_TESTS_POLICY_POLICY_TEST_UTIL_H_
#define UPKEEP_TESTS_POLICY_POLICY_TEST_UTIL_H_

#include "nlohmann/json.hpp"

namespace upkeep::testing {

// A small complete policy document: four tiers, ABC classification, tier_base sizing, a
// pipeline allocation. Tests change one thing in it and compile.
inline nlohmann::json ValidDocument() {
  return nlohmann::json::parse(R"({
    "upkeep_policy": 1,
    "name": "test policy",
    "currency": "CNY",
    "tiers": ["strategic", "key", "growth", "basic"],
    "classification": {"classifier": "abc", "metric": "revenue", "cumulative_pct": [50, 80, 95]},
    "sizing": {
      "method": "tier_base",
      "base_per_customer": {"strategic": "50000.00", "key": "10000.00", "growth": "3000.00",
                            "basic": "500.00"},
      "market_factor": "1.10"
    },
    "allocation": {
      "policy": "pipeline",
      "reserve_pct": "5",
      "steps": [
        {"rule": "tier_shares", "shares_pct": {"strategic": 40, "key": 30, "growth": 20, "basic": 10},
         "within_tier": "by_metric", "metric": "revenue"},
        {"rule": "caps", "customer_floor": {"key": "100.00"}, "customer_cap_pct_of_revenue": 5}
      ]
    }
  })");
}

}  // namespace upkeep::testing

#endif  // UPKEEP_TESTS_POLICY_POLICY_TEST_UTIL_H_
