// The Classifier interface's defaults and the well-formedness check of its results.
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "upkeep/classify.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

absl::Status Broken(const Classification& c, std::string_view what) {
  return MakeError(ErrorCode::kInternal,
                   absl::StrCat("classifier \"", c.classifier,
                                "\" returned a malformed result: ", AsAbsl(what)));
}

}  // namespace

absl::Status Classifier::ClassifyWithHistory(const Portfolio& portfolio,
                                             const TierHistory& /*previous*/,
                                             Classification& out) const {
  return Classify(portfolio, out);
}

absl::Status CheckClassification(const Portfolio& portfolio, const Classification& c) {
  const size_t tiers = c.tier_names.size();
  if (tiers == 0 || tiers > kMaxTiers) {
    return Broken(c, absl::StrCat(tiers, " tiers; must be 1 to ", kMaxTiers));
  }
  std::set<std::string_view> names;
  for (const std::string& name : c.tier_names) {
    if (name.empty() || !names.insert(name).second) {
      return Broken(c, absl::StrCat("tier name \"", name, "\" is empty or repeated"));
    }
  }
  if (c.tier_rules.size() != tiers) {
    return Broken(c, absl::StrCat(c.tier_rules.size(), " tier rules for ", tiers, " tiers"));
  }
  const size_t n = portfolio.size();
  if (c.tier.size() != n || c.score.size() != n || c.reason.size() != n ||
      c.rule_tier.size() != n || c.periods_below.size() != n) {
    return Broken(c, absl::StrCat("per-customer vectors not all of the portfolio's size ", n));
  }
  for (size_t i = 0; i < n; ++i) {
    if (c.tier[i] >= tiers || c.rule_tier[i] >= tiers) {
      return Broken(
          c, absl::StrCat("customer ", portfolio.customer(i).id, " has a tier out of range"));
    }
  }
  return absl::OkStatus();
}

}  // namespace upkeep
