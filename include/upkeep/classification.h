// upkeep/classification.h: the result of classifying a portfolio into tiers.
//
// Tiers are ordered from the most valuable (index 0, e.g. "strategic" or "A") to the least.
// A Classification holds, for each customer of the portfolio (in portfolio order), its tier and
// the score the rule compared, and says why: `Explain(i)` gives one line naming the score, the
// rule and the thresholds that placed customer i.
//
// Thread safety: plain value; const methods safe to call concurrently.
#ifndef UPKEEP_CLASSIFICATION_H_
#define UPKEEP_CLASSIFICATION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace upkeep {

using TierIndex = uint8_t;
inline constexpr size_t kMaxTiers = 32;

// Why a customer is in its tier.
enum class TierReason : uint8_t {
  kRule = 0,        // the classifier's rule placed it here
  kHysteresis = 1,  // the rule says lower, but it has not been below long enough to move down
  kCustom = 2,      // a custom classifier placed it here
  kFeedback = 3,    // an approved feedback proposal moved it here (upkeep/next_plan.h)
};

struct Classification {
  std::string classifier;               // the classifier's name, e.g. "abc"
  std::string rule;                     // the rule in words, e.g. "abc on revenue: A to 80 %, ..."
  std::vector<std::string> tier_names;  // highest value first
  std::vector<std::string> tier_rules;  // per tier, its condition in words ("score >= 80")
  std::vector<TierIndex> tier;          // per customer
  std::vector<double> score;            // per customer: the value the rule compared
  std::vector<TierReason> reason;       // per customer
  std::vector<TierIndex> rule_tier;     // per customer: the tier the rule alone gave
  std::vector<uint16_t> periods_below;  // per customer: consecutive periods below its tier

  size_t size() const { return tier.size(); }
  // Customers per tier, indexed by TierIndex.
  std::vector<size_t> CountByTier() const;
  // One line: "<tier>: <score detail> by <rule> (<tier rule>)" and any hysteresis note.
  std::string Explain(size_t customer) const;
};

}  // namespace upkeep

#endif  // UPKEEP_CLASSIFICATION_H_
