// customer/classifier_common.h: building blocks shared by the built-in classifiers (internal).
//
//   UPKEEP_RETURN_IF_ERROR(StartClassification("abc", rule, tier_names, tier_rules, portfolio,
//   out)); if (portfolio.empty()) return absl::OkStatus();  // before resolving metrics for (size_t
//   i = 0; i < n; ++i) Place(out, i, tier, score);
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

// Replaces `out` with an unplaced classification of the portfolio's customers by rule, or
// kInvalidArgument when the portfolio has more than kMaxClassifiedCustomers customers. An empty
// portfolio is then fully classified (a custom metric cannot be resolved in it).
absl::Status StartClassification(std::string_view classifier, std::string rule,
                                 std::span<const std::string> tier_names,
                                 std::vector<std::string> tier_rules, const Portfolio& portfolio,
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
