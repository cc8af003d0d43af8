// monitor/anomaly.h: robust scoring of one spend against a customer's history (not public).
#ifndef UPKEEP_MONITOR_ANOMALY_H_
#define UPKEEP_MONITOR_ANOMALY_H_

#include <cstdint>
#include <span>
#include <vector>

namespace upkeep::monitor::internal {

inline constexpr size_t kAnomalyHistory = 32;  // the last spends remembered per customer

struct AnomalyScore {
  int64_t median_minor = 0;
  double z = 0;  // |x - median| / max(1.4826 * MAD, 5 % of |median|, 1); 0 for no history
};

AnomalyScore ScoreSpend(std::span<const int64_t> history, int64_t spend_minor);
// Appends `spend_minor`, dropping the oldest beyond kAnomalyHistory.
void Remember(std::vector<int64_t>* history, int64_t spend_minor);

}  // namespace upkeep::monitor::internal

#endif  // UPKEEP_MONITOR_ANOMALY_H_
