// cli/reports.h: the reports a book gives, as printable Reports (output.h), for `upkeep report`,
// `upkeep alerts` and the dashboard.
//
//   BudgetReport       budget vs actual per group (tier, customer, owner, region, category or
//                      the company) and calendar month of the period, with the variance and the
//                      share used, and a total row (monitor/report.h: BudgetVsActual).
//   UtilizationReport  per group: budget, reserved, spent, available, used %, the period's
//                      elapsed %, the pace (used % - elapsed %, in points) and a status:
//                      "over budget" (used > budget), "unused" (nothing used), "ahead" (pace
//                      above +10 points), "behind" (pace below -30 points), else "on pace".
//   AlertReport        the alerts of the period by rule (raised, cleared, active) and the
//                      active ones (or, with `log`, every one raised or cleared).
//
// Errors: kNotFound for a group nobody has (an unknown --category) or a period the monitor does
// not know.
// Thread safety: pure functions of the view.
#ifndef UPKEEP_CLI_REPORTS_H_
#define UPKEEP_CLI_REPORTS_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "book_view.h"
#include "output.h"
#include "upkeep/monitor/report.h"

namespace upkeep::cli {

// "tier" -> Dimension::kTier, ...; kInvalidArgument naming the choices otherwise.
absl::StatusOr<monitor::Dimension> ParseDimension(std::string_view name);
inline constexpr const char* kDimensionNames[] = {"company", "tier",   "customer",
                                                  "owner",   "region", "category"};

absl::StatusOr<Report> BudgetReport(const BookView& view, monitor::Dimension by,
                                    const std::string& category);

absl::StatusOr<Report> UtilizationReport(const BookView& view, monitor::Dimension by,
                                         const std::string& category);

struct AlertReportOptions {
  bool log = false;  // every alert raised or cleared, not only the active ones
  std::string rule;  // only this rule's
  size_t top = 0;    // list at most this many (0: all)
};
void AddAlertOptions(CLI::App& command, AlertReportOptions& options);
Report AlertReport(const BookView& view, const AlertReportOptions& options);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_REPORTS_H_
