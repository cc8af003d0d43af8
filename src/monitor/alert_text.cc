#include "monitor/alert_text.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "upkeep/money.h"

namespace upkeep::monitor::internal {

std::string Percent(int64_t bp) {
  if (bp == INT64_MAX) return "inf";
  return absl::StrFormat("%s%d.%02d", bp < 0 ? "-" : "", std::llabs(bp) / 100,
                         std::llabs(bp) % 100);
}

std::string AlertMessage(const Alert& alert, const AlertRule& rule, Currency currency) {
  const ScopeMetrics& m = alert.metrics;
  const auto amount = [&](int64_t minor) {
    return Money::FromMinor(minor, currency).ToDecimalString();
  };
  std::string text = absl::StrCat(alert.cleared ? "cleared: " : "", m.scope.ToString(), ": ");
  switch (alert.kind) {
    case AlertKind::kThreshold:
      absl::StrAppend(&text, Percent(m.utilization_bp), " % of the budget used (",
                      amount(m.used_minor), " of ", amount(m.budget_minor), ": spent ",
                      amount(m.spent_minor), ", reserved ", amount(m.reserved_minor), "); ",
                      alert.cleared ? "now below" : "at or above", " the ",
                      Percent(alert.threshold_bp), " % threshold of rule ", rule.id);
      break;
    case AlertKind::kPace:
      absl::StrAppend(&text, Percent(m.utilization_bp), " % of the budget used after ",
                      Percent(m.elapsed_bp), " % of the period; rule ", rule.id, " allows ",
                      Percent(rule.ahead_bp), " % ahead of pace (at most ",
                      Percent(m.elapsed_bp * (10000 + rule.ahead_bp) / 10000), " % by now)");
      break;
    case AlertKind::kForecastBreach:
      absl::StrAppend(&text, "projected ", amount(m.projected_minor),
                      " by the end of the period against a budget of ", amount(m.budget_minor),
                      " (",
                      Percent(ShareBasisPoints(m.projected_minor - m.budget_minor, m.budget_minor)),
                      " % over; rule ", rule.id, " allows ", Percent(rule.margin_bp), " %); ",
                      m.forecast_explanation);
      break;
    case AlertKind::kAnomaly:
      absl::StrAppend(&text, "a spend of ", amount(alert.spend_minor),
                      " against the customer's median spend of ", amount(alert.median_minor),
                      ": robust z-score above ", absl::StrFormat("%.2f", rule.z), " (rule ",
                      rule.id, ")");
      break;
    case AlertKind::kUnderUse:
      absl::StrAppend(&text, "only ", Percent(m.utilization_bp), " % of the budget (",
                      amount(m.budget_minor), ") used after ", Percent(m.elapsed_bp),
                      " % of the period; rule ", rule.id, " expects more than ",
                      Percent(rule.max_utilization_bp), " % after ", Percent(rule.after_elapsed_bp),
                      " %");
      break;
  }
  return text;
}

}  // namespace upkeep::monitor::internal
