/* capi/tests/c/plan_test.c: compiling the example policy and planning the sample portfolio. */
#include <stdlib.h>
#include <string.h>

#include "check.h"

upk_policy* load_example_policy(void);
upk_portfolio* load_example_portfolio(void);

upk_policy* load_example_policy(void) {
  size_t size = 0;
  char* json = read_source_file("examples/policy.json", &size);
  upk_policy* policy = NULL;
  CHECK(json != NULL);
  CHECK_OK(upk_policy_compile(&policy, (upk_str){json, size}, NULL));
  free(json);
  return policy;
}

upk_portfolio* load_example_portfolio(void) {
  size_t size = 0;
  char* csv = read_source_file("examples/data/portfolio.csv", &size);
  upk_csv_options options = UPK_CSV_OPTIONS_INIT;
  upk_portfolio* portfolio = NULL;
  options.currency = upk_str_c("CNY");
  CHECK_OK(upk_portfolio_from_csv(&portfolio, NULL, (upk_str){csv, size}, &options));
  free(csv);
  return portfolio;
}

static void check_plan_adds_up(const upk_plan* plan) {
  upk_plan_summary summary = UPK_PLAN_SUMMARY_INIT;
  upk_plan_customer customer = UPK_PLAN_CUSTOMER_INIT;
  upk_plan_tier tier = UPK_PLAN_TIER_INIT;
  int64_t customers_minor = 0, tiers_minor = 0;
  size_t i, tier_customers = 0;
  CHECK_OK(upk_plan_summary_get(&summary, plan));
  CHECK(summary.customer_count == 2000 && summary.tier_count == 4);
  CHECK(strcmp(summary.pool.currency, "CNY") == 0);
  for (i = 0; i < summary.customer_count; ++i) {
    CHECK_OK(upk_plan_customer_get(&customer, plan, i));
    CHECK(customer.tier < 4 && customer.amount_minor >= 0);
    customers_minor += customer.amount_minor;
  }
  for (i = 0; i < summary.tier_count; ++i) {
    CHECK_OK(upk_plan_tier_get(&tier, plan, i));
    tiers_minor += tier.amount_minor;
    tier_customers += tier.customers;
  }
  CHECK(customers_minor == summary.allocated_minor);
  CHECK(tiers_minor == summary.allocated_minor);
  CHECK(tier_customers == 2000);
  CHECK(summary.allocated_minor + summary.reserve_minor + summary.unallocated_minor ==
        summary.pool.amount_minor);
}

void test_plan(void) {
  upk_policy* policy = load_example_policy();
  upk_portfolio* portfolio = load_example_portfolio();
  upk_plan* plan = NULL;
  upk_plan* next = NULL;
  upk_plan_options options = UPK_PLAN_OPTIONS_INIT;
  upk_plan_customer customer = UPK_PLAN_CUSTOMER_INIT;
  upk_plan_summary summary = UPK_PLAN_SUMMARY_INIT;
  upk_plan_tier tier = UPK_PLAN_TIER_INIT;
  upk_str text = UPK_STR_NULL;
  size_t count = 0, index = 0;
  char* out = NULL;

  CHECK_OK(upk_policy_currency(&text, policy));
  CHECK(text.size == 3 && memcmp(text.data, "CNY", 3) == 0);
  CHECK_OK(upk_policy_tier_count(&count, policy));
  CHECK(count == 4);
  CHECK_OK(upk_policy_tier_name(&text, policy, 0));
  CHECK(text.size == 9 && memcmp(text.data, "strategic", 9) == 0);
  CHECK_STATUS(UPK_NOT_FOUND, upk_policy_tier_name(&text, policy, 4));

  CHECK_OK(upk_plan_new(&plan, policy, portfolio, NULL));
  check_plan_adds_up(plan);
  CHECK_OK(upk_plan_find_customer(&index, plan, upk_str_c("C00001")));
  CHECK(index == 0);
  CHECK_STATUS(UPK_NOT_FOUND, upk_plan_find_customer(&index, plan, upk_str_c("C99999")));
  CHECK_OK(upk_plan_customer_get(&customer, plan, index));
  CHECK(customer.id.size == 6 && memcmp(customer.id.data, "C00001", 6) == 0);
  CHECK_STATUS(UPK_NOT_FOUND, upk_plan_customer_get(&customer, plan, 2000));
  CHECK_STATUS(UPK_NOT_FOUND, upk_plan_tier_get(&tier, plan, 4));
  CHECK_OK(upk_plan_explain_tier(&out, plan, 0));
  CHECK(out != NULL && strlen(out) > 10);
  upk_string_free(out);
  CHECK_OK(upk_plan_explain_amount(&out, plan, 0));
  CHECK(out != NULL && strlen(out) > 10);
  upk_string_free(out);
  CHECK_OK(upk_plan_explain_sizing(&out, plan));
  CHECK(out != NULL && strstr(out, "annual customer conference") != NULL);
  upk_string_free(out);
  CHECK_OK(upk_plan_to_json(&out, plan));
  CHECK(out != NULL && strstr(out, "\"customers\"") != NULL && strstr(out, "C02000") != NULL);
  upk_string_free(out);
  CHECK_STATUS(UPK_NOT_FOUND, upk_plan_explain_amount(&out, plan, 5000));

  /* A given pool, and last period's plan for hysteresis. */
  options.has_pool = 1;
  options.pool.amount_minor = 1000000000;
  memcpy(options.pool.currency, "CNY", 4);
  options.previous = plan;
  CHECK_OK(upk_plan_new(&next, policy, portfolio, &options));
  CHECK_OK(upk_plan_summary_get(&summary, next));
  CHECK(summary.pool.amount_minor == 1000000000);
  upk_plan_free(next);
  memcpy(options.pool.currency, "USD", 4);
  next = NULL;
  CHECK_STATUS(UPK_CURRENCY_MISMATCH, upk_plan_new(&next, policy, portfolio, &options));
  CHECK(next == NULL);
  options.pool.amount_minor = -5;
  memcpy(options.pool.currency, "CNY", 4);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_plan_new(&next, policy, portfolio, &options));

  /* Bad documents. */
  {
    upk_policy* bad = NULL;
    const char bad_utf8[] = {'{', (char)0xFF, '}'};
    CHECK_STATUS(UPK_POLICY_INVALID, upk_policy_compile(&bad, upk_str_c("{not json"), NULL));
    CHECK_STATUS(UPK_POLICY_INVALID,
                 upk_policy_compile(&bad, upk_str_c("{\"upkeep_policy\": 1}"), NULL));
    CHECK_STATUS(UPK_INVALID_UTF8, upk_policy_compile(&bad, (upk_str){bad_utf8, 3}, NULL));
    CHECK(bad == NULL);
  }
  upk_plan_free(plan);
  upk_portfolio_free(portfolio);
  upk_policy_free(policy);
}
