#include "customer/metric_order.h"

#include <algorithm>
#include <bit>
#include <span>
#include <utility>

namespace upkeep::customer_internal {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

uint64_t KeyOfInt(int64_t value) { return static_cast<uint64_t>(value) ^ kSignBit; }

uint64_t KeyOfDouble(double value) {  // IEEE order: flip negatives, set the sign of positives
  if (value == 0) value = 0;          // -0.0 sorts with 0.0
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

struct KeyedIndex {
  uint64_t key;
  uint32_t index;
};

// Digits of at most 12 bits: a 4096-bucket histogram stays in L1/L2 while scattering.
constexpr int kMaxDigitBits = 12;

// Stable LSD radix sort of `items` by bits [low_bit, high_bit) of key_of(item), in as few passes
// of equal digits as 12-bit digits allow; passes over digits that every item shares are skipped.
template <typename Item, typename KeyFn>
void RadixSort(std::vector<Item>& items, int low_bit, int high_bit, KeyFn key_of) {
  const size_t n = items.size();
  const int passes = (high_bit - low_bit + kMaxDigitBits - 1) / kMaxDigitBits;
  if (passes == 0) return;
  const int digit_bits = (high_bit - low_bit + passes - 1) / passes;
  const size_t buckets = size_t{1} << digit_bits;
  const auto digit_of = [&](const Item& item, int pass) {
    return static_cast<size_t>((key_of(item) >> (low_bit + pass * digit_bits)) & (buckets - 1));
  };
  std::vector<uint32_t> counts(static_cast<size_t>(passes) * buckets, 0);
  for (const Item& item : items) {
    for (int p = 0; p < passes; ++p) ++counts[static_cast<size_t>(p) * buckets + digit_of(item, p)];
  }
  std::vector<Item> scratch(n);
  for (int p = 0; p < passes; ++p) {
    const std::span<uint32_t> count(counts.data() + static_cast<size_t>(p) * buckets, buckets);
    if (count[digit_of(items[0], p)] == n) continue;  // every key shares this digit
    uint32_t offset = 0;
    for (uint32_t& c : count) offset += std::exchange(c, offset);
    for (const Item& item : items) scratch[count[digit_of(item, p)]++] = item;
    items.swap(scratch);
  }
}

}  // namespace

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

int64_t IntOfKey(uint64_t key) { return static_cast<int64_t>(key ^ kSignBit); }

double DoubleOfKey(uint64_t key) {
  return std::bit_cast<double>((key & kSignBit) != 0 ? key & ~kSignBit : ~key);
}

Ranking Rank(std::span<const uint64_t> keys) {
  const size_t n = keys.size();
  Ranking ranking;
  ranking.order.resize(n);
  ranking.sorted_keys.resize(n);
  if (n == 0) return ranking;
  const auto [min_it, max_it] = std::minmax_element(keys.begin(), keys.end());
  const uint64_t min_key = *min_it;
  const int value_bits = static_cast<int>(std::bit_width(*max_it - min_key));
  const int index_bits = static_cast<int>(std::bit_width(uint64_t{n - 1}));
  if (value_bits + index_bits <= 64) {
    // Fast path: (key - min, index) packed in one word. The words start in index order and the
    // sort is stable, so only the value bits are sorted and ties stay in index order.
    std::vector<uint64_t> packed(n);
    for (size_t i = 0; i < n; ++i) packed[i] = ((keys[i] - min_key) << index_bits) | i;
    RadixSort(packed, index_bits, value_bits + index_bits, [](uint64_t item) { return item; });
    const uint64_t index_mask = (uint64_t{1} << index_bits) - 1;
    for (size_t k = 0; k < n; ++k) {
      ranking.order[k] = static_cast<uint32_t>(packed[k] & index_mask);
      ranking.sorted_keys[k] = (packed[k] >> index_bits) + min_key;
    }
    return ranking;
  }
  std::vector<KeyedIndex> items(n);
  for (size_t i = 0; i < n; ++i) items[i] = {keys[i], static_cast<uint32_t>(i)};
  RadixSort(items, 0, 64, [](const KeyedIndex& item) { return item.key; });
  for (size_t k = 0; k < n; ++k) {
    ranking.order[k] = items[k].index;
    ranking.sorted_keys[k] = items[k].key;
  }
  return ranking;
}

}  // namespace upkeep::customer_internal
