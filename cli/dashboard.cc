#include "dashboard.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "command.h"
#include "output.h"
#include "reports.h"
#include "svg_chart.h"
#include "upkeep/monitor/metrics.h"
#include "upkeep/monitor/report.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace mon = ::upkeep::monitor;

constexpr const char* kStyle = R"(
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 24px; color: #222;
       background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px 0; }
h2 { font-size: 16px; margin: 28px 0 8px 0; }
.sub { color: #666; margin-bottom: 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.card .k { color: #666; font-size: 12px; }
.card .v { font-size: 18px; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { border: 1px solid #eee; border-radius: 6px; background: #fcfcfc; }
svg .title { font-size: 14px; font-weight: 600; }
svg .tick { font-size: 11px; fill: #555; }
svg .grid { stroke: #e6e6e6; }
svg .marker { stroke: #e15759; stroke-dasharray: 3 3; }
table { border-collapse: collapse; font-size: 12px; margin-bottom: 8px; }
th, td { border-bottom: 1px solid #eee; padding: 4px 8px; text-align: left; }
th { background: #f4f4f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; }
#rendered { color: #999; font-size: 11px; margin-top: 24px; }
)";

constexpr const char* kScript = R"(
(function () {
  var charts = document.querySelectorAll('svg.chart').length;
  document.body.setAttribute('data-rendered', String(charts));
  document.getElementById('rendered').textContent = 'rendered: ' + charts + ' charts';
})();
)";

// For drawing only: a position on a chart, never an amount.
double Major(int64_t minor, Currency currency) {
  return static_cast<double>(minor) / static_cast<double>(currency.minor_per_major());
}

std::string HtmlTable(const Table& table) {
  std::string html = absl::StrCat("<div><h2>", HtmlEscape(table.title), "</h2><table id=\"",
                                  HtmlEscape(table.key), "\"><thead><tr>");
  for (const Column& column : table.columns) {
    absl::StrAppend(&html, "<th>", HtmlEscape(column.name), "</th>");
  }
  html += "</tr></thead><tbody>\n";
  for (const std::vector<std::string>& row : table.rows) {
    html += "<tr>";
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const Column& column = table.columns[c];
      const std::string text = column.kind == Column::kMoney ? GroupThousands(row[c]) : row[c];
      absl::StrAppend(&html, column.kind == Column::kText ? "<td>" : "<td class=\"n\">",
                      HtmlEscape(text), "</td>");
    }
    html += "</tr>\n";
  }
  html += "</tbody></table></div>\n";
  return html;
}

absl::CivilDay DayOf(int64_t micros) {
  return absl::ToCivilDay(absl::FromUnixMicros(micros), absl::UTCTimeZone());
}

// Per month of the report (YYYY-MM), the days of the period it holds.
std::vector<int64_t> DaysPerMonth(const mon::BudgetReport& report, const ledger::Period& period) {
  const absl::CivilDay start = DayOf(period.start_micros);
  const absl::CivilDay end = DayOf(period.end_micros);
  std::vector<int64_t> days;
  for (size_t m = 0; m < report.months.size(); ++m) {
    absl::CivilMonth month;
    absl::ParseCivilTime(report.months[m], &month);
    const absl::CivilDay first = std::max(start, absl::CivilDay(month));
    const absl::CivilDay last = std::min(end, absl::CivilDay(month + 1));
    days.push_back(std::max<int64_t>(0, last - first));
  }
  return days;
}

struct Data {
  mon::BudgetReport tiers;
  mon::BudgetReport customers;
};

absl::StatusOr<Data> ReadData(const BookView& view) {
  Data data;
  absl::Status read;
  view.monitor->ReadFacts([&](const mon::Facts& facts) {
    absl::StatusOr<mon::BudgetReport> tiers =
        mon::BudgetVsActual(facts, {.period = view.period.id, .group_by = mon::Dimension::kTier});
    absl::StatusOr<mon::BudgetReport> customers = mon::BudgetVsActual(
        facts, {.period = view.period.id, .group_by = mon::Dimension::kCustomer});
    if (!tiers.ok() || !customers.ok()) {
      read = tiers.ok() ? customers.status() : tiers.status();
      return;
    }
    data.tiers = *std::move(tiers);
    data.customers = *std::move(customers);
  });
  UPKEEP_RETURN_IF_ERROR(read);
  return data;
}

Chart TierChart(const BookView& view, const mon::BudgetReport& tiers, Currency currency) {
  Chart chart{.title = "Budget vs actual by tier"};
  chart.stacked = false;
  ChartSeries budget{.name = "budget", .color = "#bab0ac"};
  ChartSeries actual{.name = "actual", .color = "#4e79a7"};
  std::map<std::string, const mon::BudgetRow*> by_key;
  for (const mon::BudgetRow& row : tiers.rows) by_key[row.key] = &row;
  for (const std::string& tier : view.policy->tier_names()) {
    const auto row = by_key.find(tier);
    if (row == by_key.end()) continue;
    chart.x_labels.push_back(tier);
    budget.values.push_back(Major(row->second->budget_minor, currency));
    budget.value_labels.push_back(AmountText(row->second->budget_minor, currency));
    actual.values.push_back(Major(row->second->actual_total_minor, currency));
    actual.value_labels.push_back(AmountText(row->second->actual_total_minor, currency));
  }
  chart.bars = {std::move(budget), std::move(actual)};
  chart.width = 420;
  return chart;
}

std::optional<size_t> MonthOf(const mon::BudgetReport& report, int64_t micros) {
  const absl::CivilMonth month(DayOf(micros));
  for (size_t m = 0; m < report.months.size(); ++m) {
    if (report.months[m] == absl::FormatCivilTime(month)) return m;
  }
  return std::nullopt;
}

Chart MonthChart(const BookView& view, const mon::BudgetReport& tiers,
                 const std::vector<int64_t>& days, Currency currency) {
  Chart chart{.title = "Spend by month and tier, against the monthly plan",
              .x_labels = tiers.months};
  size_t color = 0;
  for (const std::string& tier : view.policy->tier_names()) {
    for (const mon::BudgetRow& row : tiers.rows) {
      if (row.key != tier) continue;
      ChartSeries series{.name = tier, .color = PaletteColor(color++)};
      for (const int64_t month_minor : row.actual_minor) {
        series.values.push_back(Major(month_minor, currency));
        series.value_labels.push_back(AmountText(month_minor, currency));
      }
      chart.bars.push_back(std::move(series));
    }
  }
  ChartSeries plan{.name = "plan", .color = "#333333", .dashed = true};
  int64_t period_days = 0;
  for (const int64_t d : days) period_days += d;
  for (const int64_t d : days) {
    const double share =
        period_days == 0 ? 0 : static_cast<double>(d) / static_cast<double>(period_days);
    plan.values.push_back(Major(tiers.total.budget_minor, currency) * share);
  }
  chart.lines.push_back(std::move(plan));
  chart.marker = MonthOf(tiers, view.now_micros);
  chart.marker_label = "as of " + FormatDay(view.now_micros);
  return chart;
}

Chart BurnDownChart(const BookView& view, const mon::BudgetReport& tiers,
                    const std::vector<int64_t>& days, Currency currency) {
  Chart chart{.title = "Burn-down: budget left at each month's end, against the plan",
              .x_labels = tiers.months};
  const int64_t budget_minor = tiers.total.budget_minor;
  ChartSeries left{.name = "budget left", .color = "#e15759"};
  ChartSeries plan{.name = "plan", .color = "#333333", .dashed = true};
  int64_t period_days = 0;
  for (const int64_t d : days) period_days += d;
  int64_t days_so_far = 0;
  const std::optional<size_t> now_month = MonthOf(tiers, view.now_micros);
  for (size_t m = 0; m < tiers.months.size(); ++m) {
    days_so_far += days[m];
    const double planned_share =
        period_days == 0 ? 0 : static_cast<double>(days_so_far) / static_cast<double>(period_days);
    plan.values.push_back(Major(budget_minor, currency) * (1 - planned_share));
    const int64_t left_minor = budget_minor - tiers.total.cumulative_minor[m];
    left.values.push_back(Major(left_minor, currency));
    left.value_labels.push_back(AmountText(left_minor, currency));
  }
  chart.lines = {std::move(left), std::move(plan)};
  chart.marker = now_month;
  chart.marker_label = "as of " + FormatDay(view.now_micros);
  return chart;
}

// Customers who spent beyond their budget, the largest overrun first.
Table OverUsers(const BookView& view, const mon::BudgetReport& customers, Currency currency) {
  std::vector<const mon::BudgetRow*> over;
  for (const mon::BudgetRow& row : customers.rows) {
    if (row.variance_minor < 0) over.push_back(&row);
  }
  std::sort(over.begin(), over.end(), [](const auto* a, const auto* b) {
    return a->variance_minor != b->variance_minor ? a->variance_minor < b->variance_minor
                                                  : a->key < b->key;
  });
  Table table{"over_users",
              absl::StrCat("Top over-users (", over.size(), " customers over budget)"),
              {{"customer"},
               {"tier"},
               {"budget", Column::kMoney},
               {"spent", Column::kMoney},
               {"over by", Column::kMoney},
               {"used %", Column::kPercent}}};
  for (size_t k = 0; k < std::min(kDashboardListed, over.size()); ++k) {
    const mon::BudgetRow& row = *over[k];
    const ledger::CustomerInfo* info = view.directory.FindCustomer(row.key);
    table.rows.push_back(
        {row.key, info == nullptr ? "" : info->tier, AmountText(row.budget_minor, currency),
         AmountText(row.actual_total_minor, currency), AmountText(-row.variance_minor, currency),
         PercentOfBasisPoints(row.utilization_bp)});
  }
  return table;
}

// Valuable customers (the two first tiers) far behind the period's pace, most unused first.
Table UnderUsers(const BookView& view, const mon::BudgetReport& customers, Currency currency) {
  const ledger::Period& period = view.period;
  const int64_t now = std::clamp(view.now_micros, period.start_micros, period.end_micros);
  const int64_t elapsed_bp =
      mon::ShareBasisPoints(now - period.start_micros, period.end_micros - period.start_micros);
  const std::vector<std::string>& tiers = view.policy->tier_names();
  const size_t valuable = std::min<size_t>(2, tiers.size());
  std::vector<std::pair<const mon::BudgetRow*, std::string>> under;
  for (const mon::BudgetRow& row : customers.rows) {
    const ledger::CustomerInfo* info = view.directory.FindCustomer(row.key);
    if (info == nullptr || row.budget_minor <= 0 || row.utilization_bp * 2 >= elapsed_bp) {
      continue;
    }
    if (std::find(tiers.begin(), tiers.begin() + static_cast<std::ptrdiff_t>(valuable),
                  info->tier) == tiers.begin() + static_cast<std::ptrdiff_t>(valuable)) {
      continue;
    }
    under.emplace_back(&row, info->tier);
  }
  std::sort(under.begin(), under.end(), [](const auto& a, const auto& b) {
    return a.first->variance_minor != b.first->variance_minor
               ? a.first->variance_minor > b.first->variance_minor
               : a.first->key < b.first->key;
  });
  Table table{"under_users",
              absl::StrCat("Top under-users (", under.size(),
                           " valuable customers under half of "
                           "the pace)"),
              {{"customer"},
               {"tier"},
               {"budget", Column::kMoney},
               {"spent", Column::kMoney},
               {"unused", Column::kMoney},
               {"used %", Column::kPercent}}};
  for (size_t k = 0; k < std::min(kDashboardListed, under.size()); ++k) {
    const mon::BudgetRow& row = *under[k].first;
    table.rows.push_back({row.key, under[k].second, AmountText(row.budget_minor, currency),
                          AmountText(row.actual_total_minor, currency),
                          AmountText(row.variance_minor, currency),
                          PercentOfBasisPoints(row.utilization_bp)});
  }
  return table;
}

std::string Card(std::string_view key, std::string_view value) {
  return absl::StrCat("<div class=\"card\"><div class=\"k\">", HtmlEscape(key),
                      "</div><div class=\"v\">", HtmlEscape(value), "</div></div>\n");
}

}  // namespace

absl::StatusOr<std::string> DashboardHtml(const BookView& view) {
  UPKEEP_ASSIGN_OR_RETURN(const Data data, ReadData(view));
  if (data.tiers.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, absl::StrCat("no budgets in ", view.period.id));
  }
  const Currency currency = view.book.currency();
  const std::vector<int64_t> days = DaysPerMonth(data.tiers, view.period);
  const Report alerts = AlertReport(view, {.top = kDashboardListed});
  UPKEEP_ASSIGN_OR_RETURN(const Report utilization,
                          UtilizationReport(view, mon::Dimension::kCompany, ""));
  const std::vector<std::string>& total = utilization.tables[0].rows[0];
  const std::string code(currency.code());

  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>upkeep: ",
      HtmlEscape(view.period.id), " dashboard</title>\n<style>", kStyle,
      "</style>\n</head>\n<body>\n<h1>", HtmlEscape(view.policy->name()), "</h1>\n",
      "<div class=\"sub\">period ", HtmlEscape(view.period.id), " &middot; as of ",
      FormatDay(view.now_micros), " &middot; book ", HtmlEscape(view.book.path()), " &middot; ",
      code, "</div>\n<div class=\"cards\">\n");
  absl::StrAppend(
      &html, Card("budget", GroupThousands(total[1])), Card("spent", GroupThousands(total[3])),
      Card("reserved", GroupThousands(total[2])), Card("available", GroupThousands(total[4])),
      Card("used", total[5] + " %"), Card("elapsed", utilization.facts.back().value),
      Card("active alerts", alerts.facts.back().value), "</div>\n");
  html += "<h2>Budget and spend</h2>\n<div class=\"charts\">\n";
  absl::StrAppend(&html, RenderSvg(TierChart(view, data.tiers, currency)),
                  RenderSvg(MonthChart(view, data.tiers, days, currency)),
                  RenderSvg(BurnDownChart(view, data.tiers, days, currency)), "</div>\n");
  html += "<div class=\"tables\">\n";
  absl::StrAppend(&html, HtmlTable(OverUsers(view, data.customers, currency)),
                  HtmlTable(UnderUsers(view, data.customers, currency)), "</div>\n");
  html += "<div class=\"tables\">\n";
  for (const Table& table : alerts.tables) html += HtmlTable(table);
  absl::StrAppend(&html, "</div>\n<div id=\"rendered\">not rendered</div>\n<script>", kScript,
                  "</script>\n</body>\n</html>\n");
  return html;
}

absl::StatusOr<size_t> WriteDashboard(const BookView& view, const std::string& path) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string html, DashboardHtml(view));
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return MakeError(ErrorCode::kIo, path + ": cannot write the dashboard");
  const bool written = std::fwrite(html.data(), 1, html.size(), file) == html.size();
  if (std::fclose(file) != 0 || !written) {
    return MakeError(ErrorCode::kIo, path + ": cannot write the dashboard");
  }
  return html.size();
}

}  // namespace upkeep::cli
