#include "monitor/anomaly.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace upkeep::monitor::internal {
namespace {

// The median of `values` (the mean of the middle two for an even count), reordering them.
double Median(std::span<double> values) {
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

}  // namespace

AnomalyScore ScoreSpend(std::span<const int64_t> history, int64_t spend_minor) {
  AnomalyScore score;
  if (history.empty()) return score;
  std::array<double, kAnomalyHistory> buffer{};
  const size_t n = std::min(history.size(), kAnomalyHistory);
  const std::span<double> values(buffer.data(), n);
  for (size_t i = 0; i < n; ++i) values[i] = static_cast<double>(history[history.size() - n + i]);
  const double median = Median(values);
  for (double& v : values) v = std::fabs(v - median);
  const double mad = Median(values);
  const double scale = std::max({1.4826 * mad, 0.05 * std::fabs(median), 1.0});
  score.median_minor = std::llround(median);
  score.z = std::fabs(static_cast<double>(spend_minor) - median) / scale;
  return score;
}

void Remember(std::vector<int64_t>* history, int64_t spend_minor) {
  if (history->size() >= kAnomalyHistory) history->erase(history->begin());
  history->push_back(spend_minor);
}

}  // namespace upkeep::monitor::internal
