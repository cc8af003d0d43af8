#include "customer/classifier_common.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "upkeep/classify.h"
#include "upkeep/status.h"

namespace upkeep::customer_internal {

absl::Status StartClassification(std::string_view classifier, std::string rule,
                                 std::span<const std::string> tier_names,
                                 std::vector<std::string> tier_rules, const Portfolio& portfolio,
                                 Classification& out) {
  const size_t customers = portfolio.size();
  if (customers > kMaxClassifiedCustomers) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat(AsAbsl(classifier), ": ", customers, " customers; at most ",
                                  kMaxClassifiedCustomers, " can be classified at once"));
  }
  out.classifier = std::string(classifier);
  out.rule = std::move(rule);
  out.tier_names.assign(tier_names.begin(), tier_names.end());
  out.tier_rules = std::move(tier_rules);
  out.tier.assign(customers, 0);
  out.score.assign(customers, 0.0);
  out.reason.assign(customers, TierReason::kRule);
  out.rule_tier.assign(customers, 0);
  out.periods_below.assign(customers, 0);
  return absl::OkStatus();
}

std::vector<std::string> MinimumRules(std::string_view label, std::span<const Decimal> minimums) {
  if (minimums.empty()) return {"all customers"};
  std::vector<std::string> rules;
  rules.reserve(minimums.size() + 1);
  for (const Decimal& minimum : minimums) {
    rules.push_back(absl::StrCat(AsAbsl(label), " >= ", minimum.ToString()));
  }
  rules.push_back(absl::StrCat(AsAbsl(label), " < ", minimums.back().ToString()));
  return rules;
}

}  // namespace upkeep::customer_internal
