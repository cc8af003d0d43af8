/* capi/tests/c/ledger_test.c: budgets, reservations, spends, decisions, approvals, journal. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ledger_fixture.h"

upk_policy* load_example_policy(void);
upk_portfolio* load_example_portfolio(void);

static upk_balance balance_of(const upk_ledger* ledger, const char* customer) {
  upk_balance b = UPK_BALANCE_INIT;
  upk_scope scope = envelope_scope(customer);
  CHECK_OK(upk_ledger_balance(&b, ledger, &scope));
  return b;
}

static upk_settle_request settle(const char* op_id, const char* actor, const char* target) {
  upk_settle_request s = UPK_SETTLE_REQUEST_INIT;
  s.op_id = upk_str_c(op_id);
  s.actor = upk_str_c(actor);
  s.target_id = upk_str_c(target);
  return s;
}

static void test_reserve_and_decisions(upk_ledger* ledger, upk_decision* details) {
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("r1", "amy", "c1", 3000);
  upk_reason reason = UPK_REASON_INIT;
  size_t count = 0;
  int32_t outcome = -1;
  char* text = NULL;

  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_APPROVE && result.replayed == 0);
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r)); /* a retry */
  CHECK(result.outcome == UPK_OUTCOME_APPROVE && result.replayed == 1);
  r.amount.amount_minor = 3100;
  CHECK_STATUS(UPK_IDEMPOTENCY_CONFLICT, upk_ledger_reserve(&result, NULL, ledger, &r));

  r = make_request("r2", "amy", "c1", 8000); /* 70.00 left */
  CHECK_OK(upk_ledger_check(&result, details, ledger, &r, 0));
  CHECK(result.outcome == UPK_OUTCOME_REJECT && result.reason_count >= 1);
  CHECK_OK(upk_ledger_reserve(&result, details, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_REJECT);
  CHECK_OK(upk_decision_outcome(&outcome, details));
  CHECK(outcome == UPK_OUTCOME_REJECT);
  CHECK_OK(upk_decision_reason_count(&count, details));
  CHECK(count == result.reason_count && count >= 1);
  CHECK_OK(upk_decision_reason(&reason, details, 0));
  CHECK(reason.outcome == UPK_OUTCOME_REJECT);
  CHECK(reason.rule_id.size == strlen("envelope-block") &&
        memcmp(reason.rule_id.data, "envelope-block", reason.rule_id.size) == 0);
  CHECK(reason.shortfall_minor == 1000 && reason.requested_minor == 8000);
  CHECK(reason.balance.available_minor == 7000 && reason.scope.kind == UPK_SCOPE_CUSTOMER);
  CHECK(reason.remedy.size > 0);
  CHECK_STATUS(UPK_NOT_FOUND, upk_decision_reason(&reason, details, count));
  CHECK_OK(upk_decision_explain(&text, details));
  CHECK(text != NULL && strstr(text, "reject") != NULL);
  upk_string_free(text);
  CHECK_OK(upk_decision_to_json(&text, details));
  CHECK(text != NULL && strstr(text, "\"rule_id\":\"envelope-block\"") != NULL);
  upk_string_free(text);
  CHECK(balance_of(ledger, "c1").reserved_minor == 3000); /* the rejection changed nothing */

  r = make_request("r2b", "amy", "c1", 1000);
  r.explain = 1;
  CHECK_OK(upk_ledger_check(&result, details, ledger, &r, 1));
  CHECK(result.outcome == UPK_OUTCOME_APPROVE && result.reason_count >= 1);
}

static void test_settle(upk_ledger* ledger) {
  upk_result result = UPK_RESULT_INIT;
  upk_request r;
  upk_settle_request s = settle("p1", "amy", "r1");
  upk_reservation info = UPK_RESERVATION_INIT;
  upk_balance b;
  int64_t expired = -1;

  s.has_amount = 1;
  s.amount.amount_minor = 2000;
  memcpy(s.amount.currency, "CNY", 4);
  CHECK_OK(upk_ledger_post(ledger, &s));
  CHECK_OK(upk_ledger_reservation(&info, ledger, upk_str_c("r1")));
  CHECK(info.status == UPK_RESERVATION_POSTED && info.posted_minor == 2000);
  b = balance_of(ledger, "c1");
  CHECK(b.budget_minor == 10000 && b.reserved_minor == 0 && b.spent_minor == 2000);
  CHECK(b.available_minor == 8000);
  s = settle("p1-again", "amy", "r1");
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_void(ledger, &s));

  r = make_request("s1", "amy", "c1", 1000);
  CHECK_OK(upk_ledger_spend(&result, NULL, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_APPROVE);
  CHECK(balance_of(ledger, "c1").spent_minor == 3000);
  s = settle("f1", "mia", "s1");
  CHECK_OK(upk_ledger_refund(ledger, &s));
  CHECK(balance_of(ledger, "c1").spent_minor == 2000);
  s.return_to_budget = 7;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_refund(ledger, &s));

  r = make_request("r3", "amy", "c1", 500);
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  s = settle("v3", "amy", "r3");
  CHECK_OK(upk_ledger_void(ledger, &s));
  CHECK_OK(upk_ledger_reservation(&info, ledger, upk_str_c("r3")));
  CHECK(info.status == UPK_RESERVATION_VOIDED);

  r = make_request("r4", "amy", "c1", 500);
  r.expiry_micros = 5;
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK_OK(upk_ledger_expire(&expired, ledger, upk_str_c("mia"), 10));
  CHECK(expired == 1);
  CHECK(balance_of(ledger, "c1").reserved_minor == 0);
}

static void test_budget_changes(upk_ledger* ledger) {
  upk_budget_change change = UPK_BUDGET_CHANGE_INIT;
  change.op_id = upk_str_c("t1");
  change.actor = upk_str_c("fin");
  change.scope = envelope_scope("c1");
  change.to = envelope_scope("c2");
  change.amount.amount_minor = 1000;
  memcpy(change.amount.currency, "CNY", 4);
  change.reason = upk_str_c("c2 has a trade fair");
  CHECK_OK(upk_ledger_transfer(ledger, &change));
  CHECK(balance_of(ledger, "c1").budget_minor == 9000);
  CHECK(balance_of(ledger, "c2").budget_minor == 6000);
  change.op_id = upk_str_c("v1");
  change.scope = envelope_scope("c2");
  change.amount.amount_minor = 7000; /* more than tier B holds */
  change.reason = upk_str_c("mid-period revision");
  CHECK_STATUS(UPK_INSUFFICIENT_FUNDS, upk_ledger_revise(ledger, &change));
  change.amount.amount_minor = 5500;
  CHECK_OK(upk_ledger_revise(ledger, &change));
  CHECK(balance_of(ledger, "c2").budget_minor == 5500);
  CHECK(balance_of(ledger, "c2").budget_version >= 3);
  change.op_id = upk_str_c("v2");
  change.actor = upk_str_c("amy");
  CHECK_STATUS(UPK_PERMISSION_DENIED, upk_ledger_revise(ledger, &change));
  change.actor = upk_str_c("fin");
  change.scope.kind = 99;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_revise(ledger, &change));
}

static void test_batch(upk_ledger* ledger) {
  upk_request requests[3];
  upk_result results[3] = {UPK_RESULT_INIT, UPK_RESULT_INIT, UPK_RESULT_INIT};
  requests[0] = make_request("b1", "bob", "c2", 100);
  requests[1] = make_request("b2", "bob", "c2", 1000000);
  requests[2] = make_request("b3", "bob", "nobody", 100);
  CHECK_OK(upk_ledger_reserve_batch(results, ledger, requests, 3));
  CHECK(results[0].status == UPK_OK && results[0].outcome == UPK_OUTCOME_APPROVE);
  CHECK(results[1].status == UPK_OK && results[1].outcome == UPK_OUTCOME_REJECT);
  CHECK(results[2].status == UPK_NOT_FOUND);
  requests[0] = make_request("bs1", "bob", "c2", 100);
  CHECK_OK(upk_ledger_spend_batch(results, ledger, requests, 1));
  CHECK(results[0].status == UPK_OK && results[0].outcome == UPK_OUTCOME_APPROVE);
  CHECK_OK(upk_ledger_reserve_batch(NULL, ledger, NULL, 0));
  results[1].size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_batch(results, ledger, requests, 2));
}

/* Checks as a batch: each as upk_ledger_check answers it, none seeing the others; nothing
 * changes. */
static void test_check_batch(upk_ledger* ledger) {
  upk_request requests[4];
  upk_result results[4] = {UPK_RESULT_INIT, UPK_RESULT_INIT, UPK_RESULT_INIT, UPK_RESULT_INIT};
  upk_result single = UPK_RESULT_INIT;
  const upk_balance before = balance_of(ledger, "c2");
  const int64_t most_minor = before.available_minor * 3 / 5;
  uint64_t events_before = 0, events_after = 0;
  CHECK_OK(upk_ledger_journal_size(&events_before, ledger));
  requests[0] = make_request("cb1", "bob", "c2", most_minor);
  requests[1] = make_request("cb2", "bob", "c2", most_minor);
  requests[2] = make_request("cb3", "bob", "c2", before.available_minor + 1);
  requests[3] = make_request("cb4", "bob", "nobody", 100);
  CHECK_OK(upk_ledger_check_batch(results, ledger, requests, 4, 1));
  /* both fit on their own, though not together */
  CHECK(results[0].status == UPK_OK && results[0].outcome == UPK_OUTCOME_APPROVE);
  CHECK(results[1].status == UPK_OK && results[1].outcome == UPK_OUTCOME_APPROVE);
  CHECK(results[2].status == UPK_OK && results[2].outcome == UPK_OUTCOME_REJECT);
  CHECK(results[3].status == UPK_NOT_FOUND && results[3].outcome == UPK_OUTCOME_REJECT);
  CHECK_OK(upk_ledger_check(&single, NULL, ledger, &requests[2], 1));
  CHECK(single.outcome == results[2].outcome && single.reason_count == results[2].reason_count);
  requests[0].expiry_micros = 5; /* only a reservation may expire */
  CHECK_OK(upk_ledger_check_batch(results, ledger, requests, 1, 1));
  CHECK(results[0].status == UPK_INVALID_ARGUMENT);
  CHECK_OK(upk_ledger_check_batch(results, ledger, requests, 1, 0));
  CHECK(results[0].status == UPK_OK && results[0].outcome == UPK_OUTCOME_APPROVE);
  CHECK(balance_of(ledger, "c2").reserved_minor == before.reserved_minor);
  CHECK(balance_of(ledger, "c2").spent_minor == before.spent_minor);
  CHECK_OK(upk_ledger_journal_size(&events_after, ledger));
  CHECK(events_after == events_before);
  CHECK_OK(upk_ledger_check_batch(NULL, ledger, NULL, 0, 0));
  results[1].size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_check_batch(results, ledger, requests, 2, 0));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_check_batch(results, ledger, NULL, 1, 0));
}

/* A batch long enough to be loaded ahead (the engine warms from its fifth request on), with bad
 * requests in the middle: each keeps its own answer. */
static void test_long_check_batch(upk_ledger* ledger) {
  enum { kCount = 16 };
  static const char* const kIds[kCount] = {"L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7",
                                           "L8", "L9", "LA", "LB", "LC", "LD", "LE", "LF"};
  upk_request requests[kCount];
  upk_result results[kCount];
  const upk_result empty = UPK_RESULT_INIT;
  const char bad_utf8[] = {'c', (char)0xFF};
  size_t i;
  for (i = 0; i < kCount; ++i) {
    requests[i] = make_request(kIds[i], "bob", i % 2 == 0 ? "c2" : "c1", 100);
    results[i] = empty;
  }
  requests[6].customer = upk_str_c("nobody");
  requests[7].amount.amount_minor = -1;
  requests[9].customer.data = bad_utf8;
  requests[9].customer.size = sizeof(bad_utf8);
  requests[11].actor = upk_str_c("ghost");
  requests[12].amount.amount_minor = 100000000;
  CHECK_OK(upk_ledger_check_batch(results, ledger, requests, kCount, 0));
  for (i = 0; i < kCount; ++i) {
    upk_result single = UPK_RESULT_INIT;
    const upk_status status = upk_ledger_check(&single, NULL, ledger, &requests[i], 0);
    CHECK(results[i].status == status);
    if (status == UPK_OK) CHECK(results[i].outcome == single.outcome);
  }
  CHECK(results[0].status == UPK_OK && results[0].outcome == UPK_OUTCOME_APPROVE);
  CHECK(results[1].status == UPK_PERMISSION_DENIED); /* bob does not own c1 */
  CHECK(results[6].status == UPK_NOT_FOUND);
  CHECK(results[7].status == UPK_INVALID_ARGUMENT);
  CHECK(results[9].status == UPK_INVALID_UTF8);
  CHECK(results[11].status == UPK_NOT_FOUND);
  CHECK(results[12].status == UPK_OK && results[12].outcome == UPK_OUTCOME_REJECT);
  CHECK(results[14].status == UPK_OK && results[14].outcome == UPK_OUTCOME_APPROVE);
}

static void test_envelope_handles(upk_ledger* ledger) {
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("h1", "bob", "", 100);
  uint32_t handle = 0, again = 0;
  const int64_t reserved_before = balance_of(ledger, "c2").reserved_minor;

  CHECK_OK(upk_ledger_resolve_envelope(&handle, ledger, upk_str_c("2026-Q1"), upk_str_c("c2"),
                                       upk_str_c("gift")));
  CHECK(handle != 0);
  CHECK_OK(upk_ledger_resolve_envelope(&again, ledger, upk_str_c("2026-Q1"), upk_str_c("c2"),
                                       upk_str_c("gift")));
  CHECK(again == handle);
  r.period = upk_str_c("");
  r.category = upk_str_c("");
  r.envelope = handle;
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK(result.status == UPK_OK && result.outcome == UPK_OUTCOME_APPROVE);
  CHECK(balance_of(ledger, "c2").reserved_minor == reserved_before + 100);
  /* A handle and names at once, and a handle that names nothing. */
  r.op_id = upk_str_c("h2");
  r.customer = upk_str_c("c2");
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve(&result, NULL, ledger, &r));
  r.customer = upk_str_c("");
  r.envelope = 0x7FFFFFFF;
  CHECK(upk_ledger_reserve(&result, NULL, ledger, &r) != UPK_OK);
  CHECK(balance_of(ledger, "c2").reserved_minor == reserved_before + 100);
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_resolve_envelope(&handle, ledger, upk_str_c("2026-Q1"),
                                                          upk_str_c("nobody"), upk_str_c("gift")));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_resolve_envelope(NULL, ledger, upk_str_c("2026-Q1"),
                                                              upk_str_c("c2"), upk_str_c("gift")));
}

static void test_approvals(upk_ledger* ledger, upk_decision* details) {
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("big-1", "amy", "c1", 4000);
  upk_reservation reservation = UPK_RESERVATION_INIT;
  char* json = NULL;
  CHECK_OK(upk_ledger_set_policies(
      ledger, upk_str_c("admin"),
      upk_str_c("{\"availability\": [{\"id\": \"envelope-block\", \"level\": \"customer\", "
                "\"mode\": \"block\"}, {\"id\": \"upper-ignore\", \"level\": \"tier\", \"mode\": "
                "\"ignore\"}, {\"id\": \"company-ignore\", \"level\": \"company\", \"mode\": "
                "\"ignore\"}], \"limits\": [{\"id\": \"gift-max\", \"category\": \"gift\", "
                "\"per_request_max\": \"30.00\", \"action\": \"require_approval\"}]}"),
      NULL));
  /* Three requests over the per-request maximum wait for approval (reserving nothing yet). */
  CHECK_OK(upk_ledger_reserve(&result, details, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_NEEDS_APPROVAL);
  r = make_request("big-2", "amy", "c1", 3500);
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_NEEDS_APPROVAL);
  r = make_request("big-3", "amy", "c1", 3100);
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK(result.outcome == UPK_OUTCOME_NEEDS_APPROVAL);
  CHECK_OK(upk_ledger_pending_approvals_json(&json, ledger));
  CHECK(json != NULL && strstr(json, "big-1") != NULL && strstr(json, "big-3") != NULL);
  upk_string_free(json);
  CHECK_STATUS(UPK_PERMISSION_DENIED, upk_ledger_approve(&result, NULL, ledger, upk_str_c("amy"),
                                                         upk_str_c("big-1"), upk_str_c("my own")));
  /* Approved: decided again; the limit's reason stays as a warning. */
  CHECK_OK(upk_ledger_approve(&result, details, ledger, upk_str_c("mia"), upk_str_c("big-1"),
                              upk_str_c("key account")));
  CHECK(result.outcome == UPK_OUTCOME_APPROVE_WITH_WARNING);
  CHECK_OK(upk_ledger_reject_approval(ledger, upk_str_c("mia"), upk_str_c("big-2"),
                                      upk_str_c("not now")));
  /* Only the requester may withdraw; once withdrawn it is no longer pending. */
  CHECK_STATUS(UPK_PERMISSION_DENIED,
               upk_ledger_withdraw_approval(ledger, upk_str_c("mia"), upk_str_c("big-3"),
                                            upk_str_c("not mine")));
  CHECK_OK(upk_ledger_withdraw_approval(ledger, upk_str_c("amy"), upk_str_c("big-3"),
                                        upk_str_c("customer declined")));
  CHECK_STATUS(UPK_INVALID_STATE,
               upk_ledger_withdraw_approval(ledger, upk_str_c("amy"), upk_str_c("big-3"),
                                            upk_str_c("again")));
  CHECK_OK(upk_ledger_pending_approvals_json(&json, ledger));
  CHECK(json != NULL && strstr(json, "big-3") == NULL);
  upk_string_free(json);
  CHECK_OK(upk_ledger_reservation(&reservation, ledger, upk_str_c("big-3")));
  CHECK(reservation.status == UPK_RESERVATION_VOIDED && reservation.amount_minor == 3100);
  CHECK_STATUS(UPK_POLICY_INVALID, upk_ledger_set_policies(ledger, upk_str_c("admin"),
                                                           upk_str_c("{\"nope\": 1}"), NULL));
  CHECK_STATUS(UPK_POLICY_INVALID,
               upk_ledger_set_policies(ledger, upk_str_c("admin"), upk_str_c("[1,"), NULL));
}

static void test_reports_and_journal(upk_ledger* ledger) {
  char* json = NULL;
  uint64_t events = 0;
  uint8_t head[32];
  upk_scope scope = envelope_scope("c1");
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("late", "amy", "c1", 100);
  CHECK_OK(upk_ledger_scopes_json(&json, ledger));
  CHECK(json != NULL && strstr(json, "2026-Q1/customer:c1/gift") != NULL);
  upk_string_free(json);
  CHECK_OK(upk_ledger_history_json(&json, ledger, &scope));
  CHECK(json != NULL && strstr(json, "\"op_id\":\"r1\"") != NULL);
  upk_string_free(json);
  CHECK_OK(upk_ledger_dump_state(&json, ledger));
  CHECK(json != NULL && strlen(json) > 0);
  upk_string_free(json);
  CHECK_OK(upk_ledger_journal_size(&events, ledger));
  CHECK(events > 10);
  CHECK_OK(upk_ledger_journal_seal(head, ledger));
  CHECK_OK(upk_ledger_journal_verify(ledger));
  CHECK_OK(upk_ledger_close_period(ledger, upk_str_c("fin"), upk_str_c("2026-Q1")));
  CHECK_STATUS(UPK_PERIOD_CLOSED, upk_ledger_reserve(&result, NULL, ledger, &r));
}

static void test_apply_plan(void) {
  upk_policy* policy = load_example_policy();
  upk_portfolio* portfolio = load_example_portfolio();
  upk_plan* plan = NULL;
  upk_ledger* ledger = NULL;
  upk_ledger_options options = UPK_LEDGER_OPTIONS_INIT;
  upk_budget_request budget = UPK_BUDGET_REQUEST_INIT;
  upk_plan_summary summary = UPK_PLAN_SUMMARY_INIT;
  upk_scope company = UPK_SCOPE_INIT;
  upk_balance b = UPK_BALANCE_INIT;
  CHECK_OK(upk_plan_new(&plan, policy, portfolio, NULL));
  CHECK_OK(upk_plan_summary_get(&summary, plan));
  options.currency = upk_str_c("CNY");
  CHECK_OK(upk_ledger_new(&ledger, &options));
  CHECK_OK(upk_ledger_define_category(ledger, upk_str_c("admin"), upk_str_c("visit")));
  CHECK_OK(upk_ledger_define_period(ledger, upk_str_c("admin"), upk_str_c("FY2026"), 0, 100));
  budget.op_id = upk_str_c("plan-1");
  budget.actor = upk_str_c("admin");
  budget.period = upk_str_c("FY2026");
  budget.category = upk_str_c("visit");
  CHECK_OK(upk_ledger_apply_plan(ledger, &budget, plan));
  company.period = upk_str_c("FY2026");
  company.category = upk_str_c("visit");
  CHECK_OK(upk_ledger_balance(&b, ledger, &company));
  CHECK(b.budget_minor == summary.allocated_minor);
  upk_ledger_free(ledger);
  options.currency = upk_str_c("USD");
  CHECK_OK(upk_ledger_new(&ledger, &options));
  CHECK_STATUS(UPK_CURRENCY_MISMATCH, upk_ledger_apply_plan(ledger, &budget, plan));
  upk_ledger_free(ledger);
  upk_plan_free(plan);
  upk_portfolio_free(portfolio);
  upk_policy_free(policy);
}

void test_ledger(void) {
  upk_ledger* ledger = make_ledger();
  upk_decision* details = NULL;
  CHECK_OK(upk_decision_new(&details));
  test_reserve_and_decisions(ledger, details);
  test_settle(ledger);
  test_budget_changes(ledger);
  test_batch(ledger);
  test_check_batch(ledger);
  test_long_check_batch(ledger);
  test_envelope_handles(ledger);
  test_approvals(ledger, details);
  test_reports_and_journal(ledger);
  upk_decision_free(details);
  upk_ledger_free(ledger);
  test_apply_plan();
}
