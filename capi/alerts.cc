// capi/alerts.cc: alerts pulled into lists (structs or JSON) and pushed to subscribers.
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/internal.h"
#include "upkeep/monitor/report.h"

struct upk_alert_list {
  std::vector<upkeep::monitor::Alert> alerts;
  upkeep::Currency currency;
};

namespace upkeep::capi {
namespace {

// `out` borrows the strings of `alert`.
void FillAlert(const monitor::Alert& alert, upk_alert* out) {
  out->size = sizeof(upk_alert);
  out->seq = alert.seq;
  out->rule_id = Borrow(alert.rule_id);
  out->kind = static_cast<int32_t>(alert.kind);
  out->cleared = alert.cleared ? 1 : 0;
  out->threshold_bp = alert.threshold_bp;
  out->time_micros = alert.time_micros;
  FillScope(alert.metrics.scope, &out->scope);
  FillMetrics(alert.metrics, &out->metrics);
  out->spend_minor = alert.spend_minor;
  out->median_minor = alert.median_minor;
  out->message = Borrow(alert.message);
  out->forecast = Borrow(alert.metrics.forecast_explanation);
}

// Delivers alerts to a host's callback table; the table's destroy runs when this goes.
class AlertSubscriber final : public monitor::AlertSink {
 public:
  explicit AlertSubscriber(const upk_alert_callbacks& table) : callbacks_(table) {}
  void OnAlert(const monitor::Alert& alert) override {
    upk_alert c;
    FillAlert(alert, &c);
    callbacks_.table.on_alert(callbacks_.table.user_data, &c);
  }

 private:
  Callbacks<upk_alert_callbacks> callbacks_;
};

}  // namespace
}  // namespace upkeep::capi

using upkeep::capi::Fail;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

const char* upk_alert_kind_name(int32_t kind) {
  if (kind < UPK_ALERT_THRESHOLD || kind > UPK_ALERT_UNDER_USE) return "unknown";
  // AlertKindName returns views of string literals: NUL-terminated, static.
  return upkeep::monitor::AlertKindName(static_cast<upkeep::monitor::AlertKind>(kind)).data();
}

upk_status upk_alert_list_new(upk_alert_list** out) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    *out = new upk_alert_list();
    return UPK_OK;
  });
}

void upk_alert_list_free(upk_alert_list* list) {
  upkeep::capi::GuardVoid([&] { delete list; });
}

upk_status upk_alert_list_count(size_t* out, const upk_alert_list* list) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(list, "list"); s != UPK_OK) return s;
    *out = list->alerts.size();
    return UPK_OK;
  });
}

upk_status upk_alert_list_get(upk_alert* out, const upk_alert_list* list, size_t index) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(list, "list"); s != UPK_OK) return s;
    if (index >= list->alerts.size()) {
      return Fail(UPK_NOT_FOUND, absl::StrCat("alert index ", index, " out of range (",
                                              list->alerts.size(), " alerts)"));
    }
    upkeep::capi::FillAlert(list->alerts[index], out);
    return UPK_OK;
  });
}

upk_status upk_alert_list_to_json(char** out, const upk_alert_list* list) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(list, "list"); s != UPK_OK) return s;
    nlohmann::json j = nlohmann::json::array();
    for (const upkeep::monitor::Alert& alert : list->alerts) {
      j.push_back(upkeep::monitor::ToJson(alert, list->currency));
    }
    return upkeep::capi::Emit(j.dump(), out);
  });
}

upk_status upk_ledger_alerts(upk_alert_list* out, upk_ledger* ledger, int32_t which) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    upkeep::monitor::Monitor* monitor = nullptr;
    if (upk_status s = upkeep::capi::MonitorOf(ledger, &monitor); s != UPK_OK) return s;
    switch (which) {
      case UPK_ALERTS_ACTIVE:
        out->alerts = monitor->ActiveAlerts();
        break;
      case UPK_ALERTS_LOG:
        out->alerts = monitor->AlertLog();
        break;
      case UPK_ALERTS_NEW:
        out->alerts = monitor->TakeAlerts();
        break;
      default:
        return Fail(UPK_INVALID_ARGUMENT,
                    absl::StrCat("which is ", which, ", not one of the UPK_ALERTS_ values"));
    }
    out->currency = monitor->currency();
    return UPK_OK;
  });
}

upk_status upk_ledger_subscribe_alerts(upk_ledger* ledger, const upk_alert_callbacks* callbacks) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(callbacks, "callbacks"); s != UPK_OK) return s;
    // From here on destroy is ours to run: when the ledger goes, or now if this fails.
    auto subscriber = std::make_unique<upkeep::capi::AlertSubscriber>(*callbacks);
    if (callbacks->on_alert == nullptr) return Fail(UPK_NULL_ARGUMENT, "on_alert callback is NULL");
    upkeep::monitor::Monitor* monitor = nullptr;
    if (upk_status s = upkeep::capi::MonitorOf(ledger, &monitor); s != UPK_OK) return s;
    absl::MutexLock lock(&ledger->mu);
    ledger->subscribers.push_back(std::move(subscriber));
    monitor->Subscribe(ledger->subscribers.back().get());
    return UPK_OK;
  });
}

}  // extern "C"
