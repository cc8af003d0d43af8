#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "monitor/params_util.h"
#include "upkeep/monitor/alerts.h"

namespace upkeep::monitor {
namespace {

constexpr size_t kMaxSlots = 64;
constexpr int64_t kMaxPct = 1'000'000;

absl::StatusOr<AlertKind> ReadKind(const PolicyParams& params) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string type, params.GetString("type"));
  for (int k = 0; k <= static_cast<int>(AlertKind::kUnderUse); ++k) {
    if (AlertKindName(static_cast<AlertKind>(k)) == type) return static_cast<AlertKind>(k);
  }
  return params.Error("type",
                      "must be one of threshold, pace, forecast_breach, anomaly, under_use");
}

absl::Status ReadThresholds(const PolicyParams& params, AlertRule* rule) {
  const std::optional<PolicyParams> list = params.OptionalChild("thresholds_pct");
  if (!list) {
    rule->thresholds_bp = {5000, 8000, 10000};
    return absl::OkStatus();
  }
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<PolicyParams> items, list->Elements());
  if (items.empty()) return list->Error("", "must name at least one threshold");
  for (const PolicyParams& item : items) {
    UPKEEP_ASSIGN_OR_RETURN(const Decimal pct, item.AsDecimal());
    UPKEEP_ASSIGN_OR_RETURN(const int64_t bp, internal::PercentToBp(item, "", pct, 1, kMaxPct));
    if (!rule->thresholds_bp.empty() && bp <= rule->thresholds_bp.back()) {
      return item.Error("", "thresholds must ascend");
    }
    rule->thresholds_bp.push_back(bp);
  }
  return absl::OkStatus();
}

absl::Status ReadKindParams(const PolicyParams& p, AlertRule* rule) {
  using internal::FindPercentBp;
  switch (rule->kind) {
    case AlertKind::kThreshold:
      UPKEEP_RETURN_IF_ERROR(
          p.CheckKeys({"id", "type", "level", "key", "category", "thresholds_pct"}));
      return ReadThresholds(p, rule);
    case AlertKind::kPace: {
      UPKEEP_RETURN_IF_ERROR(
          p.CheckKeys({"id", "type", "level", "key", "category", "ahead_pct", "min_elapsed_pct"}));
      UPKEEP_ASSIGN_OR_RETURN(const auto ahead, FindPercentBp(p, "ahead_pct", 0, kMaxPct));
      UPKEEP_ASSIGN_OR_RETURN(const auto min_elapsed, FindPercentBp(p, "min_elapsed_pct", 0, 100));
      rule->ahead_bp = ahead.value_or(rule->ahead_bp);
      rule->min_elapsed_bp = min_elapsed.value_or(rule->min_elapsed_bp);
      return absl::OkStatus();
    }
    case AlertKind::kForecastBreach: {
      UPKEEP_RETURN_IF_ERROR(p.CheckKeys({"id", "type", "level", "key", "category", "margin_pct"}));
      UPKEEP_ASSIGN_OR_RETURN(const auto margin, FindPercentBp(p, "margin_pct", 0, kMaxPct));
      rule->margin_bp = margin.value_or(0);
      return absl::OkStatus();
    }
    case AlertKind::kAnomaly: {
      UPKEEP_RETURN_IF_ERROR(p.CheckKeys({"id", "type", "level", "category", "z", "min_history"}));
      if (rule->level != ledger::ScopeKind::kCustomer) {
        return p.Error("level", "an anomaly rule watches customers' spends: must be customer");
      }
      UPKEEP_ASSIGN_OR_RETURN(const auto z, p.FindNumber("z"));
      if (z && !(std::isfinite(*z) && *z > 0)) return p.Error("z", "must be a positive number");
      rule->z = z.value_or(rule->z);
      UPKEEP_ASSIGN_OR_RETURN(const auto history, p.FindInt("min_history"));
      if (history && (*history < 3 || *history > 32)) {
        return p.Error("min_history", "must be between 3 and 32");
      }
      rule->min_history = static_cast<int32_t>(history.value_or(rule->min_history));
      return absl::OkStatus();
    }
    case AlertKind::kUnderUse: {
      UPKEEP_RETURN_IF_ERROR(p.CheckKeys({"id", "type", "level", "key", "category", "tiers",
                                          "after_elapsed_pct", "max_utilization_pct"}));
      if (rule->level != ledger::ScopeKind::kCustomer) {
        return p.Error("level", "an under-use rule watches customers: must be customer");
      }
      UPKEEP_ASSIGN_OR_RETURN(rule->tiers, internal::FindStrings(p, "tiers"));
      UPKEEP_ASSIGN_OR_RETURN(const auto after, FindPercentBp(p, "after_elapsed_pct", 0, 100));
      UPKEEP_ASSIGN_OR_RETURN(const auto most, FindPercentBp(p, "max_utilization_pct", 0, 100));
      rule->after_elapsed_bp = after.value_or(rule->after_elapsed_bp);
      rule->max_utilization_bp = most.value_or(rule->max_utilization_bp);
      return absl::OkStatus();
    }
  }
  return p.Error("type", "unknown");
}

}  // namespace

std::string_view AlertKindName(AlertKind kind) {
  switch (kind) {
    case AlertKind::kThreshold:
      return "threshold";
    case AlertKind::kPace:
      return "pace";
    case AlertKind::kForecastBreach:
      return "forecast_breach";
    case AlertKind::kAnomaly:
      return "anomaly";
    case AlertKind::kUnderUse:
      return "under_use";
  }
  return "unknown";
}

absl::StatusOr<MonitoringPolicy> MakeMonitoringFromParams(const PolicyParams& section,
                                                          const ForecastRegistry& forecasts,
                                                          const ForecastContext& context) {
  UPKEEP_RETURN_IF_ERROR(section.CheckKeys({"forecast", "alerts"}));
  MonitoringPolicy policy;
  if (std::optional<PolicyParams> forecast = section.OptionalChild("forecast")) {
    UPKEEP_ASSIGN_OR_RETURN(const std::string method, forecast->GetString("method"));
    UPKEEP_ASSIGN_OR_RETURN(policy.forecast, forecasts.Create(method, *forecast, context));
  }
  const std::optional<PolicyParams> alerts = section.OptionalChild("alerts");
  if (!alerts) return policy;
  UPKEEP_ASSIGN_OR_RETURN(const std::vector<PolicyParams> items, alerts->Elements());
  std::vector<std::string> ids;
  size_t slots = 0;
  for (const PolicyParams& item : items) {
    AlertRule rule;
    UPKEEP_ASSIGN_OR_RETURN(rule.id, internal::ReadUniqueId(item, &ids));
    UPKEEP_ASSIGN_OR_RETURN(rule.kind, ReadKind(item));
    UPKEEP_ASSIGN_OR_RETURN(rule.level, internal::ReadLevel(item, ledger::ScopeKind::kCustomer));
    UPKEEP_ASSIGN_OR_RETURN(const auto key, item.FindString("key"));
    UPKEEP_ASSIGN_OR_RETURN(const auto category, item.FindString("category"));
    rule.key = key.value_or("");
    rule.category = category.value_or("");
    UPKEEP_RETURN_IF_ERROR(ReadKindParams(item, &rule));
    slots += std::max<size_t>(1, rule.thresholds_bp.size());
    if (slots > kMaxSlots) {
      return item.Error(
          "", absl::StrCat("more than ", kMaxSlots, " alert slots (each threshold counts as one)"));
    }
    policy.rules.push_back(std::move(rule));
  }
  return policy;
}

}  // namespace upkeep::monitor
