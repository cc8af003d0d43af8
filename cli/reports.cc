#include "reports.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "command.h"
#include "upkeep/monitor/facts.h"
#include "upkeep/monitor/metrics.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;
namespace mon = ::upkeep::monitor;

std::vector<Fact> ViewFacts(const BookView& view) {
  return {{"book", view.book.path()},
          {"period", view.period.id},
          {"as of", FormatDay(view.now_micros)}};
}

// The group of a customer envelope by `by`.
std::string GroupOf(const mon::Facts& facts, const mon::ScopeFacts& scope, mon::Dimension by) {
  if (by == mon::Dimension::kCompany) return "company";
  if (by == mon::Dimension::kCategory) return scope.ref.category;
  if (by == mon::Dimension::kCustomer) return scope.ref.key;
  if (scope.customer == mon::kNoIndex) return "?";
  const mon::CustomerFacts& customer = facts.customers()[static_cast<size_t>(scope.customer)];
  return by == mon::Dimension::kTier    ? customer.tier
         : by == mon::Dimension::kOwner ? customer.owner
                                        : customer.region;
}

std::string Status(int64_t used_bp, int64_t elapsed_bp, const lg::Balance& balance) {
  const int64_t used_minor = balance.spent_minor + balance.reserved_minor;
  if (used_minor > balance.budget_minor) return "over budget";
  if (used_minor == 0) return "unused";
  if (used_bp - elapsed_bp > 1000) return "ahead";
  if (elapsed_bp - used_bp > 3000) return "behind";
  return "on pace";
}

}  // namespace

absl::StatusOr<mon::Dimension> ParseDimension(std::string_view name) {
  for (const mon::Dimension dimension :
       {mon::Dimension::kCompany, mon::Dimension::kTier, mon::Dimension::kCustomer,
        mon::Dimension::kOwner, mon::Dimension::kRegion, mon::Dimension::kCategory}) {
    if (mon::DimensionName(dimension) == name) return dimension;
  }
  return MakeError(
      ErrorCode::kInvalidArgument,
      absl::StrCat("--by ", AsAbsl(name), ": company, tier, customer, owner, region or category"));
}

absl::StatusOr<Report> BudgetReport(const BookView& view, mon::Dimension by,
                                    const std::string& category) {
  absl::StatusOr<mon::BudgetReport> budget;
  view.ReadFacts([&](const mon::Facts& facts) {
    budget = mon::BudgetVsActual(facts,
                                 {.period = view.period.id, .group_by = by, .category = category});
  });
  if (!budget.ok()) return budget.status();
  const Currency currency = view.book.currency();
  Report report;
  report.facts = ViewFacts(view);
  report.facts.push_back({"by", std::string(mon::DimensionName(by))});
  report.facts.push_back({"category", category.empty() ? "all" : category});
  Table table{"budget",
              absl::StrCat("Budget vs actual by ", AsAbsl(mon::DimensionName(by)), " and month"),
              {{std::string(mon::DimensionName(by))}, {"budget", Column::kMoney}}};
  for (const std::string& month : budget->months) table.columns.push_back({month, Column::kMoney});
  for (const char* name : {"actual", "variance"}) table.columns.push_back({name, Column::kMoney});
  table.columns.push_back({"used %", Column::kPercent});
  auto add_row = [&](const mon::BudgetRow& row) {
    std::vector<std::string> cells;
    cells.reserve(table.columns.size());
    cells.push_back(row.key);
    cells.push_back(AmountText(row.budget_minor, currency));
    for (const int64_t month_minor : row.actual_minor)
      cells.push_back(AmountText(month_minor, currency));
    cells.push_back(AmountText(row.actual_total_minor, currency));
    cells.push_back(AmountText(row.variance_minor, currency));
    cells.push_back(PercentOfBasisPoints(row.utilization_bp));
    table.rows.push_back(std::move(cells));
  };
  for (const mon::BudgetRow& row : budget->rows) add_row(row);
  if (budget->rows.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no budgets in ", view.period.id,
                                  category.empty() ? "" : " for category " + category));
  }
  add_row(budget->total);
  report.tables.push_back(std::move(table));
  return report;
}

absl::StatusOr<Report> UtilizationReport(const BookView& view, mon::Dimension by,
                                         const std::string& category) {
  std::map<std::string, lg::Balance> groups;
  view.ReadFacts([&](const mon::Facts& facts) {
    for (const mon::ScopeFacts& scope : facts.scopes()) {
      if (!scope.known || scope.ref.kind != lg::ScopeKind::kCustomer ||
          scope.ref.period != view.period.id ||
          (!category.empty() && scope.ref.category != category)) {
        continue;
      }
      lg::Balance& total = groups[GroupOf(facts, scope, by)];
      total.budget_minor += scope.balance.budget_minor;
      total.reserved_minor += scope.balance.reserved_minor;
      total.spent_minor += scope.balance.spent_minor;
      total.available_minor += scope.balance.available_minor;
    }
  });
  if (groups.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no budgets in ", view.period.id,
                                  category.empty() ? "" : " for category " + category));
  }
  const lg::Period& period = view.period;
  const int64_t now = std::clamp(view.now_micros, period.start_micros, period.end_micros);
  const int64_t elapsed_bp =
      mon::ShareBasisPoints(now - period.start_micros, period.end_micros - period.start_micros);
  const Currency currency = view.book.currency();
  Report report;
  report.facts = ViewFacts(view);
  report.facts.push_back({"by", std::string(mon::DimensionName(by))});
  report.facts.push_back({"category", category.empty() ? "all" : category});
  report.facts.push_back({"elapsed", absl::StrCat(PercentOfBasisPoints(elapsed_bp), " %")});
  Table& table = report.tables.emplace_back(
      Table{"utilization",
            absl::StrCat("Utilization by ", AsAbsl(mon::DimensionName(by))),
            {{std::string(mon::DimensionName(by))},
             {"budget", Column::kMoney},
             {"reserved", Column::kMoney},
             {"spent", Column::kMoney},
             {"available", Column::kMoney},
             {"used %", Column::kPercent},
             {"pace", Column::kPercent},
             {"status"}}});
  for (const auto& [key, balance] : groups) {
    const int64_t used_bp =
        mon::ShareBasisPoints(balance.spent_minor + balance.reserved_minor, balance.budget_minor);
    table.rows.push_back(
        {key, AmountText(balance.budget_minor, currency),
         AmountText(balance.reserved_minor, currency), AmountText(balance.spent_minor, currency),
         AmountText(balance.available_minor, currency), PercentOfBasisPoints(used_bp),
         PercentOfBasisPoints(used_bp - elapsed_bp), Status(used_bp, elapsed_bp, balance)});
  }
  return report;
}

void AddAlertOptions(CLI::App& command, AlertReportOptions& options) {
  command.add_flag("--log", options.log, "every alert raised or cleared, not only the active");
  command.add_option("--rule", options.rule, "only this rule's alerts");
  command.add_option("--top", options.top, "list at most N alerts (0: all)")->capture_default_str();
}

Report AlertReport(const BookView& view, const AlertReportOptions& options) {
  const std::vector<mon::Alert> log = view.monitor->AlertLog();
  std::vector<mon::Alert> active = view.monitor->ActiveAlerts();
  auto wanted = [&](const mon::Alert& alert) {
    return alert.metrics.scope.period == view.period.id &&
           (options.rule.empty() || alert.rule_id == options.rule);
  };
  struct RuleCounts {
    std::string kind;
    int64_t raised = 0, cleared = 0, active = 0;
  };
  std::map<std::string, RuleCounts> by_rule;
  for (const mon::Alert& alert : log) {
    if (!wanted(alert)) continue;
    RuleCounts& counts = by_rule[alert.rule_id];
    counts.kind = std::string(mon::AlertKindName(alert.kind));
    ++(alert.cleared ? counts.cleared : counts.raised);
  }
  std::erase_if(active, [&](const mon::Alert& alert) { return !wanted(alert); });
  for (const mon::Alert& alert : active) ++by_rule[alert.rule_id].active;
  std::vector<mon::Alert> listed = options.log ? log : active;
  if (options.log) std::erase_if(listed, [&](const mon::Alert& alert) { return !wanted(alert); });

  Report report;
  report.facts = ViewFacts(view);
  report.facts.push_back(
      {options.log ? "alerts raised or cleared" : "active alerts", absl::StrCat(listed.size())});
  Table& rules = report.tables.emplace_back(Table{"by_rule",
                                                  "Alerts by rule",
                                                  {{"rule"},
                                                   {"kind"},
                                                   {"raised", Column::kNumber},
                                                   {"cleared", Column::kNumber},
                                                   {"active", Column::kNumber}}});
  for (const auto& [rule, counts] : by_rule) {
    rules.rows.push_back({rule, counts.kind, absl::StrCat(counts.raised),
                          absl::StrCat(counts.cleared), absl::StrCat(counts.active)});
  }
  Table& table = report.tables.emplace_back(Table{"alerts",
                                                  options.log ? "Alert log" : "Active alerts",
                                                  {{"seq", Column::kNumber},
                                                   {"date"},
                                                   {"rule"},
                                                   {"kind"},
                                                   {"state"},
                                                   {"scope"},
                                                   {"used %", Column::kPercent},
                                                   {"message"}}});
  const size_t shown = options.top == 0 ? listed.size() : std::min(options.top, listed.size());
  for (size_t k = 0; k < shown; ++k) {
    const mon::Alert& alert = listed[k];
    table.rows.push_back({absl::StrCat(alert.seq), FormatDay(alert.time_micros), alert.rule_id,
                          std::string(mon::AlertKindName(alert.kind)),
                          alert.cleared ? "cleared" : "raised", alert.metrics.scope.ToString(),
                          PercentOfBasisPoints(alert.metrics.utilization_bp), alert.message});
  }
  return report;
}

}  // namespace upkeep::cli
