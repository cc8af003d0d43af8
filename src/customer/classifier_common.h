// customer/classifier_common.h: building blocks shared by the built-in classifiers (internal).
//
//   UPKEEP_RETURN_IF_ERROR(CheckClassifiable(portfolio, "abc"));
//   StartClassification("abc", rule, tier_names, tier_rules, portfolio.size(), out);
//   for (size_t i = 0; i < n; ++i) Place(out, i, tier, score);
//
// Thread safety: pure functions.
#ifndef UPKEEP_CUSTOMER_CLASSIFIER_COMMON_H_
#define UPKEEP_CUSTOMER_CLASSIFIER_COMMON_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "upkeep/classification.h"
#include "upkeep/money.h"
#include "upkeep/portfolio.h"

namespace upkeep::customer_internal {

// kInvalidArgument when the portfolio has more than kMaxClassifiedCustomers customers.
absl::Status CheckClassifiable(const Portfolio& portfolio, std::string_view classifier);

// Replaces `out` with an unplaced classification of `customers` customers by rule.
void StartClassification(std::string_view classifier, std::string rule,
                         std::span<const std::string> tier_names,
                         std::vector<std::string> tier_rules, size_t customers,
                         Classification& out);

// Places customer i in `tier` by the rule, with the score the rule compared.
inline void Place(Classification& out, size_t customer, TierIndex tier, double score) {
  out.tier[customer] = tier;
  out.rule_tier[customer] = tier;
  out.score[customer] = score;
}

// The first tier whose minimum `score` reaches, or the last tier (minimums.size()).
template <typename T>
TierIndex TierByMinimums(const T& score, std::span<const T> minimums) {
  size_t tier = 0;
  while (tier < minimums.size() && score < minimums[tier]) ++tier;
  return static_cast<TierIndex>(tier);
}

// Tier rules for minimums on `label`: "<label> >= m" per tier, the last "<label> < m_last"
// ("all customers" for a single tier).
std::vector<std::string> MinimumRules(std::string_view label, std::span<const Decimal> minimums);

}  // namespace upkeep::customer_internal

#endif  // UPKEEP_CUSTOMER_CLASSIFIER_COMMON_H_
