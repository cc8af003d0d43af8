/* capi/tests/c/rollover_test.c: period close with rollover from C, and its error paths (which
 * change nothing). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ledger_fixture.h"

/* 2026-Q2 with gift envelopes of 10.00 for c1 and c2. */
static void allocate_next_period(upk_ledger* ledger) {
  upk_budget_request budget = UPK_BUDGET_REQUEST_INIT;
  upk_envelope envelopes[2] = {{UPK_STR_LIT("c1"), UPK_STR_LIT(""), 1000},
                               {UPK_STR_LIT("c2"), UPK_STR_LIT(""), 1000}};
  CHECK_OK(upk_ledger_define_period(ledger, upk_str_c("fin"), upk_str_c("2026-Q2"),
                                    INT64_C(4102444800000000), INT64_C(4133980800000000)));
  budget.op_id = upk_str_c("budget-q2");
  budget.actor = upk_str_c("fin");
  budget.period = upk_str_c("2026-Q2");
  budget.category = upk_str_c("gift");
  CHECK_OK(upk_ledger_apply_allocation(ledger, &budget, envelopes, 2));
}

static upk_close_request close_request(void) {
  upk_close_request r = UPK_CLOSE_REQUEST_INIT;
  r.actor = upk_str_c("fin");
  r.period = upk_str_c("2026-Q1");
  r.next_period = upk_str_c("2026-Q2");
  return r;
}

/* Every bad close fails with its own status and leaves the journal as it was. */
static void test_close_errors(upk_ledger* ledger, const upk_policy* policy) {
  upk_rollover_summary summary = UPK_ROLLOVER_SUMMARY_INIT;
  upk_close_request r = close_request();
  upk_policy* plain = NULL;
  char* plan = NULL;
  const char bad_utf8[] = {'f', 'i', (char)0xC0};
  uint64_t before = 0, after = 0;
  CHECK_OK(upk_ledger_journal_size(&before, ledger));

  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_close_and_rollover(NULL, NULL, ledger, policy, &r));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_close_and_rollover(&summary, NULL, NULL, policy, &r));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_close_and_rollover(&summary, NULL, ledger, NULL, &r));
  CHECK_STATUS(UPK_NULL_ARGUMENT,
               upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, NULL));
  r.size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT,
               upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r = close_request();
  r.actor.data = bad_utf8;
  r.actor.size = sizeof(bad_utf8);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r = close_request();
  r.period.size = 30; /* lies */
  CHECK_STATUS(UPK_INVALID_ARGUMENT,
               upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r = close_request();
  r.actor = upk_str_c("amy"); /* an account manager may not close */
  CHECK_STATUS(UPK_PERMISSION_DENIED,
               upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r = close_request();
  r.next_period = upk_str_c("2027-Q1");
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r = close_request();
  r.period = upk_str_c("1999-Q1");
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r = close_request();
  r.carry_lots_json = upk_str_c("{\"c1/gift\": [[1, 5]");
  CHECK_STATUS(UPK_PARSE, upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r.carry_lots_json = upk_str_c("{\"c1/gift\": [[0, 5]]}");
  CHECK_STATUS(UPK_PARSE, upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r.carry_lots_json = upk_str_c("[1]");
  CHECK_STATUS(UPK_PARSE, upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r.carry_lots_json =
      upk_str_c("{\"c1/gift\": [[1, 9223372036854775807], [2, 9223372036854775807]]}");
  CHECK_STATUS(UPK_OVERFLOW, upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &r));
  r = close_request();
  CHECK_OK(upk_policy_compile(
      &plain,
      upk_str_c("{\"upkeep_policy\": 1, \"currency\": \"CNY\", \"tiers\": [\"A\", \"B\"], "
                "\"classification\": {\"classifier\": \"threshold\", \"metric\": \"revenue\", "
                "\"thresholds\": [\"1.00\"]}, \"allocation\": {\"policy\": \"tier_shares\", "
                "\"shares_pct\": {\"A\": 50, \"B\": 50}}}"),
      NULL));
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_close_and_rollover(&summary, &plan, ledger, plain, &r));
  CHECK(plan == NULL && summary.settlement_count == 0);
  upk_policy_free(plain);
  CHECK_OK(upk_ledger_journal_size(&after, ledger));
  CHECK(after == before);
}

void test_rollover(void) {
  upk_policy* policy = make_monitoring_policy();
  upk_ledger* ledger = make_ledger();
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("s1", "amy", "c1", 3000);
  upk_rollover_summary summary = UPK_ROLLOVER_SUMMARY_INIT;
  upk_close_request close = close_request();
  upk_balance balance = UPK_BALANCE_INIT;
  upk_scope next = envelope_scope("c1");
  char* plan = NULL;

  allocate_next_period(ledger);
  CHECK_OK(upk_ledger_spend(&result, NULL, ledger, &r));
  r = make_request("r1", "bob", "c2", 1000); /* open at close: released */
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  test_close_errors(ledger, policy);

  close.carry_lots_json = upk_str_c("{}");
  CHECK_OK(upk_ledger_close_and_rollover(&summary, &plan, ledger, policy, &close));
  /* c1 (tier A): 70.00 unused, 20 % of its 100.00 carries, 50.00 forfeits; c2: 50.00 forfeits. */
  CHECK(summary.settlement_count == 2 && summary.unused_minor == 12000);
  CHECK(summary.carried_minor == 2000 && summary.forfeited_minor == 10000);
  CHECK(summary.swept_minor == 0 && summary.moved_minor == 0);
  CHECK(summary.unused_minor == summary.carried_minor + summary.forfeited_minor +
                                    summary.swept_minor + summary.moved_minor);
  CHECK(plan != NULL && strstr(plan, "\"rule_id\":\"vip\"") != NULL);
  CHECK(plan != NULL && strstr(plan, "\"mode\":\"carry_capped\"") != NULL);
  CHECK(strstr(plan, "\"level\":\"customer\"") != NULL);
  upk_string_free(plan);
  next.period = upk_str_c("2026-Q2");
  CHECK_OK(upk_ledger_balance(&balance, ledger, &next));
  CHECK(balance.budget_minor == 3000);
  CHECK_STATUS(UPK_INVALID_STATE,
               upk_ledger_close_and_rollover(&summary, NULL, ledger, policy, &close));
  r = make_request("late", "amy", "c1", 1);
  CHECK_STATUS(UPK_PERIOD_CLOSED, upk_ledger_reserve(&result, NULL, ledger, &r));
  upk_ledger_free(ledger);
  upk_policy_free(policy);
}
