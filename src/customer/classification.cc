#include "upkeep/classification.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/absl_compat.h"

namespace upkeep {
namespace {

std::string_view TierName(const Classification& c, TierIndex tier) {
  return tier < c.tier_names.size() ? std::string_view(c.tier_names[tier]) : std::string_view("?");
}

std::string_view TierRule(const Classification& c, TierIndex tier) {
  return tier < c.tier_rules.size() ? std::string_view(c.tier_rules[tier]) : std::string_view();
}

}  // namespace

std::vector<size_t> Classification::CountByTier() const {
  std::vector<size_t> counts(tier_names.size(), 0);
  for (TierIndex t : tier) {
    if (t < counts.size()) ++counts[t];
  }
  return counts;
}

std::string Classification::Explain(size_t customer) const {
  const TierIndex placed = tier[customer];
  std::string line = absl::StrFormat("%s: score %.6g by %s", AsAbsl(TierName(*this, placed)),
                                     score[customer], rule);
  const TierIndex by_rule = customer < rule_tier.size() ? rule_tier[customer] : placed;
  const std::string_view tier_rule = TierRule(*this, by_rule);
  if (!tier_rule.empty()) absl::StrAppend(&line, " (", AsAbsl(tier_rule), ")");
  if (customer < reason.size() && reason[customer] == TierReason::kHysteresis) {
    const uint16_t below = customer < periods_below.size() ? periods_below[customer] : 0;
    absl::StrAppend(&line, "; held in ", AsAbsl(TierName(*this, placed)),
                    " by hysteresis: the rule says ", AsAbsl(TierName(*this, by_rule)),
                    ", below for ", below, " period", below == 1 ? "" : "s");
  }
  if (customer < reason.size() && reason[customer] == TierReason::kFeedback) {
    absl::StrAppend(&line, "; moved to ", AsAbsl(TierName(*this, placed)),
                    " by the approved feedback proposal (the rule says ",
                    AsAbsl(TierName(*this, by_rule)), ")");
  }
  return line;
}

}  // namespace upkeep
