// capi/reports.cc: the monitoring reports as JSON: budget vs actual, utilization by level, and
// one scope's forecast.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "capi/internal.h"
#include "upkeep/monitor/report.h"
#include "upkeep/monitor/utilization.h"

namespace upkeep::capi {
namespace {

// Runs `make(facts, monitor)` (returning StatusOr<report>) under the monitor's lock and emits
// ToJson of its result.
template <typename Make>
upk_status EmitReport(char** out, const upk_ledger* ledger, Make&& make) {
  if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
  monitor::Monitor* m = nullptr;
  if (upk_status s = MonitorOf(ledger, &m); s != UPK_OK) return s;
  absl::Status status;
  std::string text;
  m->ReadFacts([&](const monitor::Facts& facts) {
    auto report = make(facts, *m);
    if (!report.ok()) {
      status = report.status();
      return;
    }
    text = monitor::ToJson(*report, m->currency()).dump();
  });
  if (!status.ok()) return FromStatus(status);
  return Emit(text, out);
}

// A report request's period and category, copied, and its grouping `value` (a C enum named
// `what`, with values `first`..`last` of the constants `family`) checked.
upk_status ReportRequestOf(upk_str period, upk_str category, int32_t value, const char* what,
                           int32_t first, int32_t last, const char* family, std::string* period_out,
                           std::string* category_out) {
  std::string_view text;
  if (upk_status s = Text(period, "period", &text); s != UPK_OK) return s;
  *period_out = std::string(text);
  if (upk_status s = Text(category, "category", &text); s != UPK_OK) return s;
  *category_out = std::string(text);
  if (value < first || value > last) {
    return Fail(UPK_INVALID_ARGUMENT, absl::StrCat(what, " ", value, " is not an ", family));
  }
  return UPK_OK;
}

}  // namespace
}  // namespace upkeep::capi

using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

upk_status upk_ledger_budget_report_json(char** out, const upk_ledger* ledger,
                                         const upk_budget_report_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(request, "request"); s != UPK_OK) return s;
    upkeep::monitor::ReportRequest r;
    if (upk_status s =
            upkeep::capi::ReportRequestOf(request->period, request->category, request->group_by,
                                          "group_by", UPK_DIMENSION_COMPANY, UPK_DIMENSION_CATEGORY,
                                          "UPK_DIMENSION_", &r.period, &r.category);
        s != UPK_OK) {
      return s;
    }
    r.group_by = static_cast<upkeep::monitor::Dimension>(request->group_by);
    return upkeep::capi::EmitReport(
        out, ledger, [&](const upkeep::monitor::Facts& facts, const upkeep::monitor::Monitor&) {
          return upkeep::monitor::BudgetVsActual(facts, r);
        });
  });
}

upk_status upk_ledger_utilization_json(char** out, const upk_ledger* ledger,
                                       const upk_utilization_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(request, "request"); s != UPK_OK) return s;
    upkeep::monitor::UtilizationRequest r;
    if (upk_status s = upkeep::capi::ReportRequestOf(
            request->period, request->category, request->level, "level", UPK_SCOPE_COMPANY,
            UPK_SCOPE_REGION, "UPK_SCOPE_", &r.period, &r.category);
        s != UPK_OK) {
      return s;
    }
    r.level = static_cast<upkeep::ledger::ScopeKind>(request->level);
    r.now_micros = request->now_micros;
    return upkeep::capi::EmitReport(
        out, ledger,
        [&](const upkeep::monitor::Facts& facts, const upkeep::monitor::Monitor& monitor) {
          return upkeep::monitor::Utilization(facts, *monitor.policy().forecast, monitor.currency(),
                                              r);
        });
  });
}

upk_status upk_ledger_forecast_json(char** out, const upk_ledger* ledger,
                                    const upk_metrics_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::monitor::ScopeMetrics metrics;
    if (upk_status s = upkeep::capi::MetricsOf(ledger, request, &metrics); s != UPK_OK) return s;
    return upkeep::capi::Emit(
        upkeep::monitor::UtilizationRowJson(metrics, ledger->monitor->currency()).dump(), out);
  });
}

}  // extern "C"
