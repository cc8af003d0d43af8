// `upkeep alerts`, `upkeep forecast` and `upkeep close`: watching a book's budgets, and closing
// a period with the rollover its policy asks for.
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "book_access.h"
#include "book_allocation.h"
#include "book_directory.h"
#include "book_settings.h"
#include "book_view.h"
#include "command.h"
#include "commands.h"
#include "exit_codes.h"
#include "output.h"
#include "reports.h"
#include "upkeep/monitor.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace lg = ::upkeep::ledger;
namespace mon = ::upkeep::monitor;

struct AlertArguments {
  ViewArguments view;
  AlertReportOptions options;
};

absl::StatusOr<int> Alerts(const AlertArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(const BookView view, OpenView(args.view));
  Print(AlertReport(view, args.options), args.view.format, stdout);
  return kExitOk;
}

struct ForecastArguments {
  ViewArguments view;
  std::string level = "tier";
  std::string key;
  std::string category;
  size_t top = 20;
};

absl::StatusOr<int> Forecast(const ForecastArguments& args) {
  UPKEEP_ASSIGN_OR_RETURN(BookView view, OpenView(args.view));
  const Currency currency = view.book.currency();
  std::vector<mon::ScopeMetrics> rows;
  for (const lg::ScopeSnapshot& scope : view.book.ledger().Scopes()) {
    const lg::ScopeRef& ref = scope.scope;
    if (ref.period != view.period.id || lg::ScopeKindName(ref.kind) != args.level) continue;
    if (!args.key.empty() && ref.key != args.key) continue;
    if (!args.category.empty() && ref.category != args.category) continue;
    UPKEEP_ASSIGN_OR_RETURN(mon::ScopeMetrics metrics, view.monitor->Metrics(ref, view.now_micros));
    rows.push_back(std::move(metrics));
  }
  if (rows.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no ", args.level, " scope of ", view.period.id, " matches in ",
                                  args.view.book.path));
  }
  // The scopes heading furthest over their budget first.
  auto projected_bp = [](const mon::ScopeMetrics& m) {
    return mon::ShareBasisPoints(m.projected_minor, m.budget_minor);
  };
  std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    const int64_t pa = projected_bp(a);
    const int64_t pb = projected_bp(b);
    return pa != pb ? pa > pb : a.scope.ToString() < b.scope.ToString();
  });
  int64_t over = 0;
  for (const mon::ScopeMetrics& m : rows) over += m.projected_minor > m.budget_minor ? 1 : 0;
  Report report;
  report.facts = {{"book", args.view.book.path},
                  {"period", view.period.id},
                  {"as of", FormatDay(view.now_micros)},
                  {"elapsed", absl::StrCat(PercentOfBasisPoints(rows.front().elapsed_bp), " %")},
                  {"method", std::string(view.monitor->policy().forecast->name())},
                  {"scopes", absl::StrCat(rows.size())},
                  {"heading over budget", absl::StrCat(over)}};
  Table& table = report.tables.emplace_back(
      Table{"forecast",
            absl::StrCat("Forecast by ", args.level, " (furthest over budget first)"),
            {{"scope"},
             {"budget", Column::kMoney},
             {"used", Column::kMoney},
             {"used %", Column::kPercent},
             {"projected", Column::kMoney},
             {"projected %", Column::kPercent},
             {"over by", Column::kMoney},
             {"burn / day", Column::kMoney},
             {"days left"}}});
  const size_t shown = args.top == 0 ? rows.size() : std::min(args.top, rows.size());
  for (size_t k = 0; k < shown; ++k) {
    const mon::ScopeMetrics& m = rows[k];
    table.rows.push_back(
        {m.scope.ToString(), AmountText(m.budget_minor, currency),
         AmountText(m.used_minor, currency), PercentOfBasisPoints(m.utilization_bp),
         AmountText(m.projected_minor, currency), PercentOfBasisPoints(projected_bp(m)),
         AmountText(std::max<int64_t>(0, m.projected_minor - m.budget_minor), currency),
         AmountText(m.burn_rate_minor_per_day, currency),
         m.days_until_exhaustion ? absl::StrCat(*m.days_until_exhaustion) : "never"});
  }
  Print(report, args.view.format, stdout);
  return kExitOk;
}

struct CloseArguments {
  BookArguments book;
  std::string period;
  std::string next;
  std::string actor = kBookAdmin;
  size_t top = 10;
  Format format = Format::kTable;
};

// --next, else the calendar's period after `period`; it must be in the book with its budgets.
absl::StatusOr<std::string> NextPeriod(OpenedBook& book, const BookDirectory& directory,
                                       const CloseArguments& args) {
  if (directory.FindPeriod(args.period) == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no period ", args.period, " in ", args.book.path));
  }
  std::string next = args.next;
  if (next.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(next, CalendarNext(book, args.period, "--next"));
  }
  if (directory.FindPeriod(next) == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("the next period ", next, " is not in ", args.book.path,
                                  ": budget it first (upkeep allocate --book ", args.book.path,
                                  " --period ", next, ")"));
  }
  return next;
}

absl::StatusOr<int> Close(const CloseArguments& args) {
  // Group commit: one sync for the thousands of budget revisions a close makes.
  UPKEEP_ASSIGN_OR_RETURN(OpenedBook book, OpenBook(args.book, Durability::kGroup));
  UPKEEP_ASSIGN_OR_RETURN(const std::shared_ptr<const PolicySet> policy, BookPolicy(book));
  UPKEEP_ASSIGN_OR_RETURN(const BookDirectory directory, book.Directory());
  if (directory.closed_periods.contains(args.period)) {
    return MakeError(ErrorCode::kInvalidState,
                     absl::StrCat("period ", args.period, " is closed already"));
  }
  UPKEEP_ASSIGN_OR_RETURN(const std::string next, NextPeriod(book, directory, args));
  const mon::RolloverPolicy rollover =
      policy->rollover() != nullptr ? *policy->rollover() : mon::RolloverPolicy{};
  UPKEEP_ASSIGN_OR_RETURN(const mon::CarryLots lots, CarriedLots(book));
  UPKEEP_ASSIGN_OR_RETURN(
      const mon::RolloverPlan plan,
      mon::CloseAndRollover(
          book.ledger(), rollover,
          {.actor = args.actor, .period = args.period, .next_period = next, .lots_before = &lots}));
  UPKEEP_RETURN_IF_ERROR(RecordCarriedLots(book, plan.lots_after));
  UPKEEP_RETURN_IF_ERROR(book.Close());

  const Currency currency = book.currency();
  Report report;
  report.facts = {{"book", args.book.path},
                  {"closed", plan.closed_period},
                  {"next period", plan.next_period},
                  {"envelopes settled", absl::StrCat(plan.settlements.size())},
                  {"unused", AmountText(plan.unused_minor, currency)},
                  {"carried", AmountText(plan.carried_minor, currency)},
                  {"swept", AmountText(plan.swept_minor, currency)},
                  {"forfeited", AmountText(plan.forfeited_minor, currency)},
                  {"moved with reservations", AmountText(plan.moved_minor, currency)}};
  struct RuleTotals {
    std::string mode;
    int64_t envelopes = 0, unused = 0, carried = 0, swept = 0, forfeited = 0;
  };
  std::map<std::string, RuleTotals> by_rule;
  for (const mon::Settlement& s : plan.settlements) {
    RuleTotals& totals = by_rule[s.rule_id];
    totals.mode = std::string(mon::RolloverModeName(s.mode));
    ++totals.envelopes;
    totals.unused += s.unused_minor;
    totals.carried += s.carried_minor;
    totals.swept += s.swept_minor;
    totals.forfeited += s.forfeited_minor;
  }
  Table& rules = report.tables.emplace_back(Table{"by_rule",
                                                  "Settled by rule",
                                                  {{"rule"},
                                                   {"mode"},
                                                   {"envelopes", Column::kNumber},
                                                   {"unused", Column::kMoney},
                                                   {"carried", Column::kMoney},
                                                   {"swept", Column::kMoney},
                                                   {"forfeited", Column::kMoney}}});
  for (const auto& [rule, t] : by_rule) {
    rules.rows.push_back({rule, t.mode, absl::StrCat(t.envelopes), AmountText(t.unused, currency),
                          AmountText(t.carried, currency), AmountText(t.swept, currency),
                          AmountText(t.forfeited, currency)});
  }
  // The largest settlements by money that stays in play (carried or swept), then by unused.
  std::vector<const mon::Settlement*> largest;
  for (const mon::Settlement& s : plan.settlements) largest.push_back(&s);
  std::sort(largest.begin(), largest.end(), [](const auto* a, const auto* b) {
    return std::make_tuple(-(a->carried_minor + a->swept_minor), -a->unused_minor, a->customer,
                           a->category) < std::make_tuple(-(b->carried_minor + b->swept_minor),
                                                          -b->unused_minor, b->customer,
                                                          b->category);
  });
  const size_t shown = args.top == 0 ? largest.size() : std::min(args.top, largest.size());
  Table& settlements =
      report.tables.emplace_back(Table{"settlements",
                                       absl::StrCat("Envelopes (", shown, " of ", largest.size(),
                                                    "; the most carried or swept first)"),
                                       {{"customer_id"},
                                        {"category"},
                                        {"rule"},
                                        {"unused", Column::kMoney},
                                        {"carried", Column::kMoney},
                                        {"swept", Column::kMoney},
                                        {"forfeited", Column::kMoney},
                                        {"explanation"}}});
  for (size_t k = 0; k < shown; ++k) {
    const mon::Settlement& s = *largest[k];
    settlements.rows.push_back(
        {s.customer, s.category, s.rule_id, AmountText(s.unused_minor, currency),
         AmountText(s.carried_minor, currency), AmountText(s.swept_minor, currency),
         AmountText(s.forfeited_minor, currency), s.explanation});
  }
  Print(report, args.format, stdout);
  return kExitOk;
}

}  // namespace

void AddMonitorCommands(CLI::App& app, int* exit_code) {
  auto alert_args = std::make_shared<AlertArguments>();
  CLI::App* alerts = app.add_subcommand(
      "alerts",
      "the alerts of the book's monitoring policy that are active in a period: thresholds, "
      "pace, forecast breaches, anomalies, valuable customers with unused budgets");
  AddViewOptions(*alerts, alert_args->view);
  AddAlertOptions(*alerts, alert_args->options);
  alerts->footer(
      "Examples:\n"
      "  upkeep alerts --book upkeep.db\n"
      "  upkeep alerts --book upkeep.db --as-of 2026-09-30 --rule quiet-key-customer --format csv");
  OnRun(*alerts, exit_code, [alert_args] { return Alerts(*alert_args); });

  auto forecast_args = std::make_shared<ForecastArguments>();
  CLI::App* forecast = app.add_subcommand(
      "forecast",
      "where each scope's spending is heading by the end of the period (the policy's forecast "
      "method), furthest over budget first: projected use, burn rate, days until exhausted");
  AddViewOptions(*forecast, forecast_args->view);
  forecast->add_option("--level", forecast_args->level, "company, tier, customer, owner or region")
      ->check(CLI::IsMember({"company", "tier", "customer", "owner", "region"}))
      ->capture_default_str();
  forecast->add_option("--key", forecast_args->key, "only this tier, customer, owner or region");
  forecast->add_option("--category", forecast_args->category, "only this fee category");
  forecast->add_option("--top", forecast_args->top, "list at most N scopes (0: all)")
      ->capture_default_str();
  forecast->footer(
      "Examples:\n"
      "  upkeep forecast --book upkeep.db\n"
      "  upkeep forecast --book upkeep.db --level customer --category gift --as-of 2026-06-30");
  OnRun(*forecast, exit_code, [forecast_args] { return Forecast(*forecast_args); });

  auto close_args = std::make_shared<CloseArguments>();
  CLI::App* close = app.add_subcommand(
      "close",
      "close a period (no new spending) and settle every envelope into the next period by the "
      "policy's rollover rules: carry, cap, expire, carry a deficit, sweep to a pool, forfeit");
  close->add_option("period", close_args->period, "the period to close")->required();
  AddBookOption(*close, close_args->book);
  close->add_option("--next", close_args->next,
                    "the period that receives the rollover (default: the next of the calendar)");
  close->add_option("--actor", close_args->actor, "who closes (finance or admin)")
      ->capture_default_str();
  close->add_option("--top", close_args->top, "list the N largest settlements (0: all)")
      ->capture_default_str();
  AddFormatOption(*close, close_args->format);
  close->footer(
      "Example:\n"
      "  upkeep allocate --book upkeep.db --period FY2027 --metrics FY2026\n"
      "  upkeep close FY2026 --book upkeep.db");
  OnRun(*close, exit_code, [close_args] { return Close(*close_args); });
}

}  // namespace upkeep::cli
