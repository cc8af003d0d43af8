// upkeep/monitor/forecast_control.h: a control policy that looks at where spend is heading.
//
// "forecast_guard" is a ledger control policy (ledger/control.h) that warns about, or rejects,
// a reserve or spend when the *projected* end-of-period use of a scope, counting the request,
// would exceed its budget, even though the money is still available now. Register it in the
// ControlPolicyRegistry before parsing the control section, then name it:
//   "custom": [{"id": "no-early-burn", "policy": "forecast_guard",
//               "params": {"level": "customer", "action": "warn", "margin_pct": "10"}}]
// level: customer (default), tier or company; action: warn (default), reject or
// require_approval; margin_pct: how far over the budget the projection may go (default 0).
// The projection uses `forecast` at the request's time over the request's period window.
//
//   upkeep::ledger::ControlPolicyRegistry registry;
//   upkeep::monitor::RegisterForecastGuard(&registry, periods,
//   upkeep::monitor::MakeLinearForecast());
//
// A period missing from `periods` is not judged (the rule says nothing).
// Ownership: the policy shares `periods` and `forecast`. Thread safety: Evaluate is const and
// thread-safe; it does not call back into the ledger.
#ifndef UPKEEP_MONITOR_FORECAST_CONTROL_H_
#define UPKEEP_MONITOR_FORECAST_CONTROL_H_

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "upkeep/ledger/control.h"
#include "upkeep/ledger/types.h"
#include "upkeep/monitor/forecast.h"

namespace upkeep::monitor {

inline constexpr char kForecastGuardName[] = "forecast_guard";

// Registers "forecast_guard"; kAlreadyExists if the name is taken.
absl::Status RegisterForecastGuard(ledger::ControlPolicyRegistry* registry,
                                   std::shared_ptr<const std::vector<ledger::Period>> periods,
                                   std::shared_ptr<const ForecastMethod> forecast);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_FORECAST_CONTROL_H_
