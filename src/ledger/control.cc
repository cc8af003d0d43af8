#include "upkeep/ledger/control.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "base/status_macros.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::ledger {
namespace {

// `value` in minor units of a currency with `exponent` fraction digits; nullopt if it has more
// (non-zero) fraction digits than that or does not fit.
std::optional<int64_t> DecimalToMinor(const Decimal& value, int exponent) {
  int64_t mantissa = value.mantissa;
  int32_t scale = value.scale;
  for (; scale > exponent; --scale) {
    if (mantissa % 10 != 0) return std::nullopt;
    mantissa /= 10;
  }
  for (; scale < exponent; ++scale) {
    if (__builtin_mul_overflow(mantissa, 10, &mantissa)) return std::nullopt;
  }
  return mantissa;
}

absl::StatusOr<int64_t> GetAmount(const PolicyParams& params, std::string_view key,
                                  Currency currency) {
  UPKEEP_ASSIGN_OR_RETURN(Decimal value, params.GetDecimal(key));
  std::optional<int64_t> minor = DecimalToMinor(value, currency.minor_exponent());
  if (!minor.has_value()) {
    return params.Error(key, StrCat("must be an amount of ", currency.code(), " with at most ",
                                    currency.minor_exponent(), " decimals"));
  }
  if (*minor < 0) return params.Error(key, "must not be negative");
  return *minor;
}

absl::StatusOr<ScopeKind> GetLevel(const PolicyParams& params) {
  UPKEEP_ASSIGN_OR_RETURN(std::string level, params.GetString("level"));
  for (ScopeKind kind : {ScopeKind::kCompany, ScopeKind::kTier, ScopeKind::kCustomer,
                         ScopeKind::kOwner, ScopeKind::kRegion}) {
    if (level == ScopeKindName(kind)) return kind;
  }
  return params.Error("level", "must be one of company, tier, customer, owner, region");
}

absl::StatusOr<ControlMode> GetMode(const PolicyParams& params) {
  UPKEEP_ASSIGN_OR_RETURN(std::string mode, params.GetString("mode"));
  for (ControlMode m : {ControlMode::kBlock, ControlMode::kWarn, ControlMode::kTolerance,
                        ControlMode::kIgnore, ControlMode::kRequireApproval}) {
    if (mode == ControlModeName(m)) return m;
  }
  return params.Error("mode", "must be one of block, warn, tolerance, ignore, require_approval");
}

absl::StatusOr<Outcome> GetAction(const PolicyParams& params) {
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> action, params.FindString("action"));
  if (!action.has_value() || *action == "reject") return Outcome::kReject;
  if (*action == "warn") return Outcome::kApproveWithWarning;
  if (*action == "require_approval") return Outcome::kNeedsApproval;
  return params.Error("action", "must be one of reject, warn, require_approval");
}

// Reads "id" and checks that it is new.
absl::StatusOr<std::string> GetId(const PolicyParams& params,
                                  absl::flat_hash_set<std::string>* seen) {
  UPKEEP_ASSIGN_OR_RETURN(std::string id, params.GetString("id"));
  if (id.empty()) return params.Error("id", "must not be empty");
  if (!seen->insert(id).second) return params.Error("id", StrCat("duplicate rule id ", id));
  return id;
}

absl::StatusOr<AvailabilityRule> ParseAvailability(const PolicyParams& params, Currency currency,
                                                   absl::flat_hash_set<std::string>* seen) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys(
      {"id", "level", "key", "category", "mode", "tolerance_pct", "tolerance_amount"}));
  AvailabilityRule rule;
  UPKEEP_ASSIGN_OR_RETURN(rule.id, GetId(params, seen));
  UPKEEP_ASSIGN_OR_RETURN(rule.level, GetLevel(params));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> key, params.FindString("key"));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> category, params.FindString("category"));
  rule.key = key.value_or("");
  rule.category = category.value_or("");
  if (rule.level == ScopeKind::kCompany && !rule.key.empty()) {
    return params.Error("key", "the company level has no key");
  }
  UPKEEP_ASSIGN_OR_RETURN(rule.mode, GetMode(params));
  const bool has_tolerance = params.Has("tolerance_pct") || params.Has("tolerance_amount");
  if (has_tolerance != (rule.mode == ControlMode::kTolerance)) {
    return params.Error("mode", "tolerance_pct or tolerance_amount go with mode tolerance only");
  }
  if (params.Has("tolerance_amount")) {
    UPKEEP_ASSIGN_OR_RETURN(rule.tolerance_minor, GetAmount(params, "tolerance_amount", currency));
  }
  if (params.Has("tolerance_pct")) {
    UPKEEP_ASSIGN_OR_RETURN(Decimal pct, params.GetDecimal("tolerance_pct"));
    std::optional<int64_t> basis_points = DecimalToMinor(pct, 2);
    if (!basis_points.has_value() || *basis_points < 0 || *basis_points > 1000000) {
      return params.Error("tolerance_pct", "must be between 0 and 10000 with at most 2 decimals");
    }
    rule.tolerance_basis_points = static_cast<int32_t>(*basis_points);
  }
  return rule;
}

absl::StatusOr<LimitRule> ParseLimit(const PolicyParams& params, Currency currency,
                                     absl::flat_hash_set<std::string>* seen) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys(
      {"id", "category", "tier", "per_request_max", "max_count", "window", "action"}));
  LimitRule rule;
  UPKEEP_ASSIGN_OR_RETURN(rule.id, GetId(params, seen));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> category, params.FindString("category"));
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> tier, params.FindString("tier"));
  rule.category = category.value_or("");
  rule.tier = tier.value_or("");
  if (params.Has("per_request_max")) {
    UPKEEP_ASSIGN_OR_RETURN(rule.per_request_max_minor,
                            GetAmount(params, "per_request_max", currency));
  }
  UPKEEP_ASSIGN_OR_RETURN(std::optional<int64_t> count, params.FindInt("max_count"));
  if (count.has_value()) {
    if (*count < 0 || *count > 1000000) {
      return params.Error("max_count", "must be between 0 and 1000000");
    }
    rule.max_count = static_cast<int32_t>(*count);
  }
  UPKEEP_ASSIGN_OR_RETURN(std::optional<std::string> window, params.FindString("window"));
  if (window.has_value()) {
    if (!rule.max_count.has_value()) return params.Error("window", "goes with max_count only");
    bool known = false;
    for (LimitWindow w : {LimitWindow::kPeriod, LimitWindow::kMonth, LimitWindow::kQuarter}) {
      if (*window == LimitWindowName(w)) {
        rule.window = w;
        known = true;
      }
    }
    if (!known) return params.Error("window", "must be one of period, month, quarter");
  }
  if (!rule.per_request_max_minor.has_value() && !rule.max_count.has_value()) {
    return params.Error("", "needs per_request_max or max_count");
  }
  UPKEEP_ASSIGN_OR_RETURN(rule.action, GetAction(params));
  return rule;
}

absl::StatusOr<TierCategoryRule> ParseTierCategories(const PolicyParams& params,
                                                     absl::flat_hash_set<std::string>* seen) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"id", "tier", "deny"}));
  TierCategoryRule rule;
  UPKEEP_ASSIGN_OR_RETURN(rule.id, GetId(params, seen));
  UPKEEP_ASSIGN_OR_RETURN(rule.tier, params.GetString("tier"));
  UPKEEP_ASSIGN_OR_RETURN(PolicyParams deny, params.Child("deny"));
  UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> items, deny.Elements());
  for (const PolicyParams& item : items) {
    UPKEEP_ASSIGN_OR_RETURN(std::string category, item.AsString());
    rule.denied_categories.push_back(std::move(category));
  }
  return rule;
}

absl::StatusOr<CustomRule> ParseCustom(const PolicyParams& params,
                                       const ControlPolicyRegistry& registry,
                                       absl::flat_hash_set<std::string>* seen) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"id", "policy", "params"}));
  CustomRule rule;
  UPKEEP_ASSIGN_OR_RETURN(rule.id, GetId(params, seen));
  UPKEEP_ASSIGN_OR_RETURN(rule.policy, params.GetString("policy"));
  const ControlPolicyFactory* factory = registry.Find(rule.policy);
  if (factory == nullptr) {
    return params.Error("policy", StrCat("no control policy registered as ", rule.policy));
  }
  static const nlohmann::json kEmpty = nlohmann::json::object();
  std::optional<PolicyParams> own = params.OptionalChild("params");
  UPKEEP_ASSIGN_OR_RETURN(
      std::unique_ptr<ControlPolicy> instance,
      (*factory)(own.has_value() ? *own : PolicyParams(kEmpty, params.path() + "/params")));
  if (instance == nullptr) return params.Error("policy", "the factory returned no policy");
  rule.instance = std::move(instance);
  if (own.has_value()) rule.params_json = own->json().dump();
  return rule;
}

// Parses every element of the optional array `key` with `parse`.
template <typename T, typename Parse>
absl::Status ParseArray(const PolicyParams& section, std::string_view key, Parse parse,
                        std::vector<T>* out) {
  std::optional<PolicyParams> array = section.OptionalChild(key);
  if (!array.has_value()) return absl::OkStatus();
  UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> items, array->Elements());
  for (const PolicyParams& item : items) {
    if (!item.IsObject()) return item.Error("", "must be an object");
    UPKEEP_ASSIGN_OR_RETURN(T rule, parse(item));
    out->push_back(std::move(rule));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view ControlModeName(ControlMode mode) {
  switch (mode) {
    case ControlMode::kBlock:
      return "block";
    case ControlMode::kWarn:
      return "warn";
    case ControlMode::kTolerance:
      return "tolerance";
    case ControlMode::kIgnore:
      return "ignore";
    case ControlMode::kRequireApproval:
      return "require_approval";
  }
  return "unknown";
}

std::string_view LimitWindowName(LimitWindow window) {
  switch (window) {
    case LimitWindow::kPeriod:
      return "period";
    case LimitWindow::kMonth:
      return "month";
    case LimitWindow::kQuarter:
      return "quarter";
  }
  return "unknown";
}

absl::Status ControlPolicyRegistry::Register(std::string name, ControlPolicyFactory factory) {
  if (name.empty() || !factory) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "control policy registration needs a name and a factory");
  }
  if (factories_.contains(AsAbsl(name))) {
    return MakeError(ErrorCode::kAlreadyExists,
                     StrCat("control policy ", name, " is already registered"));
  }
  factories_.emplace(std::move(name), std::move(factory));
  return absl::OkStatus();
}

const ControlPolicyFactory* ControlPolicyRegistry::Find(std::string_view name) const {
  auto it = factories_.find(AsAbsl(name));
  return it == factories_.end() ? nullptr : &it->second;
}

absl::StatusOr<ControlPolicySet> ParseControlPolicies(const PolicyParams& section,
                                                      Currency currency,
                                                      const ControlPolicyRegistry& registry) {
  if (!section.IsObject()) return section.Error("", "must be an object");
  UPKEEP_RETURN_IF_ERROR(
      section.CheckKeys({"availability", "limits", "tier_categories", "closed_periods", "custom"}));
  ControlPolicySet set;
  absl::flat_hash_set<std::string> seen;
  UPKEEP_RETURN_IF_ERROR(ParseArray<AvailabilityRule>(
      section, "availability",
      [&](const PolicyParams& p) { return ParseAvailability(p, currency, &seen); },
      &set.availability));
  UPKEEP_RETURN_IF_ERROR(ParseArray<LimitRule>(
      section, "limits", [&](const PolicyParams& p) { return ParseLimit(p, currency, &seen); },
      &set.limits));
  UPKEEP_RETURN_IF_ERROR(ParseArray<TierCategoryRule>(
      section, "tier_categories",
      [&](const PolicyParams& p) { return ParseTierCategories(p, &seen); }, &set.tier_categories));
  UPKEEP_RETURN_IF_ERROR(ParseArray<CustomRule>(
      section, "custom", [&](const PolicyParams& p) { return ParseCustom(p, registry, &seen); },
      &set.custom));
  if (std::optional<PolicyParams> closed = section.OptionalChild("closed_periods")) {
    UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> items, closed->Elements());
    for (const PolicyParams& item : items) {
      UPKEEP_ASSIGN_OR_RETURN(std::string period, item.AsString());
      set.closed_periods.push_back(std::move(period));
    }
  }
  return set;
}

}  // namespace upkeep::ledger
