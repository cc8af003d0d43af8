#include "upkeep/customer.h"

#include <array>

namespace upkeep {
namespace {

struct StandardMetricInfo {
  StandardMetric metric;
  std::string_view name;
  bool money;
};

constexpr std::array<StandardMetricInfo, kStandardMetricCount> kStandardMetrics = {{
    {StandardMetric::kRevenue, "revenue", true},
    {StandardMetric::kGrossMargin, "gross_margin", true},
    {StandardMetric::kGrowth, "growth", false},
    {StandardMetric::kTenureMonths, "tenure_months", false},
    {StandardMetric::kOrderCount, "order_count", false},
    {StandardMetric::kRecencyDays, "recency_days", false},
    {StandardMetric::kSatisfaction, "satisfaction", false},
    {StandardMetric::kChurnRisk, "churn_risk", false},
}};

}  // namespace

std::string_view StandardMetricName(StandardMetric metric) {
  return kStandardMetrics[static_cast<size_t>(metric)].name;
}

std::optional<StandardMetric> FindStandardMetric(std::string_view name) {
  for (const StandardMetricInfo& info : kStandardMetrics) {
    if (info.name == name) return info.metric;
  }
  return std::nullopt;
}

bool IsMoneyMetric(StandardMetric metric) {
  return kStandardMetrics[static_cast<size_t>(metric)].money;
}

}  // namespace upkeep
