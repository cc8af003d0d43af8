// TierHistory: last period's tier per customer id, the state that hysteresis carries.
#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "upkeep/classify.h"
#include "upkeep/status.h"

namespace upkeep {

absl::StatusOr<TierHistory> TierHistory::Create(std::vector<std::string> tier_names,
                                                std::vector<Entry> entries) {
  if (tier_names.size() > kMaxTiers) {
    return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("tier history: ", tier_names.size(),
                                                               " tiers; at most ", kMaxTiers));
  }
  std::set<std::string_view> names;
  for (const std::string& name : tier_names) {
    if (!names.insert(name).second) {
      return MakeError(ErrorCode::kAlreadyExists,
                       absl::StrCat("tier history: tier \"", name, "\" is listed twice"));
    }
  }
  for (const Entry& entry : entries) {
    if (entry.customer_id.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "tier history: a customer id is empty");
    }
    if (entry.tier >= tier_names.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("tier history: customer ", entry.customer_id, " has tier ",
                                    entry.tier, " of ", tier_names.size()));
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.customer_id < b.customer_id; });
  for (size_t k = 1; k < entries.size(); ++k) {
    if (entries[k - 1].customer_id == entries[k].customer_id) {
      return MakeError(
          ErrorCode::kAlreadyExists,
          absl::StrCat("tier history: customer ", entries[k].customer_id, " appears twice"));
    }
  }
  TierHistory history;
  history.tier_names_ = std::move(tier_names);
  history.entries_ = std::move(entries);
  return history;
}

TierHistory TierHistory::FromClassification(const Portfolio& portfolio,
                                            const Classification& classification) {
  TierHistory history;
  history.tier_names_ = classification.tier_names;
  history.entries_.reserve(portfolio.size());
  for (size_t i = 0; i < portfolio.size(); ++i) {
    history.entries_.push_back(
        {portfolio.customer(i).id, classification.tier[i], classification.periods_below[i]});
  }
  return history;
}

const TierHistory::Entry* TierHistory::Find(std::string_view customer_id) const {
  auto it = std::lower_bound(
      entries_.begin(), entries_.end(), customer_id,
      [](const Entry& entry, std::string_view id) { return entry.customer_id < id; });
  return it != entries_.end() && it->customer_id == customer_id ? &*it : nullptr;
}

}  // namespace upkeep
