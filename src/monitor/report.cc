#include "upkeep/monitor/report.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/absl_compat.h"
#include "monitor/json_text.h"
#include "upkeep/money.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

using internal::Amount;

absl::CivilMonth MonthOf(int64_t micros) {
  return absl::CivilMonth(absl::ToCivilSecond(absl::FromUnixMicros(micros), absl::UTCTimeZone()));
}

const std::string& KeyOf(const ScopeFacts& scope, const Facts& facts, Dimension dimension) {
  static const std::string kCompany = "company";
  static const std::string kUnknown = "";
  if (dimension == Dimension::kCompany) return kCompany;
  if (dimension == Dimension::kCategory) return scope.ref.category;
  if (dimension == Dimension::kCustomer) return scope.ref.key;
  if (scope.customer == kNoIndex) return kUnknown;
  const CustomerFacts& c = facts.customers()[static_cast<size_t>(scope.customer)];
  return dimension == Dimension::kTier    ? c.tier
         : dimension == Dimension::kOwner ? c.owner
                                          : c.region;
}

void Finish(BudgetRow* row) {
  int64_t running = 0;
  for (size_t m = 0; m < row->actual_minor.size(); ++m) {
    running += row->actual_minor[m];
    row->cumulative_minor[m] = running;
  }
  row->actual_total_minor = running;
  row->variance_minor = row->budget_minor - running;
  row->utilization_bp = ShareBasisPoints(running, row->budget_minor);
}

nlohmann::json RowJson(const BudgetRow& row, Currency currency) {
  nlohmann::json months = nlohmann::json::array();
  nlohmann::json cumulative = nlohmann::json::array();
  for (size_t m = 0; m < row.actual_minor.size(); ++m) {
    months.push_back(Amount(row.actual_minor[m], currency));
    cumulative.push_back(Amount(row.cumulative_minor[m], currency));
  }
  return {{"key", row.key},
          {"budget", Amount(row.budget_minor, currency)},
          {"actual", Amount(row.actual_total_minor, currency)},
          {"variance", Amount(row.variance_minor, currency)},
          {"utilization_bp", row.utilization_bp},
          {"months", std::move(months)},
          {"cumulative", std::move(cumulative)}};
}

}  // namespace

std::string_view DimensionName(Dimension dimension) {
  switch (dimension) {
    case Dimension::kCompany:
      return "company";
    case Dimension::kTier:
      return "tier";
    case Dimension::kCustomer:
      return "customer";
    case Dimension::kOwner:
      return "owner";
    case Dimension::kRegion:
      return "region";
    case Dimension::kCategory:
      return "category";
  }
  return "unknown";
}

absl::StatusOr<BudgetReport> BudgetVsActual(const Facts& facts, const ReportRequest& request) {
  const std::optional<int32_t> period_index = facts.FindPeriod(request.period);
  if (!period_index) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no period '", request.period, "' in the monitor's facts"));
  }
  const ledger::Period& period = facts.periods()[static_cast<size_t>(*period_index)];
  BudgetReport report{
      .period = request.period, .group_by = request.group_by, .category = request.category};
  const absl::CivilMonth first = MonthOf(period.start_micros);
  const absl::CivilMonth last = MonthOf(std::max(period.start_micros, period.end_micros - 1));
  for (absl::CivilMonth m = first; m <= last; ++m) {
    report.months.push_back(absl::StrFormat("%04d-%02d", m.year(), m.month()));
  }
  std::vector<int64_t> month_starts;  // micros at the start of month columns 1..n-1
  for (absl::CivilMonth m = first + 1; m <= last; ++m) {
    month_starts.push_back(absl::ToUnixMicros(absl::FromCivil(m, absl::UTCTimeZone())));
  }
  const size_t columns = report.months.size();
  // Each scope of the period maps to its row (or -1: not in the report).
  const std::vector<ScopeFacts>& scopes = facts.scopes();
  std::vector<int32_t> row_of(scopes.size(), -1);
  std::map<std::string, int32_t> rows;
  std::vector<BudgetRow> out;
  for (size_t id = 0; id < scopes.size(); ++id) {
    const ScopeFacts& s = scopes[id];
    if (!s.known || s.ref.kind != ledger::ScopeKind::kCustomer || s.period != *period_index) {
      continue;
    }
    if (!request.category.empty() && s.ref.category != request.category) continue;
    const std::string& key = KeyOf(s, facts, request.group_by);
    auto [it, inserted] = rows.try_emplace(key, static_cast<int32_t>(out.size()));
    if (inserted) {
      out.push_back(BudgetRow{.key = key,
                              .actual_minor = std::vector<int64_t>(columns, 0),
                              .cumulative_minor = std::vector<int64_t>(columns, 0)});
    }
    row_of[id] = it->second;
    out[static_cast<size_t>(it->second)].budget_minor += s.balance.budget_minor;
  }
  const SpendColumns& spends = facts.spends();
  for (size_t i = 0; i < spends.size(); ++i) {
    const ledger::ScopeId id = spends.scope[i];
    const int32_t row = id < row_of.size() ? row_of[id] : -1;
    if (row < 0) continue;
    const auto column = static_cast<size_t>(
        std::upper_bound(month_starts.begin(), month_starts.end(), spends.time_micros[i]) -
        month_starts.begin());
    out[static_cast<size_t>(row)].actual_minor[column] += spends.amount_minor[i];
  }
  report.total = BudgetRow{.key = "total",
                           .actual_minor = std::vector<int64_t>(columns, 0),
                           .cumulative_minor = std::vector<int64_t>(columns, 0)};
  for (const auto& [key, index] : rows) {
    BudgetRow& row = out[static_cast<size_t>(index)];
    Finish(&row);
    report.total.budget_minor += row.budget_minor;
    for (size_t m = 0; m < columns; ++m) report.total.actual_minor[m] += row.actual_minor[m];
    report.rows.push_back(std::move(row));
  }
  Finish(&report.total);
  return report;
}

nlohmann::json ToJson(const BudgetReport& report, Currency currency) {
  nlohmann::json rows = nlohmann::json::array();
  for (const BudgetRow& row : report.rows) rows.push_back(RowJson(row, currency));
  return {{"report", "budget_vs_actual"},
          {"period", report.period},
          {"group_by", std::string(DimensionName(report.group_by))},
          {"category", report.category},
          {"currency", std::string(currency.code())},
          {"months", report.months},
          {"rows", std::move(rows)},
          {"total", RowJson(report.total, currency)}};
}

nlohmann::json ToJson(const ScopeMetrics& m, Currency currency) {
  nlohmann::json j = {{"scope", m.scope.ToString()},
                      {"budget", Amount(m.budget_minor, currency)},
                      {"reserved", Amount(m.reserved_minor, currency)},
                      {"spent", Amount(m.spent_minor, currency)},
                      {"available", Amount(m.available_minor, currency)},
                      {"utilization_bp", m.utilization_bp},
                      {"elapsed_bp", m.elapsed_bp},
                      {"burn_rate_per_day", Amount(m.burn_rate_minor_per_day, currency)},
                      {"projected", Amount(m.projected_minor, currency)},
                      {"plan", Amount(m.plan_minor, currency)},
                      {"variance", Amount(m.variance_minor, currency)},
                      {"forecast", m.forecast_explanation}};
  j["days_until_exhaustion"] =
      m.days_until_exhaustion ? nlohmann::json(*m.days_until_exhaustion) : nlohmann::json();
  return j;
}

nlohmann::json ToJson(const Alert& alert, Currency currency) {
  return {{"seq", alert.seq},
          {"rule", alert.rule_id},
          {"kind", std::string(AlertKindName(alert.kind))},
          {"cleared", alert.cleared},
          {"threshold_bp", alert.threshold_bp},
          {"time_micros", alert.time_micros},
          {"metrics", ToJson(alert.metrics, currency)},
          {"message", alert.message}};
}

}  // namespace upkeep::monitor
