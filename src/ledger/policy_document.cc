#include "ledger/policy_document.h"

#include <memory>
#include <utility>

#include "base/status_macros.h"
#include "ledger/text.h"
#include "nlohmann/json.hpp"
#include "upkeep/money.h"
#include "upkeep/policy_params.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

std::string Amount(int64_t minor, Currency currency) {
  return Money::FromMinor(minor, currency).ToDecimalString();
}

std::string ActionName(Outcome action) {
  switch (action) {
    case Outcome::kApproveWithWarning:
      return "warn";
    case Outcome::kNeedsApproval:
      return "require_approval";
    case Outcome::kApprove:  // not a limit action: the parser rejects it
      return "approve";
    case Outcome::kReject:
      break;
  }
  return "reject";
}

// Stands in for a custom policy while a document is checked; never evaluated.
class Placeholder final : public ControlPolicy {
 public:
  void Evaluate(const ControlContext&, std::string_view, Decision*) const override {}
};

absl::StatusOr<ControlPolicySet> Parse(std::string_view document, Currency currency,
                                       const ControlPolicyRegistry& registry) {
  const nlohmann::json json = nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return MakeError(ErrorCode::kCorrupt, "the journaled policy document is not JSON");
  }
  return ParseControlPolicies(PolicyParams(json, ""), currency, registry);
}

}  // namespace

std::string PolicyDocument(const ControlPolicySet& set, Currency currency) {
  nlohmann::json doc = nlohmann::json::object();
  nlohmann::json& availability = doc["availability"] = nlohmann::json::array();
  for (const AvailabilityRule& rule : set.availability) {
    nlohmann::json item = {{"id", rule.id},
                           {"level", std::string(ScopeKindName(rule.level))},
                           {"mode", std::string(ControlModeName(rule.mode))}};
    if (!rule.key.empty()) item["key"] = rule.key;
    if (!rule.category.empty()) item["category"] = rule.category;
    if (rule.mode == ControlMode::kTolerance) {
      item["tolerance_amount"] = Amount(rule.tolerance_minor, currency);
      item["tolerance_pct"] = Decimal{rule.tolerance_basis_points, 2}.ToString();
    }
    availability.push_back(std::move(item));
  }
  nlohmann::json& limits = doc["limits"] = nlohmann::json::array();
  for (const LimitRule& rule : set.limits) {
    nlohmann::json item = {{"id", rule.id}, {"action", ActionName(rule.action)}};
    if (!rule.category.empty()) item["category"] = rule.category;
    if (!rule.tier.empty()) item["tier"] = rule.tier;
    if (rule.per_request_max_minor) {
      item["per_request_max"] = Amount(*rule.per_request_max_minor, currency);
    }
    if (rule.max_count) item["max_count"] = *rule.max_count;
    if (rule.window != LimitWindow::kPeriod) {
      item["window"] = std::string(LimitWindowName(rule.window));
    }
    limits.push_back(std::move(item));
  }
  nlohmann::json& tiers = doc["tier_categories"] = nlohmann::json::array();
  for (const TierCategoryRule& rule : set.tier_categories) {
    tiers.push_back({{"id", rule.id}, {"tier", rule.tier}, {"deny", rule.denied_categories}});
  }
  doc["closed_periods"] = set.closed_periods;
  nlohmann::json& custom = doc["custom"] = nlohmann::json::array();
  for (const CustomRule& rule : set.custom) {
    nlohmann::json params = nlohmann::json::object();
    if (!rule.params_json.empty()) {
      params = nlohmann::json::parse(rule.params_json, nullptr, /*allow_exceptions=*/false);
      if (params.is_discarded()) params = rule.params_json;  // the parser will say what is wrong
    }
    custom.push_back({{"id", rule.id}, {"policy", rule.policy}, {"params", params}});
  }
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<ControlPolicySet> ParsePolicyDocument(std::string_view document, Currency currency,
                                                     const ControlPolicyRegistry* registry) {
  static const ControlPolicyRegistry kEmpty;
  return Parse(document, currency, registry == nullptr ? kEmpty : *registry);
}

absl::StatusOr<ControlPolicySet> CanonicalPolicies(const ControlPolicySet& set, Currency currency,
                                                   std::string* document) {
  *document = PolicyDocument(set, currency);
  ControlPolicyRegistry placeholders;
  for (const CustomRule& rule : set.custom) {
    if (placeholders.Find(rule.policy) != nullptr) continue;
    UPKEEP_RETURN_IF_ERROR(placeholders.Register(
        rule.policy, [](const PolicyParams&) -> absl::StatusOr<std::unique_ptr<ControlPolicy>> {
          return std::make_unique<Placeholder>();
        }));
  }
  UPKEEP_ASSIGN_OR_RETURN(ControlPolicySet canonical, Parse(*document, currency, placeholders));
  for (size_t i = 0; i < canonical.custom.size(); ++i) {
    canonical.custom[i].instance = set.custom[i].instance;
  }
  return canonical;
}

}  // namespace upkeep::ledger
