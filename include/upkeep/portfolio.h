// upkeep/portfolio.h: the customers of one book in one period, with their metrics.
//
// A Portfolio is immutable once built. Customers are kept sorted by id, so a customer's index is
// the same whatever order the host supplied them in; that index is the stable tie key that exact
// splits use (never the input position). Money metrics are in the portfolio's currency.
//
//   upkeep::PortfolioBuilder builder(cny);
//   UPKEEP_RETURN_IF_ERROR(builder.Add({.id = "c-001", .name = "Acme"}, {.revenue_minor =
//   500000})); absl::StatusOr<upkeep::Portfolio> portfolio = std::move(builder).Build();
//
// Memory: about 220 bytes per customer plus string bytes beyond 15 per string, plus 8 bytes per
// custom metric per customer.
// Thread safety: a built Portfolio is immutable and safe to share between threads. The builder
// is not thread-safe.
#ifndef UPKEEP_PORTFOLIO_H_
#define UPKEEP_PORTFOLIO_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/customer.h"

namespace upkeep {

// A resolved metric: a standard one (index < kStandardMetricCount) or a custom column.
struct MetricRef {
  uint16_t index = 0;
  friend bool operator==(MetricRef, MetricRef) = default;
};

class Portfolio {
 public:
  Portfolio() = default;  // empty, CNY

  Currency currency() const { return currency_; }
  size_t size() const { return customers_.size(); }
  bool empty() const { return customers_.empty(); }

  // REQUIRES: i < size(). Customers are in ascending id order (bytewise).
  const Customer& customer(size_t i) const { return customers_[i]; }
  const CustomerMetrics& metrics(size_t i) const { return metrics_[i]; }
  // The stable key of customer i for tie-breaking: its rank by id.
  uint64_t tie_key(size_t i) const { return i; }

  // The index of the customer with `id`, or nullopt. O(log n).
  std::optional<size_t> Find(std::string_view id) const;

  // The metric named `name` (standard or custom), or kNotFound naming it.
  absl::StatusOr<MetricRef> ResolveMetric(std::string_view name) const;
  std::string_view MetricName(MetricRef metric) const;
  bool IsMoneyMetric(MetricRef metric) const;
  // The value of `metric` for customer i (money metrics as minor units). REQUIRES: valid ref.
  double MetricValue(MetricRef metric, size_t i) const;
  // Custom metric names, in the order they were first added.
  const std::vector<std::string>& custom_metric_names() const { return custom_names_; }

 private:
  friend class PortfolioBuilder;
  Currency currency_;
  std::vector<Customer> customers_;
  std::vector<CustomerMetrics> metrics_;
  std::vector<std::string> custom_names_;
  std::vector<std::vector<double>> custom_values_;  // [custom metric][customer]
};

class PortfolioBuilder {
 public:
  explicit PortfolioBuilder(Currency currency);

  void Reserve(size_t customers);

  // Adds one customer. Checks: non-empty id; all text valid UTF-8 (kInvalidUtf8 naming the
  // field); revenue_minor >= 0 (kInvalidArgument); metrics finite; custom metric names valid and
  // not standard names. Duplicate ids are found by Build. On error nothing is added.
  absl::Status Add(Customer customer, CustomerMetrics metrics = {},
                   std::vector<std::pair<std::string, double>> custom_metrics = {});

  // Sorts by id and returns the portfolio; kAlreadyExists naming the first duplicate id.
  absl::StatusOr<Portfolio> Build() &&;

 private:
  Portfolio portfolio_;
  absl::flat_hash_map<std::string, size_t> custom_index_;
};

}  // namespace upkeep

#endif  // UPKEEP_PORTFOLIO_H_
