// upkeep/monitor/report.h: budget-vs-actual and utilization reports, with JSON output.
//
// Reports read the Facts a Monitor keeps (facts.h): envelope budgets and every spend record.
// BudgetVsActual groups the customer envelopes of one period by a dimension (company, tier,
// customer, owner, region, or category), optionally for one category, and gives per group the
// budget, the actual spend per calendar month of the period (monthly columns, UTC) and
// cumulatively, the variance (budget - actual) and the utilization. Rows are sorted by key.
//
//   monitor.ReadFacts([&](const Facts& facts) {
//     BudgetReport r = BudgetVsActual(facts, {.period = "FY2024", .group_by = Dimension::kTier})
//                          .value();
//     std::cout << ToJson(r, cny).dump(2);
//   });
//
// Money is exact (int64 minor units); JSON gives amounts as decimal strings ("1234.56").
// Errors: kNotFound for a period the facts do not know.
// Thread safety: pure functions of their arguments.
#ifndef UPKEEP_MONITOR_REPORT_H_
#define UPKEEP_MONITOR_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/currency.h"
#include "upkeep/monitor/alerts.h"
#include "upkeep/monitor/facts.h"

namespace upkeep::monitor {

enum class Dimension : uint8_t { kCompany, kTier, kCustomer, kOwner, kRegion, kCategory };
std::string_view DimensionName(Dimension dimension);

struct ReportRequest {
  std::string period{};
  Dimension group_by = Dimension::kTier;
  std::string category{};  // empty: all categories
};

struct BudgetRow {
  std::string key{};
  int64_t budget_minor = 0;
  std::vector<int64_t> actual_minor{};      // per month column
  std::vector<int64_t> cumulative_minor{};  // running total per month column
  int64_t actual_total_minor = 0;
  int64_t variance_minor = 0;  // budget - actual
  int64_t utilization_bp = 0;  // actual / budget
};

struct BudgetReport {
  std::string period{};
  Dimension group_by = Dimension::kTier;
  std::string category{};
  std::vector<std::string> months{};  // "2024-04", ...
  std::vector<BudgetRow> rows{};
  BudgetRow total{};  // key "total"
};

absl::StatusOr<BudgetReport> BudgetVsActual(const Facts& facts, const ReportRequest& request);

nlohmann::json ToJson(const BudgetReport& report, Currency currency);
nlohmann::json ToJson(const ScopeMetrics& metrics, Currency currency);
nlohmann::json ToJson(const Alert& alert, Currency currency);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_REPORT_H_
