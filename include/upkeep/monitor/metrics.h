// upkeep/monitor/metrics.h: the numbers of one scope in one period (有效监控).
//
// ComputeMetrics turns a scope's balance, its period and a point in time into what a person
// watching the budget asks: how much is used, how fast, how far the period has run, where it
// will end, when the money runs out, and how that compares with the plan.
//
//   ScopeMetrics m = ComputeMetrics({.scope = envelope, .balance = balance, .period = window,
//                                    .now_micros = now, .currency = cny}, *forecast).value();
//   m.utilization_bp;  // 8000 = 80 % of the budget used (spent + reserved)
//
// Shares are in basis points (1/100 %), money in minor units; burn rate and projections are
// rounded half-even to whole minor units. Time comes from the caller, never the wall clock.
// Ownership: plain values. Thread safety: a pure function.
#ifndef UPKEEP_MONITOR_METRICS_H_
#define UPKEEP_MONITOR_METRICS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/types.h"
#include "upkeep/monitor/forecast.h"

namespace upkeep::monitor {

inline constexpr int64_t kMicrosPerDay = 86'400'000'000;

struct MetricsInput {
  ledger::ScopeRef scope{};
  ledger::Balance balance{};
  ledger::Period period{};  // the scope's period window
  int64_t now_micros = 0;
  Currency currency{};
  std::optional<int64_t> plan_minor{};  // the planned budget; default: the current budget
  bool explain = true;                  // fill forecast_explanation
};

struct ScopeMetrics {
  ledger::ScopeRef scope{};
  int64_t budget_minor = 0;
  int64_t reserved_minor = 0;
  int64_t spent_minor = 0;
  int64_t available_minor = 0;
  int64_t used_minor = 0;      // spent + reserved
  int64_t utilization_bp = 0;  // used / budget; 0 for an unused zero budget, huge if over
  int64_t elapsed_bp = 0;      // the share of the period's time that has passed
  int64_t burn_rate_minor_per_day = 0;
  int64_t projected_minor = 0;    // used by the end of the period, by the forecast method
  int64_t expected_share_bp = 0;  // the forecast's expected share of spend by now
  std::optional<int64_t> days_until_exhaustion{};  // at the burn rate; nullopt: no burn
  int64_t plan_minor = 0;
  int64_t variance_minor = 0;  // projected - plan: > 0 heads over the plan
  std::string forecast_explanation{};
};

// kInvalidArgument for an empty period; kOverflow if a figure does not fit.
absl::StatusOr<ScopeMetrics> ComputeMetrics(const MetricsInput& input,
                                            const ForecastMethod& forecast);

// used / whole in basis points (0 when both are 0; saturating when whole is 0).
int64_t ShareBasisPoints(int64_t used, int64_t whole);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_METRICS_H_
