#include "upkeep/monitor/report.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

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

// The month column of a spend's time: column 0 before the first start, column i from
// starts[i - 1]. Spends come mostly in time order, so the column of the one before is tried
// first, and searched for only when it does not hold the time.
class MonthColumns {
 public:
  explicit MonthColumns(std::vector<int64_t> starts) : starts_(std::move(starts)) {}
  size_t Of(int64_t micros) {
    if (!Holds(last_, micros)) {
      last_ = static_cast<size_t>(std::upper_bound(starts_.begin(), starts_.end(), micros) -
                                  starts_.begin());
    }
    return last_;
  }

 private:
  bool Holds(size_t column, int64_t micros) const {
    return (column == 0 || micros >= starts_[column - 1]) &&
           (column == starts_.size() || micros < starts_[column]);
  }

  std::vector<int64_t> starts_;  // micros at the start of columns 1..n-1
  size_t last_ = 0;
};

// How many spends ahead BudgetVsActual loads a spend's row of month totals: the rows of a
// large portfolio do not all stay in cache, and spends hop between them.
constexpr size_t kSpendsAhead = 16;

// Sets `row`'s month totals (the `columns` at `actual`), running totals, total, variance and
// utilization.
void Finish(const int64_t* actual, size_t columns, BudgetRow* row) {
  row->actual_minor.assign(actual, actual + columns);
  row->cumulative_minor.resize(columns);
  int64_t running = 0;
  for (size_t m = 0; m < columns; ++m) {
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
    if (inserted) out.push_back(BudgetRow{.key = key});
    row_of[id] = it->second;
    out[static_cast<size_t>(it->second)].budget_minor += s.balance.budget_minor;
  }
  // The month totals of every row, row after row: one block, not a vector a row.
  std::vector<int64_t> actual(out.size() * columns, 0);
  const auto row_at = [&](ledger::ScopeId id) { return id < row_of.size() ? row_of[id] : -1; };
  const SpendColumns& spends = facts.spends();
  MonthColumns month_columns(std::move(month_starts));
  for (size_t i = 0; i < spends.size(); ++i) {
    const size_t column = month_columns.Of(spends.time_micros[i]);
    if (i + kSpendsAhead < spends.size()) {  // most likely in the same month
      if (const int32_t ahead = row_at(spends.scope[i + kSpendsAhead]); ahead >= 0) {
        __builtin_prefetch(&actual[static_cast<size_t>(ahead) * columns + column], 1);
      }
    }
    const int32_t row = row_at(spends.scope[i]);
    if (row >= 0) actual[static_cast<size_t>(row) * columns + column] += spends.amount_minor[i];
  }
  std::vector<int64_t> total_actual(columns, 0);
  report.total = BudgetRow{.key = "total"};
  for (const auto& [key, index] : rows) {
    BudgetRow& row = out[static_cast<size_t>(index)];
    Finish(&actual[static_cast<size_t>(index) * columns], columns, &row);
    report.total.budget_minor += row.budget_minor;
    for (size_t m = 0; m < columns; ++m) total_actual[m] += row.actual_minor[m];
    report.rows.push_back(std::move(row));
  }
  Finish(total_actual.data(), columns, &report.total);
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
