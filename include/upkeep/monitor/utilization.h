// upkeep/monitor/utilization.h: how much of each scope of one level is used, and where it heads.
//
// Utilization lists every scope of one level (company, tier, customer, owner or region) in one
// period, optionally of one category, with its metrics (metrics.h) at a given time: budget,
// reserved, spent, available, utilization, burn rate, the forecast's end-of-period use and
// days until exhaustion. "Utilization by tier" is level kTier. Rows are sorted by key, then
// category.
//
//   monitor.ReadFacts([&](const Facts& facts) {
//     UtilizationReport r = Utilization(facts, *monitor.policy().forecast, cny,
//                                       {.period = "FY2024", .level = ledger::ScopeKind::kTier,
//                                        .now_micros = now})
//                               .value();
//     std::cout << ToJson(r, cny).dump(2);
//   });
//
// Money is exact (int64 minor units); JSON gives amounts as decimal strings, like report.h.
// Errors: kNotFound for a period the facts do not know; kInvalidArgument for an empty period;
// kOverflow when a figure does not fit.
// Thread safety: pure functions of their arguments.
#ifndef UPKEEP_MONITOR_UTILIZATION_H_
#define UPKEEP_MONITOR_UTILIZATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/currency.h"
#include "upkeep/ledger/types.h"
#include "upkeep/monitor/facts.h"
#include "upkeep/monitor/forecast.h"
#include "upkeep/monitor/metrics.h"

namespace upkeep::monitor {

struct UtilizationRequest {
  std::string period{};
  ledger::ScopeKind level = ledger::ScopeKind::kTier;
  std::string category{};  // empty: every category
  int64_t now_micros = 0;
};

struct UtilizationReport {
  std::string period{};
  ledger::ScopeKind level = ledger::ScopeKind::kTier;
  std::string category{};
  int64_t now_micros = 0;
  std::vector<ScopeMetrics> rows{};
};

absl::StatusOr<UtilizationReport> Utilization(const Facts& facts, const ForecastMethod& forecast,
                                              Currency currency, const UtilizationRequest& request);

nlohmann::json ToJson(const UtilizationReport& report, Currency currency);
// One row of the report: ToJson(metrics) (report.h) plus the scope's "key" and "category".
nlohmann::json UtilizationRowJson(const ScopeMetrics& metrics, Currency currency);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_UTILIZATION_H_
