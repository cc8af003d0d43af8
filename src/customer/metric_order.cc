#include "customer/metric_order.h"

#include <array>
#include <bit>
#include <utility>

#include "upkeep/customer.h"

namespace upkeep::customer_internal {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

uint64_t KeyOfInt(int64_t value) { return static_cast<uint64_t>(value) ^ kSignBit; }

uint64_t KeyOfDouble(double value) {
  if (value == 0) value = 0;  // -0.0 sorts with 0.0
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

struct KeyedIndex {
  uint64_t key;
  uint32_t index;
};

constexpr int kDigitBits = 8;
constexpr int kDigits = 64 / kDigitBits;
constexpr size_t kBuckets = size_t{1} << kDigitBits;

size_t DigitOf(uint64_t key, int digit) {
  return static_cast<size_t>((key >> (digit * kDigitBits)) & (kBuckets - 1));
}

}  // namespace

int64_t MoneyMinor(const Portfolio& portfolio, MetricRef metric, size_t customer) {
  const CustomerMetrics& m = portfolio.metrics(customer);
  return metric.index == static_cast<uint16_t>(StandardMetric::kRevenue) ? m.revenue_minor
                                                                         : m.gross_margin_minor;
}

std::vector<uint64_t> AscendingKeys(const Portfolio& portfolio, MetricRef metric) {
  std::vector<uint64_t> keys(portfolio.size());
  if (portfolio.IsMoneyMetric(metric)) {
    for (size_t i = 0; i < keys.size(); ++i) keys[i] = KeyOfInt(MoneyMinor(portfolio, metric, i));
  } else {
    for (size_t i = 0; i < keys.size(); ++i)
      keys[i] = KeyOfDouble(portfolio.MetricValue(metric, i));
  }
  return keys;
}

std::vector<uint32_t> StableOrder(std::span<const uint64_t> keys) {
  const size_t n = keys.size();
  std::vector<KeyedIndex> items(n);
  std::array<std::array<size_t, kBuckets>, kDigits> counts{};
  for (size_t i = 0; i < n; ++i) {
    items[i] = {keys[i], static_cast<uint32_t>(i)};
    for (int d = 0; d < kDigits; ++d) ++counts[static_cast<size_t>(d)][DigitOf(keys[i], d)];
  }
  std::vector<KeyedIndex> scratch(n);
  for (int d = 0; d < kDigits; ++d) {
    std::array<size_t, kBuckets>& count = counts[static_cast<size_t>(d)];
    if (n == 0 || count[DigitOf(items[0].key, d)] == n) continue;  // every key shares this digit
    size_t offset = 0;
    for (size_t& c : count) offset += std::exchange(c, offset);
    for (const KeyedIndex& item : items) scratch[count[DigitOf(item.key, d)]++] = item;
    items.swap(scratch);
  }
  std::vector<uint32_t> order(n);
  for (size_t k = 0; k < n; ++k) order[k] = items[k].index;
  return order;
}

}  // namespace upkeep::customer_internal
