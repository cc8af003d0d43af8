// customer/metric_order.h: ordering customers by a metric, fast and deterministically (internal).
//
// Classifiers that rank (ABC, RFM quantiles, rank normalisation) turn a metric into 64-bit keys
// that sort like the values, then order the customers by a stable LSD radix sort: equal values
// stay in portfolio (id) order, so the result never depends on input order. Money metrics are
// keyed by their exact minor units.
//
//   std::vector<uint64_t> keys = AscendingKeys(portfolio, metric);
//   Ranking ranking = Rank(keys);  // ranking.order: customers, smallest value first
//
// Thread safety: pure functions.
#ifndef UPKEEP_CUSTOMER_METRIC_ORDER_H_
#define UPKEEP_CUSTOMER_METRIC_ORDER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "upkeep/customer.h"
#include "upkeep/portfolio.h"

namespace upkeep::customer_internal {

// The exact value of a money metric in minor units. REQUIRES: portfolio.IsMoneyMetric(metric).
inline int64_t MoneyMinor(const Portfolio& portfolio, MetricRef metric, size_t customer) {
  const CustomerMetrics& m = portfolio.metrics(customer);
  return metric.index == static_cast<uint16_t>(StandardMetric::kRevenue) ? m.revenue_minor
                                                                         : m.gross_margin_minor;
}

// Keys with key(a) < key(b) exactly when value(a) < value(b), and equal keys for equal values
// (-0.0 and 0.0 are equal).
std::vector<uint64_t> AscendingKeys(const Portfolio& portfolio, MetricRef metric);
// The values back from keys made by AscendingKeys for a money (int) or other (double) metric.
int64_t IntOfKey(uint64_t key);
double DoubleOfKey(uint64_t key);

// Customers ordered by key: `order` holds the indices 0..n-1 by ascending key, equal keys by
// ascending index; sorted_keys[k] is the key of order[k].
struct Ranking {
  std::vector<uint32_t> order;
  std::vector<uint64_t> sorted_keys;
};
// REQUIRES: keys.size() <= UINT32_MAX.
Ranking Rank(std::span<const uint64_t> keys);

// Calls run(first, last) for each run ranking.order[first..last) of equal keys, in order.
template <typename RunFn>
void ForEachTieRun(const Ranking& ranking, RunFn run) {
  const std::vector<uint64_t>& keys = ranking.sorted_keys;
  size_t first = 0;
  for (size_t k = 1; k <= keys.size(); ++k) {
    if (k == keys.size() || keys[k] != keys[first]) {
      run(first, k);
      first = k;
    }
  }
}

}  // namespace upkeep::customer_internal

#endif  // UPKEEP_CUSTOMER_METRIC_ORDER_H_
