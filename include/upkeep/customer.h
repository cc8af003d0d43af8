// upkeep/customer.h: a customer and its measurements for one period.
//
// A Customer is who the money is spent on: a unique id, a display name, the owner (the account
// manager's actor id), a region, and free-form attributes. CustomerMetrics are what the company
// measured about the customer in one period; they drive classification, sizing and allocation.
// Money metrics (revenue, gross margin) are integer minor units of the portfolio's currency;
// the others are measurements, not money, and are doubles.
//
// Standard metric names, as used in policy documents: "revenue", "gross_margin", "growth",
// "tenure_months", "order_count", "recency_days", "satisfaction", "churn_risk". Hosts may add
// their own metrics by name (see Portfolio).
//
// Thread safety: plain values.
#ifndef UPKEEP_CUSTOMER_H_
#define UPKEEP_CUSTOMER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace upkeep {

struct Customer {
  std::string id;      // unique within a portfolio, non-empty UTF-8
  std::string name;    // display name, UTF-8
  std::string owner;   // the account manager's actor id, UTF-8, may be empty
  std::string region;  // UTF-8, may be empty
  std::vector<std::pair<std::string, std::string>> attributes;  // UTF-8 key/value pairs
};

struct CustomerMetrics {
  int64_t revenue_minor = 0;       // revenue in the period, minor units, >= 0
  int64_t gross_margin_minor = 0;  // may be negative
  double growth = 0;               // revenue growth as a fraction: 0.12 is +12 %
  double tenure_months = 0;        // how long the customer has been a customer
  double order_count = 0;          // orders in the period
  double recency_days = 0;         // days since the last order (lower is more recent)
  double satisfaction = 0;         // host's scale, e.g. 0..10 or NPS -100..100
  double churn_risk = 0;           // probability 0..1
};

// The standard metrics, addressable by id (custom metrics come after these, see Portfolio).
enum class StandardMetric : uint16_t {
  kRevenue = 0,
  kGrossMargin,
  kGrowth,
  kTenureMonths,
  kOrderCount,
  kRecencyDays,
  kSatisfaction,
  kChurnRisk,
};
inline constexpr int kStandardMetricCount = 8;

// "revenue", "gross_margin", ... for each StandardMetric.
std::string_view StandardMetricName(StandardMetric metric);
// The standard metric called `name`, or nullopt.
std::optional<StandardMetric> FindStandardMetric(std::string_view name);
// Whether the metric is money in minor units (revenue, gross_margin).
bool IsMoneyMetric(StandardMetric metric);

}  // namespace upkeep

#endif  // UPKEEP_CUSTOMER_H_
