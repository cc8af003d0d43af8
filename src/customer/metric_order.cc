#include "customer/metric_order.h"

#include <algorithm>
#include <array>
#include <bit>
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

constexpr int kDigitBits = 11;
constexpr size_t kBuckets = size_t{1} << kDigitBits;

size_t DigitOf(uint64_t key, int digit) {
  return static_cast<size_t>((key >> (digit * kDigitBits)) & (kBuckets - 1));
}

// Stable LSD radix sort of `items` by the low `key_bits` bits of key_of(item), 11 bits a pass;
// passes over digits that every item shares are skipped.
template <typename Item, typename KeyFn>
void RadixSort(std::vector<Item>& items, int key_bits, KeyFn key_of) {
  const size_t n = items.size();
  const int digits = (key_bits + kDigitBits - 1) / kDigitBits;
  std::vector<std::array<size_t, kBuckets>> counts(static_cast<size_t>(digits));
  for (const Item& item : items) {
    for (int d = 0; d < digits; ++d) ++counts[static_cast<size_t>(d)][DigitOf(key_of(item), d)];
  }
  std::vector<Item> scratch(n);
  for (int d = 0; d < digits; ++d) {
    std::array<size_t, kBuckets>& count = counts[static_cast<size_t>(d)];
    if (count[DigitOf(key_of(items[0]), d)] == n) continue;  // every key shares this digit
    size_t offset = 0;
    for (size_t& c : count) offset += std::exchange(c, offset);
    for (const Item& item : items) scratch[count[DigitOf(key_of(item), d)]++] = item;
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
    // Fast path: (key - min, index) packed in one word; the index in the low bits keeps ties in
    // index order.
    std::vector<uint64_t> packed(n);
    for (size_t i = 0; i < n; ++i) packed[i] = ((keys[i] - min_key) << index_bits) | i;
    RadixSort(packed, value_bits + index_bits, [](uint64_t item) { return item; });
    const uint64_t index_mask = (uint64_t{1} << index_bits) - 1;
    for (size_t k = 0; k < n; ++k) {
      ranking.order[k] = static_cast<uint32_t>(packed[k] & index_mask);
      ranking.sorted_keys[k] = (packed[k] >> index_bits) + min_key;
    }
    return ranking;
  }
  std::vector<KeyedIndex> items(n);
  for (size_t i = 0; i < n; ++i) items[i] = {keys[i], static_cast<uint32_t>(i)};
  RadixSort(items, 64, [](const KeyedIndex& item) { return item.key; });
  for (size_t k = 0; k < n; ++k) {
    ranking.order[k] = items[k].index;
    ranking.sorted_keys[k] = items[k].key;
  }
  return ranking;
}

}  // namespace upkeep::customer_internal
