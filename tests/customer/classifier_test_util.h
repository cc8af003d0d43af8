// customer/classifier_test_util.h: small helpers for the classifier tests.
#ifndef UPKEEP_TESTS_CUSTOMER_CLASSIFIER_TEST_UTIL_H_
#define UPKEEP_TESTS_CUSTOMER_CLASSIFIER_TEST_UTIL_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "upkeep/classification.h"
#include "upkeep/portfolio.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::testing {

// A CNY portfolio of the given customers (ids and metrics); fails the test on a bad row.
inline Portfolio SmallPortfolio(const std::vector<std::pair<std::string, CustomerMetrics>>& rows) {
  PortfolioBuilder builder(Currency{});
  for (const auto& [id, metrics] : rows) {
    Customer customer;
    customer.id = id;
    EXPECT_THAT(builder.Add(std::move(customer), metrics), IsOk());
  }
  absl::StatusOr<Portfolio> portfolio = std::move(builder).Build();
  EXPECT_THAT(portfolio, IsOk());
  return portfolio.ok() ? *std::move(portfolio) : Portfolio();
}

// Each customer's tier name, by id.
inline std::map<std::string, std::string> TierById(const Portfolio& portfolio,
                                                   const Classification& result) {
  std::map<std::string, std::string> tiers;
  for (size_t i = 0; i < result.size(); ++i) {
    tiers[portfolio.customer(i).id] = result.tier_names[result.tier[i]];
  }
  return tiers;
}

// Each customer's score, by id.
inline std::map<std::string, double> ScoreById(const Portfolio& portfolio,
                                               const Classification& result) {
  std::map<std::string, double> scores;
  for (size_t i = 0; i < result.size(); ++i) scores[portfolio.customer(i).id] = result.score[i];
  return scores;
}

}  // namespace upkeep::testing

#endif  // UPKEEP_TESTS_CUSTOMER_CLASSIFIER_TEST_UTIL_H_
