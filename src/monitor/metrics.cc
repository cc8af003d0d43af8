#include "upkeep/monitor/metrics.h"

#include <algorithm>
#include <limits>

#include "absl/numeric/int128.h"
#include "base/status_macros.h"
#include "upkeep/rounding.h"
#include "upkeep/status.h"

namespace upkeep::monitor {

int64_t ShareBasisPoints(int64_t used, int64_t whole) {
  if (whole <= 0) return used > 0 ? std::numeric_limits<int64_t>::max() : 0;
  const absl::int128 bp = absl::int128(used) * 10000 / whole;
  return static_cast<int64_t>(std::clamp<absl::int128>(bp, std::numeric_limits<int64_t>::min(),
                                                       std::numeric_limits<int64_t>::max()));
}

absl::StatusOr<ScopeMetrics> ComputeMetrics(const MetricsInput& input,
                                            const ForecastMethod& forecast) {
  const ledger::Period& period = input.period;
  if (period.end_micros <= period.start_micros) {
    return MakeError(ErrorCode::kInvalidArgument, "metrics: the period is empty");
  }
  const ledger::Balance& b = input.balance;
  ScopeMetrics m;
  m.scope = input.scope;
  m.budget_minor = b.budget_minor;
  m.reserved_minor = b.reserved_minor;
  m.spent_minor = b.spent_minor;
  m.available_minor = b.available_minor;
  const absl::int128 used = absl::int128(b.spent_minor) + b.reserved_minor;
  if (used > std::numeric_limits<int64_t>::max()) {
    return MakeError(ErrorCode::kOverflow, "metrics: spent + reserved does not fit");
  }
  m.used_minor = static_cast<int64_t>(used);
  m.utilization_bp = ShareBasisPoints(m.used_minor, m.budget_minor);
  const int64_t length = period.end_micros - period.start_micros;
  const int64_t elapsed =
      std::clamp(input.now_micros, period.start_micros, period.end_micros) - period.start_micros;
  m.elapsed_bp = ShareBasisPoints(elapsed, length);
  if (elapsed > 0) {
    UPKEEP_ASSIGN_OR_RETURN(m.burn_rate_minor_per_day,
                            DivideRoundedToInt64(absl::int128(m.used_minor) * kMicrosPerDay,
                                                 elapsed, RoundingMode::kHalfEven));
  }
  if (m.burn_rate_minor_per_day > 0) {
    m.days_until_exhaustion = std::max<int64_t>(0, m.available_minor) / m.burn_rate_minor_per_day;
  }
  UPKEEP_ASSIGN_OR_RETURN(const Projection p, forecast.Project({.start_micros = period.start_micros,
                                                                .end_micros = period.end_micros,
                                                                .now_micros = input.now_micros,
                                                                .used_minor = m.used_minor,
                                                                .currency = input.currency,
                                                                .explain = input.explain}));
  m.projected_minor = p.projected_minor;
  m.expected_share_bp = p.expected_share_bp;
  m.forecast_explanation = p.explanation;
  m.plan_minor = input.plan_minor.value_or(m.budget_minor);
  const absl::int128 variance = absl::int128(m.projected_minor) - m.plan_minor;
  if (variance > std::numeric_limits<int64_t>::max() ||
      variance < std::numeric_limits<int64_t>::min()) {
    return MakeError(ErrorCode::kOverflow, "metrics: the variance against plan does not fit");
  }
  m.variance_minor = static_cast<int64_t>(variance);
  return m;
}

}  // namespace upkeep::monitor
