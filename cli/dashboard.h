// cli/dashboard.h: a book's dashboard as one self-contained HTML page.
//
// DashboardHtml renders, for the view's period and time (book_view.h):
//   - the headline numbers: budget, spent, reserved, available, used, elapsed, active alerts;
//   - budget vs actual by tier (bars);
//   - spend by month, stacked by tier, against the monthly plan (the budget spread evenly over
//     the period's days);
//   - burn-down: the budget left at the end of each month against the plan, marked at --as-of;
//   - the top over-users (spent beyond their budget) and under-users (customers of the two most
//     valuable tiers who used less than half of what the elapsed time would suggest, most
//     unused budget first);
//   - the alerts by rule and the latest active ones.
// Charts are inline SVG (svg_chart.h); styles are inline; the page loads nothing from anywhere.
// A small inline script counts the charts into the page's `data-rendered` attribute and its
// #rendered line, so a headless browser can tell that the page loaded and drew.
//
// Errors: as the reports (reports.h).
// Thread safety: pure function of the view.
#ifndef UPKEEP_CLI_DASHBOARD_H_
#define UPKEEP_CLI_DASHBOARD_H_

#include <string>

#include "absl/status/statusor.h"
#include "book_view.h"

namespace upkeep::cli {

// Listed in the over- and under-user tables and the alert list.
inline constexpr size_t kDashboardListed = 10;

absl::StatusOr<std::string> DashboardHtml(const BookView& view);

// Writes the dashboard of `view` to `path`; returns the bytes written.
absl::StatusOr<size_t> WriteDashboard(const BookView& view, const std::string& path);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_DASHBOARD_H_
