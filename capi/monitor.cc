// capi/monitor.cc: monitoring attached to a ledger, sweeps, and one scope's metrics.
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"
#include "upkeep/status.h"

namespace upkeep::capi {

upk_status MonitorOf(const upk_ledger* ledger, monitor::Monitor** out) {
  if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
  if (ledger->monitor == nullptr) {
    return Fail(UPK_INVALID_STATE,
                "no monitoring on this ledger: call upk_ledger_attach_monitoring first");
  }
  *out = ledger->monitor.get();
  return UPK_OK;
}

void FillMetrics(const monitor::ScopeMetrics& m, upk_metrics* out) {
  out->size = sizeof(upk_metrics);
  out->budget_minor = m.budget_minor;
  out->reserved_minor = m.reserved_minor;
  out->spent_minor = m.spent_minor;
  out->available_minor = m.available_minor;
  out->used_minor = m.used_minor;
  out->utilization_bp = m.utilization_bp;
  out->elapsed_bp = m.elapsed_bp;
  out->burn_rate_minor_per_day = m.burn_rate_minor_per_day;
  out->projected_minor = m.projected_minor;
  out->expected_share_bp = m.expected_share_bp;
  out->has_days_until_exhaustion = m.days_until_exhaustion.has_value() ? 1 : 0;
  out->days_until_exhaustion = m.days_until_exhaustion.value_or(0);
  out->plan_minor = m.plan_minor;
  out->variance_minor = m.variance_minor;
}

upk_status MetricsOf(const upk_ledger* ledger, const upk_metrics_request* request,
                     monitor::ScopeMetrics* out) {
  monitor::Monitor* m = nullptr;
  if (upk_status s = MonitorOf(ledger, &m); s != UPK_OK) return s;
  if (upk_status s = CheckStruct(request, "request"); s != UPK_OK) return s;
  ledger::ScopeRef scope;
  if (upk_status s = ScopeOf(&request->scope, "scope", &scope); s != UPK_OK) return s;
  std::optional<int64_t> plan;
  if (request->has_plan != 0) plan = request->plan_minor;
  absl::StatusOr<monitor::ScopeMetrics> metrics = m->Metrics(scope, request->now_micros, plan);
  if (!metrics.ok()) return FromStatus(metrics.status());
  *out = *std::move(metrics);
  return UPK_OK;
}

}  // namespace upkeep::capi

using upkeep::AsAbsl;
using upkeep::capi::Fail;
using upkeep::capi::FromStatus;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

upk_status upk_ledger_attach_monitoring(upk_ledger* ledger, const upk_policy* policy,
                                        const upk_monitor_options* options) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    upkeep::ledger::Ledger& live = *ledger->ledger;
    upkeep::monitor::MonitorOptions o{.currency = live.currency()};
    if (options != nullptr) {
      if (upk_status s = upkeep::capi::CheckStruct(options, "options"); s != UPK_OK) return s;
      if (options->alert_log_max == 0) {
        return Fail(UPK_INVALID_ARGUMENT, "options: alert_log_max must be at least 1");
      }
      o.alert_log_max = options->alert_log_max;
    }
    if (policy != nullptr) {
      if (policy->set->currency() != o.currency) {
        return Fail(UPK_CURRENCY_MISMATCH,
                    absl::StrCat("the policy is in ", AsAbsl(policy->set->currency().code()),
                                 ", the ledger in ", AsAbsl(o.currency.code())));
      }
      if (policy->set->monitoring() != nullptr) o.policy = *policy->set->monitoring();
    }
    if (ledger->monitor != nullptr) {
      return Fail(UPK_ALREADY_EXISTS, "monitoring is already attached to this ledger");
    }
    auto monitor = std::make_unique<upkeep::monitor::Monitor>(std::move(o));
    // Scope ids are the same in a replay, so the live ledger's names describe them. They are
    // read first: describing through the live ledger from inside the replay would take its lock
    // under the monitor's, the reverse of the order of live operations.
    std::vector<upkeep::ledger::ScopeRef> scopes;
    for (upkeep::ledger::ScopeId id = 0;; ++id) {
      absl::StatusOr<upkeep::ledger::ScopeRef> scope = live.DescribeScope(id);
      if (!scope.ok()) break;
      scopes.push_back(*std::move(scope));
    }
    monitor->SetDescriber(
        [&scopes](upkeep::ledger::ScopeId id) -> absl::StatusOr<upkeep::ledger::ScopeRef> {
          if (id >= scopes.size()) return upkeep::MakeError(upkeep::ErrorCode::kNotFound, "");
          return scopes[id];
        });
    upkeep::ledger::ControlPolicyRegistry controls;
    {
      absl::MutexLock lock(&ledger->mu);
      controls = ledger->controls;
    }
    // The monitor learns the past from a replay of the journal, then follows the live ledger.
    upkeep::ledger::MemoryJournal scratch;
    absl::StatusOr<std::unique_ptr<upkeep::ledger::Ledger>> replayed =
        upkeep::ledger::Ledger::Replay(*ledger->journal, {.currency = live.currency(),
                                                          .journal = &scratch,
                                                          .observers = {monitor.get()},
                                                          .control_registry = &controls});
    if (!replayed.ok()) return FromStatus(replayed.status());
    monitor->Attach(&live);
    ledger->monitor = std::move(monitor);
    return UPK_OK;
  });
}

upk_status upk_ledger_sweep(upk_ledger* ledger, int64_t now_micros) {
  return Guard([&]() -> upk_status {
    upkeep::monitor::Monitor* monitor = nullptr;
    if (upk_status s = upkeep::capi::MonitorOf(ledger, &monitor); s != UPK_OK) return s;
    monitor->Sweep(now_micros);
    return UPK_OK;
  });
}

upk_status upk_ledger_metrics(upk_metrics* out, const upk_ledger* ledger,
                              const upk_metrics_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    upkeep::monitor::ScopeMetrics metrics;
    if (upk_status s = upkeep::capi::MetricsOf(ledger, request, &metrics); s != UPK_OK) return s;
    upkeep::capi::FillMetrics(metrics, out);
    return UPK_OK;
  });
}

}  // extern "C"
