#include "upkeep/monitor/utilization.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "upkeep/monitor/report.h"
#include "upkeep/status.h"

namespace upkeep::monitor {

absl::StatusOr<UtilizationReport> Utilization(const Facts& facts, const ForecastMethod& forecast,
                                              Currency currency,
                                              const UtilizationRequest& request) {
  const std::optional<int32_t> period_index = facts.FindPeriod(request.period);
  if (!period_index) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no period '", request.period, "' in the monitor's facts"));
  }
  const ledger::Period& period = facts.periods()[static_cast<size_t>(*period_index)];
  UtilizationReport report{.period = request.period,
                           .level = request.level,
                           .category = request.category,
                           .now_micros = request.now_micros};
  for (const ScopeFacts& scope : facts.scopes()) {
    if (!scope.known || scope.ref.kind != request.level || scope.ref.period != request.period) {
      continue;
    }
    if (!request.category.empty() && scope.ref.category != request.category) continue;
    UPKEEP_ASSIGN_OR_RETURN(ScopeMetrics metrics, ComputeMetrics({.scope = scope.ref,
                                                                  .balance = scope.balance,
                                                                  .period = period,
                                                                  .now_micros = request.now_micros,
                                                                  .currency = currency},
                                                                 forecast));
    report.rows.push_back(std::move(metrics));
  }
  std::sort(
      report.rows.begin(), report.rows.end(), [](const ScopeMetrics& a, const ScopeMetrics& b) {
        return std::tie(a.scope.key, a.scope.category) < std::tie(b.scope.key, b.scope.category);
      });
  return report;
}

nlohmann::json UtilizationRowJson(const ScopeMetrics& metrics, Currency currency) {
  nlohmann::json row = ToJson(metrics, currency);
  row["key"] = metrics.scope.key;
  row["category"] = metrics.scope.category;
  return row;
}

nlohmann::json ToJson(const UtilizationReport& report, Currency currency) {
  nlohmann::json rows = nlohmann::json::array();
  for (const ScopeMetrics& metrics : report.rows)
    rows.push_back(UtilizationRowJson(metrics, currency));
  return {{"report", "utilization"},
          {"period", report.period},
          {"level", std::string(ledger::ScopeKindName(report.level))},
          {"category", report.category},
          {"currency", std::string(currency.code())},
          {"now_micros", report.now_micros},
          {"rows", std::move(rows)}};
}

}  // namespace upkeep::monitor
