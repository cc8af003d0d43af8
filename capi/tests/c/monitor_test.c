/* capi/tests/c/monitor_test.c: monitoring from C: attach, alerts pulled (structs and JSON) and
 * pushed to a subscriber (destroy exactly once), metrics, reports, and their error paths. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ledger_fixture.h"

/* What the test subscriber saw. */
typedef struct seen_alerts {
  int count;
  int destroyed;
  int last_cleared;
  int64_t last_threshold_bp;
  int64_t last_used_minor;
  char last_rule[32];
  char last_key[32];
  int message_nonempty;
} seen_alerts;

static void on_alert(void* user_data, const upk_alert* alert) {
  seen_alerts* seen = (seen_alerts*)user_data;
  size_t n = alert->rule_id.size < sizeof(seen->last_rule) - 1 ? alert->rule_id.size
                                                               : sizeof(seen->last_rule) - 1;
  ++seen->count;
  seen->last_cleared = alert->cleared;
  seen->last_threshold_bp = alert->threshold_bp;
  seen->last_used_minor = alert->metrics.used_minor;
  memcpy(seen->last_rule, alert->rule_id.data, n);
  seen->last_rule[n] = '\0';
  n = alert->scope.key.size < sizeof(seen->last_key) - 1 ? alert->scope.key.size
                                                         : sizeof(seen->last_key) - 1;
  memcpy(seen->last_key, alert->scope.key.data, n);
  seen->last_key[n] = '\0';
  seen->message_nonempty = alert->message.size > 0;
}

static void on_destroy(void* user_data) { ++((seen_alerts*)user_data)->destroyed; }

static upk_alert_callbacks subscriber(seen_alerts* seen) {
  upk_alert_callbacks callbacks = UPK_ALERT_CALLBACKS_INIT;
  callbacks.user_data = seen;
  callbacks.on_alert = on_alert;
  callbacks.destroy = on_destroy;
  return callbacks;
}

static size_t pull(upk_alert_list* list, upk_ledger* ledger, int32_t which) {
  size_t count = 0;
  CHECK_OK(upk_ledger_alerts(list, ledger, which));
  CHECK_OK(upk_alert_list_count(&count, list));
  return count;
}

static int json_has(char* json, const char* part) {
  int found = json != NULL && strstr(json, part) != NULL;
  upk_string_free(json);
  return found;
}

/* Calls that need monitoring fail with UPK_INVALID_STATE before it is attached. */
static void test_not_attached(upk_ledger* ledger) {
  upk_alert_list* list = NULL;
  seen_alerts seen;
  upk_alert_callbacks callbacks = subscriber(&seen);
  upk_metrics metrics = UPK_METRICS_INIT;
  upk_metrics_request request = UPK_METRICS_REQUEST_INIT;
  upk_budget_report_request report = UPK_BUDGET_REPORT_REQUEST_INIT;
  char* json = NULL;
  memset(&seen, 0, sizeof(seen));
  request.scope = envelope_scope("c1");
  report.period = upk_str_c("2026-Q1");
  CHECK_OK(upk_alert_list_new(&list));
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_alerts(list, ledger, UPK_ALERTS_ACTIVE));
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_sweep(ledger, 1));
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_metrics(&metrics, ledger, &request));
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_budget_report_json(&json, ledger, &report));
  CHECK(json == NULL);
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_subscribe_alerts(ledger, &callbacks));
  CHECK(seen.destroyed == 1); /* a failed subscription runs destroy at once */
  upk_alert_list_free(list);
}

static void test_attach_errors(upk_ledger* ledger, const upk_policy* policy) {
  upk_monitor_options options = UPK_MONITOR_OPTIONS_INIT;
  upk_policy* usd = NULL;
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_attach_monitoring(NULL, policy, NULL));
  options.alert_log_max = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_attach_monitoring(ledger, policy, &options));
  options.alert_log_max = 10;
  options.size = sizeof(options) - 1;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_attach_monitoring(ledger, policy, &options));
  CHECK_OK(upk_policy_compile(
      &usd,
      upk_str_c("{\"upkeep_policy\": 1, \"currency\": \"USD\", \"tiers\": [\"A\"], "
                "\"classification\": {\"classifier\": \"threshold\", \"metric\": \"revenue\", "
                "\"thresholds\": []}, \"allocation\": {\"policy\": \"tier_shares\", "
                "\"shares_pct\": {\"A\": 100}}}"),
      NULL));
  CHECK_STATUS(UPK_CURRENCY_MISMATCH, upk_ledger_attach_monitoring(ledger, usd, NULL));
  upk_policy_free(usd);
}

static void test_subscribe_errors(upk_ledger* ledger) {
  seen_alerts seen;
  upk_alert_callbacks callbacks = subscriber(&seen);
  memset(&seen, 0, sizeof(seen));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_subscribe_alerts(ledger, NULL));
  callbacks.size = 3;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_subscribe_alerts(ledger, &callbacks));
  CHECK(seen.destroyed == 0); /* a table of unknown size is not trusted, not even destroy */
  callbacks.size = sizeof(callbacks);
  callbacks.on_alert = NULL;
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_subscribe_alerts(ledger, &callbacks));
  CHECK(seen.destroyed == 1);
  callbacks = subscriber(&seen);
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_subscribe_alerts(NULL, &callbacks));
  CHECK(seen.destroyed == 2);
}

static void test_alert_lists(upk_ledger* ledger) {
  upk_alert_list* list = NULL;
  upk_alert alert = UPK_ALERT_INIT;
  char* json = NULL;
  CHECK_OK(upk_alert_list_new(&list));
  CHECK(pull(list, ledger, UPK_ALERTS_ACTIVE) == 1);
  CHECK_OK(upk_alert_list_get(&alert, list, 0));
  CHECK(alert.kind == UPK_ALERT_THRESHOLD && alert.cleared == 0 && alert.threshold_bp == 5000);
  CHECK(alert.rule_id.size == 5 && memcmp(alert.rule_id.data, "usage", 5) == 0);
  CHECK(alert.scope.kind == UPK_SCOPE_CUSTOMER && alert.scope.key.size == 2);
  CHECK(alert.metrics.budget_minor == 10000 && alert.metrics.reserved_minor == 6000);
  CHECK(alert.metrics.utilization_bp == 6000 && alert.message.size > 0);
  CHECK(strcmp(upk_alert_kind_name(alert.kind), "threshold") == 0);
  CHECK(strcmp(upk_alert_kind_name(99), "unknown") == 0);
  CHECK_STATUS(UPK_NOT_FOUND, upk_alert_list_get(&alert, list, 1));
  alert.size = 8;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_alert_list_get(&alert, list, 0));
  CHECK_OK(upk_alert_list_to_json(&json, list));
  CHECK(json_has(json, "\"rule\":\"usage\""));
  CHECK(pull(list, ledger, UPK_ALERTS_NEW) == 1);
  CHECK(pull(list, ledger, UPK_ALERTS_NEW) == 0); /* taken */
  CHECK(pull(list, ledger, UPK_ALERTS_LOG) == 1);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_alerts(list, ledger, 7));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_alerts(NULL, ledger, UPK_ALERTS_LOG));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_alerts(list, NULL, UPK_ALERTS_LOG));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_alert_list_to_json(NULL, list));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_alert_list_count(NULL, list));
  upk_alert_list_free(list);
  upk_alert_list_free(NULL);
}

static void test_metrics(const upk_ledger* ledger) {
  upk_metrics metrics = UPK_METRICS_INIT;
  upk_metrics_request request = UPK_METRICS_REQUEST_INIT;
  const char bad_utf8[] = {'c', (char)0xFF};
  char* json = NULL;
  request.scope = envelope_scope("c1");
  request.now_micros = INT64_C(2051222400000000); /* half of the period [0, 2100-01-01) */
  CHECK_OK(upk_ledger_metrics(&metrics, ledger, &request));
  CHECK(metrics.budget_minor == 10000 && metrics.used_minor == 8500);
  CHECK(metrics.elapsed_bp == 5000 && metrics.projected_minor == 17000);
  CHECK(metrics.plan_minor == 10000 && metrics.variance_minor == 7000);
  request.has_plan = 1;
  request.plan_minor = 20000;
  CHECK_OK(upk_ledger_metrics(&metrics, ledger, &request));
  CHECK(metrics.variance_minor == -3000);
  CHECK_OK(upk_ledger_forecast_json(&json, ledger, &request));
  CHECK(json_has(json, "\"projected\":\"170.00\""));
  request.scope = envelope_scope("nobody");
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_metrics(&metrics, ledger, &request));
  request.scope.key.data = bad_utf8;
  request.scope.key.size = sizeof(bad_utf8);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_metrics(&metrics, ledger, &request));
  request.scope = envelope_scope("c1");
  request.scope.key.size = 9; /* lies: "c1" then NUL */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_forecast_json(&json, ledger, &request));
  request.scope = envelope_scope("c1");
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_metrics(&metrics, ledger, NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_metrics(NULL, ledger, &request));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_forecast_json(NULL, ledger, &request));
  metrics.size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_metrics(&metrics, ledger, &request));
}

static void test_reports(const upk_ledger* ledger) {
  upk_budget_report_request budget = UPK_BUDGET_REPORT_REQUEST_INIT;
  upk_utilization_request utilization = UPK_UTILIZATION_REQUEST_INIT;
  char* json = NULL;
  budget.period = upk_str_c("2026-Q1");
  CHECK_OK(upk_ledger_budget_report_json(&json, ledger, &budget));
  CHECK(json_has(json, "\"report\":\"budget_vs_actual\""));
  budget.group_by = UPK_DIMENSION_OWNER;
  CHECK_OK(upk_ledger_budget_report_json(&json, ledger, &budget));
  CHECK(json_has(json, "\"key\":\"amy\""));
  budget.group_by = 6;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_budget_report_json(&json, ledger, &budget));
  budget.group_by = UPK_DIMENSION_TIER;
  budget.period = upk_str_c("1999");
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_budget_report_json(&json, ledger, &budget));
  budget.period.size = 100; /* lies */
  json = NULL;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_budget_report_json(&json, ledger, &budget));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_budget_report_json(&json, ledger, NULL));
  CHECK(json == NULL); /* out-parameters are left unchanged on failure */

  utilization.period = upk_str_c("2026-Q1");
  utilization.now_micros = INT64_C(2051222400000000);
  CHECK_OK(upk_ledger_utilization_json(&json, ledger, &utilization));
  CHECK(json_has(json, "\"projected\":\"170.00\"")); /* tier A, as its one customer c1 */
  CHECK_OK(upk_ledger_utilization_json(&json, ledger, &utilization));
  CHECK(json_has(json, "\"level\":\"tier\""));
  utilization.level = UPK_SCOPE_CUSTOMER;
  utilization.category = upk_str_c("gift");
  CHECK_OK(upk_ledger_utilization_json(&json, ledger, &utilization));
  CHECK(json_has(json, "\"key\":\"c2\""));
  utilization.level = 5;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_utilization_json(&json, ledger, &utilization));
  utilization.level = UPK_SCOPE_TIER;
  utilization.period = upk_str_c("nope");
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_utilization_json(&json, ledger, &utilization));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_utilization_json(NULL, ledger, &utilization));
}

void test_monitor(void) {
  upk_policy* policy = make_monitoring_policy();
  upk_ledger* ledger = make_ledger();
  upk_ledger* late = make_ledger();
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("m1", "amy", "c1", 6000);
  upk_settle_request v = UPK_SETTLE_REQUEST_INIT;
  upk_alert_list* list = NULL;
  seen_alerts seen;
  upk_alert_callbacks callbacks = subscriber(&seen);
  memset(&seen, 0, sizeof(seen));

  test_not_attached(ledger);
  test_attach_errors(ledger, policy);
  CHECK_OK(upk_ledger_attach_monitoring(ledger, policy, NULL));
  CHECK_STATUS(UPK_ALREADY_EXISTS, upk_ledger_attach_monitoring(ledger, policy, NULL));
  test_subscribe_errors(ledger);
  CHECK_OK(upk_ledger_subscribe_alerts(ledger, &callbacks));

  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r)); /* 60 % of c1's 100.00 */
  CHECK(seen.count == 1 && seen.last_threshold_bp == 5000 && seen.last_cleared == 0);
  CHECK(strcmp(seen.last_rule, "usage") == 0 && strcmp(seen.last_key, "c1") == 0);
  CHECK(seen.last_used_minor == 6000 && seen.message_nonempty);
  test_alert_lists(ledger);
  r = make_request("m2", "amy", "c1", 2500); /* 85 % */
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK(seen.count == 2 && seen.last_threshold_bp == 8000);
  test_metrics(ledger);
  test_reports(ledger);
  v.op_id = upk_str_c("v2");
  v.actor = upk_str_c("amy");
  v.target_id = upk_str_c("m2");
  CHECK_OK(upk_ledger_void(ledger, &v)); /* back to 60 %: the 80 % alert clears */
  CHECK(seen.count == 3 && seen.last_cleared == 1 && seen.last_threshold_bp == 8000);
  CHECK_OK(upk_ledger_sweep(ledger, INT64_C(2051222400000000)));
  CHECK(seen.count == 3); /* threshold rules do not depend on time */

  /* Attached late: the journal is replayed, the past alert is active but not delivered. */
  r = make_request("m1", "amy", "c1", 6000);
  CHECK_OK(upk_ledger_reserve(&result, NULL, late, &r));
  CHECK_OK(upk_ledger_attach_monitoring(late, policy, NULL));
  CHECK_OK(upk_alert_list_new(&list));
  CHECK(pull(list, late, UPK_ALERTS_ACTIVE) == 1);
  upk_alert_list_free(list);
  upk_ledger_free(late);

  CHECK(seen.destroyed == 0);
  upk_ledger_free(ledger);
  CHECK(seen.destroyed == 1); /* once, when the ledger goes */
  upk_policy_free(policy);
}
