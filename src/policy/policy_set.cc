#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/policy.h"
#include "upkeep/policy_params.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep {
namespace {

// Parses JSON text. nlohmann reports syntax errors by exception; they stop here.
absl::StatusOr<nlohmann::json> ParseJson(std::string_view text) {
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(text, "policy document"));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    return MakeError(ErrorCode::kPolicyInvalid,
                     absl::StrCat("policy document: JSON syntax error at byte ", error.byte, ": ",
                                  error.what()));
  }
}

absl::Status CheckVersion(const PolicyParams& root) {
  UPKEEP_ASSIGN_OR_RETURN(int64_t version, root.GetInt("upkeep_policy"));
  if (version > kPolicyDocumentVersion) {
    return MakeError(ErrorCode::kUnsupportedVersion,
                     absl::StrCat("/upkeep_policy: the document is version ", version,
                                  "; this upkeep reads up to version ", kPolicyDocumentVersion));
  }
  if (version < 1) return root.Error("upkeep_policy", "must be 1");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ReadTiers(const PolicyParams& root) {
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams tiers, root.Child("tiers"));
  UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> elements, tiers.Elements());
  if (elements.empty()) return tiers.Error("", "must name at least one tier");
  if (elements.size() > kMaxTiers) {
    return tiers.Error("", absl::StrCat("must name at most ", kMaxTiers, " tiers"));
  }
  std::vector<std::string> names;
  absl::flat_hash_set<std::string> seen;
  for (const PolicyParams& element : elements) {
    UPKEEP_ASSIGN_OR_RETURN(std::string name, element.AsString());
    if (name.empty()) return element.Error("", "must not be empty");
    if (!seen.insert(name).second) {
      return element.Error("", absl::StrCat("repeats the tier \"", name, "\""));
    }
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PolicySet>> PolicySet::Compile(std::string_view document) {
  return Compile(document, PolicyRegistry());
}

absl::StatusOr<std::shared_ptr<const PolicySet>> PolicySet::Compile(
    std::string_view document, const PolicyRegistry& registry) {
  std::shared_ptr<PolicySet> set(new PolicySet());
  UPKEEP_ASSIGN_OR_RETURN(set->document_, ParseJson(document));
  const PolicyParams root(set->document_, "");
  UPKEEP_RETURN_IF_ERROR(
      root.CheckKeys({"upkeep_policy", "name", "currency", "tiers", "classification", "sizing",
                      "allocation", "control", "monitoring", "rollover", "feedback"}));
  UPKEEP_RETURN_IF_ERROR(CheckVersion(root));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> name, root.FindString("name"));
  set->name_ = name.value_or("");

  UPKEEP_ASSIGN_OR_RETURN(std::string currency_code, root.GetString("currency"));
  absl::StatusOr<Currency> currency = Currency::FromCode(currency_code);
  if (!currency.ok()) return root.Error("currency", std::string(currency.status().message()));
  set->currency_ = *currency;

  UPKEEP_ASSIGN_OR_RETURN(set->tier_names_, ReadTiers(root));
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams classification, root.Child("classification"));
  UPKEEP_ASSIGN_OR_RETURN(set->classifier_,
                          MakeClassifier(classification, set->tier_names_, registry.classifiers));
  if (std::optional<PolicyParams> sizing = root.OptionalChild("sizing")) {
    UPKEEP_ASSIGN_OR_RETURN(set->sizing_, MakeSizingPolicy(*sizing, set->tier_names_));
  }
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams allocation, root.Child("allocation"));
  UPKEEP_ASSIGN_OR_RETURN(set->allocation_,
                          MakeAllocationPolicy(allocation, set->tier_names_, registry.allocations));
  if (std::optional<PolicyParams> control = root.OptionalChild("control")) {
    UPKEEP_ASSIGN_OR_RETURN(
        set->control_, ledger::ParseControlPolicies(*control, set->currency_, registry.controls));
  }
  if (std::optional<PolicyParams> monitoring = root.OptionalChild("monitoring")) {
    UPKEEP_ASSIGN_OR_RETURN(monitor::MonitoringPolicy compiled,
                            monitor::MakeMonitoringFromParams(*monitoring, registry.forecasts));
    set->monitoring_ = std::make_unique<const monitor::MonitoringPolicy>(std::move(compiled));
  }
  if (std::optional<PolicyParams> rollover = root.OptionalChild("rollover")) {
    UPKEEP_ASSIGN_OR_RETURN(monitor::RolloverPolicy compiled,
                            monitor::MakeRolloverFromParams(*rollover, set->currency_));
    set->rollover_ = std::make_unique<const monitor::RolloverPolicy>(std::move(compiled));
  }
  if (std::optional<PolicyParams> feedback = root.OptionalChild("feedback")) {
    UPKEEP_ASSIGN_OR_RETURN(monitor::FeedbackSection compiled,
                            monitor::MakeFeedbackFromParams(*feedback, registry.feedbacks));
    set->feedback_ = std::make_unique<const monitor::FeedbackSection>(std::move(compiled));
  }
  return std::shared_ptr<const PolicySet>(std::move(set));
}

}  // namespace upkeep
