// `upkeep report budget|utilization|alerts|effectiveness`: a book's reports as an aligned table,
// CSV or JSON (reports.h); `upkeep report dashboard` writes them as one HTML page (dashboard.h).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "book_view.h"
#include "command.h"
#include "commands.h"
#include "dashboard.h"
#include "exit_codes.h"
#include "output.h"
#include "reports.h"

namespace upkeep::cli {
namespace {

struct ReportArguments {
  ViewArguments view;
  std::string by = "tier";
  std::string category;
  AlertReportOptions alerts;
  std::string out;
};

enum class Kind { kBudget, kUtilization, kAlerts };

absl::StatusOr<int> RunReport(const ReportArguments& args, Kind kind) {
  UPKEEP_ASSIGN_OR_RETURN(const monitor::Dimension by, ParseDimension(args.by));
  // Budget and utilization read only the facts: no replay of the journal into a monitor.
  UPKEEP_ASSIGN_OR_RETURN(
      BookView view,
      OpenView(args.view, kind == Kind::kAlerts ? ViewNeeds::kMonitor : ViewNeeds::kFacts));
  absl::StatusOr<Report> report = kind == Kind::kBudget ? BudgetReport(view, by, args.category)
                                  : kind == Kind::kUtilization
                                      ? UtilizationReport(view, by, args.category)
                                      : AlertReport(view, args.alerts);
  if (!report.ok()) return report.status();
  UPKEEP_RETURN_IF_ERROR(view.book.Close());  // saves the follower caught up (OpenBookToRead)
  Print(*report, args.view.format, stdout);
  return kExitOk;
}

absl::StatusOr<int> RunDashboard(const ReportArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const BookView view, OpenView(args.view));
  UPKEEP_ASSIGN_OR_RETURN(const size_t bytes, WriteDashboard(view, args.out));
  Report report;
  report.facts = {{"book", args.view.book.path},
                  {"period", view.period.id},
                  {"as of", FormatDay(view.now_micros)},
                  {"dashboard", args.out},
                  {"bytes", absl::StrCat(bytes)}};
  Print(report, args.view.format, stdout);
  return kExitOk;
}

CLI::App* AddReport(CLI::App& group, const char* name, const char* description,
                    const char* examples, ReportArguments& args) {
  CLI::App* command = group.add_subcommand(name, description);
  AddViewOptions(*command, args.view);
  command->footer(std::string("Examples:\n") + examples);
  return command;
}

void AddGrouping(CLI::App& command, ReportArguments& args) {
  command.add_option("--by", args.by, "company, tier, customer, owner, region or category")
      ->check(CLI::IsMember({"company", "tier", "customer", "owner", "region", "category"}))
      ->capture_default_str();
  command.add_option("--category", args.category, "only this fee category");
}

}  // namespace

void AddReportCommands(CLI::App& app, int* exit_code) {
  CLI::App* group = app.add_subcommand(
      "report",
      "a book's reports: budget vs actual, utilization, alerts, effectiveness (table, csv or "
      "json); "
      "a dashboard as one HTML page");
  group->require_subcommand(1);

  auto budget_args = std::make_shared<ReportArguments>();
  CLI::App* budget = AddReport(
      *group, "budget",
      "budget vs actual per group and calendar month of the period: spent each month, in all, "
      "the variance (budget - actual) and the share used, with a total row",
      "  upkeep report budget --book upkeep.db\n"
      "  upkeep report budget --book upkeep.db --by customer --category gift --format csv",
      *budget_args);
  AddGrouping(*budget, *budget_args);
  OnRun(*budget, exit_code, [budget_args] { return RunReport(*budget_args, Kind::kBudget); });

  auto utilization_args = std::make_shared<ReportArguments>();
  CLI::App* utilization = AddReport(
      *group, "utilization",
      "per group: budget, reserved, spent, available, used %, pace against the period's elapsed "
      "time, and a status (over budget, ahead, on pace, behind, unused)",
      "  upkeep report utilization --book upkeep.db --by owner\n"
      "  upkeep report utilization --book upkeep.db --by tier --as-of 2026-06-30 --format json",
      *utilization_args);
  AddGrouping(*utilization, *utilization_args);
  OnRun(*utilization, exit_code,
        [utilization_args] { return RunReport(*utilization_args, Kind::kUtilization); });

  auto alert_args = std::make_shared<ReportArguments>();
  CLI::App* alerts = AddReport(
      *group, "alerts",
      "the period's alerts by rule (raised, cleared, active) and the active ones (--log: all)",
      "  upkeep report alerts --book upkeep.db\n"
      "  upkeep report alerts --book upkeep.db --log --format csv",
      *alert_args);
  AddAlertOptions(*alerts, alert_args->alerts);
  OnRun(*alerts, exit_code, [alert_args] { return RunReport(*alert_args, Kind::kAlerts); });

  AddEffectivenessCommand(*group, exit_code);

  auto dashboard_args = std::make_shared<ReportArguments>();
  CLI::App* dashboard = AddReport(
      *group, "dashboard",
      "write one self-contained HTML page (no network; inline SVG charts): budget vs actual by "
      "tier and month, burn-down against plan, top over- and under-users, alerts",
      "  upkeep report dashboard --book upkeep.db --out report.html\n"
      "  upkeep report dashboard --book upkeep.db --as-of 2026-06-30 --out june.html",
      *dashboard_args);
  dashboard->add_option("--out", dashboard_args->out, "the HTML file to write")->required();
  OnRun(*dashboard, exit_code, [dashboard_args] { return RunDashboard(*dashboard_args); });
}

}  // namespace upkeep::cli
