// customer/metric_order.h: ordering customers by a metric, fast and deterministically (internal).
//
// Classifiers that rank (ABC, RFM quantiles, rank normalisation) turn a metric into 64-bit keys
// that sort like the values, then order the customers by a stable LSD radix sort: equal values
// stay in portfolio (id) order, so the result never depends on input order. Money metrics are
// keyed by their exact minor units.
//
//   std::vector<uint64_t> keys = AscendingKeys(portfolio, metric);
//   std::vector<uint32_t> order = StableOrder(keys);  // customers, smallest value first
//
// Thread safety: pure functions.
#ifndef UPKEEP_CUSTOMER_METRIC_ORDER_H_
#define UPKEEP_CUSTOMER_METRIC_ORDER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "upkeep/portfolio.h"

namespace upkeep::customer_internal {

// The exact value of a money metric in minor units. REQUIRES: portfolio.IsMoneyMetric(metric).
int64_t MoneyMinor(const Portfolio& portfolio, MetricRef metric, size_t customer);

// Keys with key(a) < key(b) exactly when value(a) < value(b), and equal keys for equal values
// (-0.0 and 0.0 are equal).
std::vector<uint64_t> AscendingKeys(const Portfolio& portfolio, MetricRef metric);

// The indices 0..keys.size()-1 by ascending key, equal keys by ascending index.
// REQUIRES: keys.size() <= UINT32_MAX.
std::vector<uint32_t> StableOrder(std::span<const uint64_t> keys);

// Calls run(first, last) for each run order[first..last) of equal keys, in order.
template <typename RunFn>
void ForEachTieRun(std::span<const uint64_t> keys, std::span<const uint32_t> order, RunFn run) {
  size_t first = 0;
  for (size_t k = 1; k <= order.size(); ++k) {
    if (k == order.size() || keys[order[k]] != keys[order[first]]) {
      run(first, k);
      first = k;
    }
  }
}

}  // namespace upkeep::customer_internal

#endif  // UPKEEP_CUSTOMER_METRIC_ORDER_H_
