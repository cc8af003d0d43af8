// upkeep/monitor/alerts.h: alert rules, alerts, and where alerts go.
//
// The "monitoring" section of the policy document (docs/monitoring.md) holds the forecast
// method and the alert rules; MakeMonitoringFromParams compiles it. Rule types:
//   "threshold"        utilization (spent + reserved over budget) reaches each of
//                      "thresholds_pct" (default 50, 80, 100);
//   "pace"             utilization runs "ahead_pct" % ahead of the period's elapsed share, once
//                      at least "min_elapsed_pct" of the period has passed;
//   "forecast_breach"  the forecast's end-of-period spend exceeds the budget by more than
//                      "margin_pct";
//   "anomaly"          one spend far outside the customer's own history: robust z-score
//                      |x - median| / max(1.4826 * MAD, 5 % of the median, 1 minor unit) above
//                      "z" (default 3.5), once the customer has "min_history" spends (default 5);
//   "under_use"        a customer of one of "tiers" has used at most "max_utilization_pct" of
//                      its budget after "after_elapsed_pct" of the period (a relationship at
//                      risk).
// Every rule has an "id" and may narrow its scopes: "level" (company, tier, customer, owner,
// region; default customer), "key", "category".
//
//   {"forecast": {"method": "linear"},
//    "alerts": [{"id": "usage", "type": "threshold", "level": "tier", "thresholds_pct": [80, 100]},
//               {"id": "quiet-vip", "type": "under_use", "tiers": ["A"],
//                "after_elapsed_pct": 70, "max_utilization_pct": 10}]}
//
// An alert is raised once per rule (and threshold) and scope, and stays active until its
// condition no longer holds: then it is cleared, and may be raised again later.
//
// Ownership: a MonitoringPolicy shares its forecast method. Thread safety: immutable values.
// AlertSink callbacks: see monitor.h.
#ifndef UPKEEP_MONITOR_ALERTS_H_
#define UPKEEP_MONITOR_ALERTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/types.h"
#include "upkeep/monitor/forecast.h"
#include "upkeep/monitor/metrics.h"
#include "upkeep/policy_params.h"

namespace upkeep::monitor {

enum class AlertKind : uint8_t {
  kThreshold = 0,
  kPace = 1,
  kForecastBreach = 2,
  kAnomaly = 3,
  kUnderUse = 4,
};
std::string_view AlertKindName(AlertKind kind);

struct AlertRule {
  std::string id{};
  AlertKind kind = AlertKind::kThreshold;
  ledger::ScopeKind level = ledger::ScopeKind::kCustomer;
  std::string key{};                     // empty: every scope of `level`
  std::string category{};                // empty: every category
  std::vector<int64_t> thresholds_bp{};  // threshold: ascending, e.g. 5000, 8000, 10000
  int64_t ahead_bp = 3000;               // pace
  int64_t min_elapsed_bp = 1000;         // pace
  int64_t margin_bp = 0;                 // forecast_breach
  double z = 3.5;                        // anomaly
  int32_t min_history = 5;               // anomaly
  std::vector<std::string> tiers{};      // under_use (empty: every tier)
  int64_t after_elapsed_bp = 7000;       // under_use
  int64_t max_utilization_bp = 1000;     // under_use
};

struct MonitoringPolicy {
  std::shared_ptr<const ForecastMethod> forecast = MakeLinearForecast();
  std::vector<AlertRule> rules{};
};

// Compiles a "monitoring" section. kPolicyInvalid naming the JSON path of the first problem;
// kNotFound for an unknown forecast method. At most 64 rule slots (each threshold is a slot).
absl::StatusOr<MonitoringPolicy> MakeMonitoringFromParams(const PolicyParams& section,
                                                          const ForecastRegistry& forecasts,
                                                          const ForecastContext& context = {});

// One raised (or cleared) alert, with the numbers that raised it.
struct Alert {
  uint64_t seq = 0;  // 0, 1, 2 ... per Monitor, in the order alerts were raised or cleared
  std::string rule_id{};
  AlertKind kind = AlertKind::kThreshold;
  bool cleared = false;      // false: raised; true: its condition stopped holding
  int64_t threshold_bp = 0;  // the rule's limit that was crossed (kind-specific; see message)
  int64_t time_micros = 0;   // the event's time, or Sweep's `now`
  ScopeMetrics metrics{};    // the scope's numbers then (forecast_explanation included)
  int64_t spend_minor = 0;   // anomaly: the spend
  int64_t median_minor = 0;  // anomaly: the customer's median spend
  std::string message{};     // the numbers in words
};

// Receives alerts as they are raised and cleared. See monitor.h for when and on which thread.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void OnAlert(const Alert& alert) = 0;
};

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_ALERTS_H_
