/* capi/tests/c/callbacks_test.c: custom classifier, allocation and control policies from C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ledger_fixture.h"

upk_portfolio* load_example_portfolio(void);

/* Counts destroy calls per user_data. */
typedef struct counter {
  int calls;
  int destroyed;
  int fail;
} counter;

static void destroy_counter(void* user_data) { ((counter*)user_data)->destroyed++; }

/* The integer after "key": in a JSON object text, or `otherwise`. */
static long long json_int(upk_str json, const char* key, long long otherwise) {
  char pattern[64];
  const char* at;
  char text[512];
  size_t n = json.size < sizeof(text) - 1 ? json.size : sizeof(text) - 1;
  memcpy(text, json.data, n);
  text[n] = '\0';
  snprintf(pattern, sizeof(pattern), "\"%s\":", key);
  at = strstr(text, pattern);
  return at == NULL ? otherwise : strtoll(at + strlen(pattern), NULL, 10);
}

/* host_top_by_revenue: tier 0 for revenue >= params.min_revenue_minor, else the last tier. */
static upk_status classify_by_revenue(void* user_data, upk_str params_json,
                                      const upk_portfolio* portfolio, size_t tier_count,
                                      uint32_t* tier_out, double* score_out, size_t count) {
  counter* c = (counter*)user_data;
  size_t i;
  const long long min_revenue_minor = json_int(params_json, "min_revenue_minor", -1);
  c->calls++;
  if (c->fail) return upk_callback_fail("classifier asked to fail");
  if (min_revenue_minor < 0) return upk_callback_fail("params: min_revenue_minor is required");
  for (i = 0; i < count; ++i) {
    double revenue = 0;
    upk_status s = upk_portfolio_metric(&revenue, portfolio, upk_str_c("revenue"), i);
    if (s != UPK_OK) return s;
    tier_out[i] = revenue >= (double)min_revenue_minor ? 0 : (uint32_t)(tier_count - 1);
    score_out[i] = revenue;
  }
  return UPK_OK;
}

/* Evenly, the remainder to the first customers. */
static upk_status allocate_evenly(void* user_data, upk_str params_json,
                                  const upk_allocation_input* input, int64_t* amount_out,
                                  uint64_t* weight_out, int64_t* unallocated_out) {
  counter* c = (counter*)user_data;
  size_t i;
  int64_t share, rest;
  (void)params_json;
  c->calls++;
  if (input->count == 0) {
    *unallocated_out = input->pool.amount_minor;
    return UPK_OK;
  }
  share = input->pool.amount_minor / (int64_t)input->count;
  rest = input->pool.amount_minor % (int64_t)input->count;
  for (i = 0; i < input->count; ++i) {
    amount_out[i] = share + ((int64_t)i < rest ? 1 : 0);
    weight_out[i] = 1;
  }
  *unallocated_out = c->fail ? 1 : 0; /* failing: does not add up */
  return UPK_OK;
}

/* host_max_gift: rejects any request above params.max_minor. */
static upk_status no_big_gifts(void* user_data, upk_str params_json,
                               const upk_control_context* context, upk_control_verdict* verdict) {
  counter* c = (counter*)user_data;
  const long long max_minor = json_int(params_json, "max_minor", -1);
  c->calls++;
  if (c->fail) return upk_callback_fail("control asked to fail");
  if (max_minor < 0) return upk_callback_fail("params: max_minor is required");
  if (context->amount_minor <= max_minor) return UPK_OK;
  return upk_control_verdict_add(verdict, UPK_OUTCOME_REJECT, context->amount_minor - max_minor,
                                 upk_str_c("the gift is above the maximum"),
                                 upk_str_c("ask for less"));
}

static const char* const kCustomPolicy =
    "{\"upkeep_policy\": 1, \"currency\": \"CNY\", \"tiers\": [\"big\", \"small\"],"
    " \"classification\": {\"classifier\": \"host_top_by_revenue\", \"min_revenue_minor\": "
    "30000000},"
    " \"allocation\": {\"policy\": \"evenly\"}}";

static void test_custom_plan(upk_registry* registry, counter* classifier, counter* allocation) {
  upk_policy* policy = NULL;
  upk_portfolio* portfolio = load_example_portfolio();
  upk_plan* plan = NULL;
  upk_plan_options options = UPK_PLAN_OPTIONS_INIT;
  upk_plan_summary summary = UPK_PLAN_SUMMARY_INIT;
  upk_plan_customer customer = UPK_PLAN_CUSTOMER_INIT;
  CHECK_OK(upk_policy_compile(&policy, upk_str_c(kCustomPolicy), registry));
  options.has_pool = 1;
  options.pool.amount_minor = 1000001;
  memcpy(options.pool.currency, "CNY", 4);
  CHECK_OK(upk_plan_new(&plan, policy, portfolio, &options));
  CHECK(classifier->calls == 1 && allocation->calls == 1);
  CHECK_OK(upk_plan_summary_get(&summary, plan));
  CHECK(summary.allocated_minor == 1000001);
  CHECK_OK(upk_plan_customer_get(&customer, plan, 0));
  CHECK(customer.tier_reason == UPK_TIER_BY_CUSTOM && customer.amount_minor == 501);
  upk_plan_free(plan);

  classifier->fail = 1;
  plan = NULL;
  CHECK_STATUS(UPK_CALLBACK_FAILED, upk_plan_new(&plan, policy, portfolio, &options));
  CHECK(strstr(upk_last_error_message(), "classifier asked to fail") != NULL);
  classifier->fail = 0;
  allocation->fail = 1;
  CHECK_STATUS(UPK_CALLBACK_FAILED, upk_plan_new(&plan, policy, portfolio, &options));
  CHECK(plan == NULL);
  allocation->fail = 0;
  upk_portfolio_free(portfolio);
  upk_policy_free(policy); /* the registry still holds the callbacks */
}

static void test_custom_control(upk_registry* registry, counter* control) {
  upk_ledger* ledger = make_ledger();
  upk_decision* details = NULL;
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("cc1", "amy", "c1", 2500);
  upk_reason reason = UPK_REASON_INIT;
  CHECK_OK(upk_decision_new(&details));
  CHECK_OK(upk_ledger_set_policies(
      ledger, upk_str_c("admin"),
      upk_str_c("{\"availability\": [{\"id\": \"all-ignore\", \"level\": \"company\", \"mode\": "
                "\"ignore\"}], \"custom\": [{\"id\": \"small-gifts\", \"policy\": "
                "\"host_max_gift\", \"params\": {\"max_minor\": 2000}}]}"),
      registry));
  CHECK_OK(upk_ledger_reserve(&result, details, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_REJECT && control->calls >= 1);
  CHECK_OK(upk_decision_reason(&reason, details, 0));
  CHECK(reason.shortfall_minor == 500 && reason.rule_id.size == strlen("small-gifts"));
  r = make_request("cc2", "amy", "c1", 1500);
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_APPROVE);
  control->fail = 1; /* fails closed */
  r = make_request("cc3", "amy", "c1", 100);
  CHECK_OK(upk_ledger_reserve(&result, details, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_REJECT);
  CHECK_OK(upk_decision_reason(&reason, details, 0));
  CHECK(reason.message.size > 0 && strstr(reason.message.data, "control asked to fail") != NULL);
  control->fail = 0;
  upk_decision_free(details);
  upk_ledger_free(ledger);
}

/* The shared case file runs through upk_run_policy_tests with these C policies. */
static void test_case_file(upk_registry* registry) {
  size_t size = 0;
  char* cases = read_source_file("capi/tests/data/policy_cases.json", &size);
  char* report = NULL;
  upk_test_summary summary = UPK_TEST_SUMMARY_INIT;
  CHECK(cases != NULL);
  CHECK_OK(upk_run_policy_tests(&summary, &report, (upk_str){cases, size}, registry));
  CHECK(summary.passed == 6 && summary.failed == 0);
  CHECK(report != NULL && strstr(report, "6 passed, 0 failed") != NULL);
  if (summary.failed != 0 && report != NULL) fprintf(stderr, "%s\n", report);
  upk_string_free(report);
  free(cases);
}

void test_callbacks(void) {
  upk_registry* registry = NULL;
  counter classifier = {0, 0, 0}, allocation = {0, 0, 0}, control = {0, 0, 0}, dup = {0, 0, 0};
  upk_classifier_callbacks cc = UPK_CLASSIFIER_CALLBACKS_INIT;
  upk_allocation_callbacks ac = UPK_ALLOCATION_CALLBACKS_INIT;
  upk_control_callbacks kc = UPK_CONTROL_CALLBACKS_INIT;

  CHECK_OK(upk_registry_new(&registry));
  cc.user_data = &classifier;
  cc.classify = classify_by_revenue;
  cc.destroy = destroy_counter;
  CHECK_OK(upk_registry_add_classifier(registry, upk_str_c("host_top_by_revenue"), &cc));
  ac.user_data = &allocation;
  ac.allocate = allocate_evenly;
  ac.destroy = destroy_counter;
  CHECK_OK(upk_registry_add_allocation(registry, upk_str_c("evenly"), &ac));
  kc.user_data = &control;
  kc.evaluate = no_big_gifts;
  kc.destroy = destroy_counter;
  CHECK_OK(upk_registry_add_control(registry, upk_str_c("host_max_gift"), &kc));

  /* A failed registration runs destroy at once. */
  cc.user_data = &dup;
  CHECK_STATUS(UPK_ALREADY_EXISTS,
               upk_registry_add_classifier(registry, upk_str_c("host_top_by_revenue"), &cc));
  CHECK(dup.destroyed == 1);
  cc.classify = NULL;
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_registry_add_classifier(registry, upk_str_c("x"), &cc));
  CHECK(dup.destroyed == 2);
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_registry_add_classifier(registry, upk_str_c("x"), NULL));

  test_custom_plan(registry, &classifier, &allocation);
  test_custom_control(registry, &control);
  test_case_file(registry);
  CHECK(classifier.destroyed == 0 && allocation.destroyed == 0 && control.destroyed == 0);
  upk_registry_free(registry);
  CHECK(classifier.destroyed == 1 && allocation.destroyed == 1 && control.destroyed == 1);
}
