/* capi/tests/c/feedback_test.c: the feedback loop from C: outcomes, customer feedback and
 * assessments recorded on a ledger's monitor (one and in bulk), the log and effectiveness as
 * JSON, the proposal (approve, reject, JSON), its simulation and the next plan; and the error
 * paths, which record nothing. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ledger_fixture.h"

static upk_outcome_record outcome(const char* customer, int64_t revenue_minor, int64_t before_minor,
                                  int32_t renewal) {
  upk_outcome_record r = UPK_OUTCOME_RECORD_INIT;
  r.customer = upk_str_c(customer);
  r.period = upk_str_c("2026-Q1");
  r.revenue_minor = revenue_minor;
  r.revenue_before_minor = before_minor;
  r.renewal = renewal;
  return r;
}

static upk_customer_feedback survey(const char* id, const char* customer, int32_t score) {
  upk_customer_feedback f = UPK_CUSTOMER_FEEDBACK_INIT;
  f.id = upk_str_c(id);
  f.customer = upk_str_c(customer);
  f.period = upk_str_c("2026-Q1");
  f.has_satisfaction = 1;
  f.satisfaction = score;
  f.has_recommend = 1;
  f.recommend = score;
  return f;
}

static upk_assessment assessment(const char* id, const char* customer, int32_t rating) {
  upk_assessment a = UPK_ASSESSMENT_INIT;
  a.id = upk_str_c(id);
  a.customer = upk_str_c(customer);
  a.period = upk_str_c("2026-Q1");
  a.author = upk_str_c("mia");
  a.role = UPK_ASSESSOR_MANAGER;
  a.rating = rating;
  a.comment = upk_str_c("less engaged");
  return a;
}

static int contains(const char* text, const char* part) {
  return text != NULL && strstr(text, part) != NULL;
}

/* Bad records fail with their own status and record nothing. */
static void test_record_errors(upk_ledger* ledger) {
  const char bad_utf8[] = {'c', (char)0xC0};
  int32_t result = -1;
  size_t done = 99;
  upk_outcome_record o = outcome("c1", 1, 1, UPK_RENEWAL_RENEWED);
  upk_customer_feedback f = survey("s-bad", "c1", 5);
  upk_assessment a = assessment("a-bad", "c1", 1);
  upk_outcome_record many[2];
  char* log = NULL;

  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_record_outcome(&result, NULL, &o));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_record_outcome(&result, ledger, NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_record_feedback(&result, ledger, NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_record_assessment(&result, ledger, NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_record_outcomes(NULL, ledger, &o, 1));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_record_outcomes(&done, ledger, NULL, 1));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_feedback_json(NULL, ledger));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_feedback_json(&log, NULL));
  o.size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_outcome(&result, ledger, &o));
  o = outcome("c1", 1, 1, UPK_RENEWAL_RENEWED);
  o.customer.data = bad_utf8;
  o.customer.size = sizeof(bad_utf8);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_record_outcome(&result, ledger, &o));
  o = outcome("c9", 1, 1, UPK_RENEWAL_RENEWED);
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_record_outcome(&result, ledger, &o));
  CHECK(contains(upk_last_error_message(), "c9"));
  o = outcome("c1", 1, 1, UPK_RENEWAL_RENEWED);
  o.period = upk_str_c("1999-Q1");
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_record_outcome(&result, ledger, &o));
  o = outcome("c1", -1, 1, UPK_RENEWAL_RENEWED);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_outcome(&result, ledger, &o));
  o = outcome("c1", 1, 1, 7);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_outcome(&result, ledger, &o));
  CHECK(contains(upk_last_error_message(), "renewal"));
  f.satisfaction = 11;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_feedback(&result, ledger, &f));
  CHECK(contains(upk_last_error_message(), "satisfaction"));
  f = survey("s-bad", "c1", -1);
  f.has_satisfaction = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_feedback(&result, ledger, &f));
  f = survey("", "c1", 5);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_feedback(&result, ledger, &f));
  f = survey("s-bad", "c1", 5);
  f.comment.data = bad_utf8;
  f.comment.size = sizeof(bad_utf8);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_record_feedback(&result, ledger, &f));
  a.rating = 3;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_assessment(&result, ledger, &a));
  CHECK(contains(upk_last_error_message(), "rating"));
  a = assessment("a-bad", "c1", 1);
  a.role = 2;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_record_assessment(&result, ledger, &a));
  a = assessment("a-bad", "c9", 1);
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_record_assessment(&result, ledger, &a));
  CHECK(result == -1);

  /* In bulk: stops at the bad one and says where. */
  many[0] = outcome("c1", 200000, 100000, UPK_RENEWAL_RENEWED); /* as recorded: unchanged */
  many[1] = outcome("c9", 1, 1, UPK_RENEWAL_RENEWED);
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_record_outcomes(&done, ledger, many, 2));
  CHECK(done == 1);
  CHECK(contains(upk_last_error_message(), "records[1]"));
  /* A different outcome for (c1, 2026-Q1), which is taken. */
  many[0].revenue_minor = 2;
  CHECK_STATUS(UPK_ALREADY_EXISTS, upk_ledger_record_outcome(&result, ledger, &many[0]));
}

static void test_records(upk_ledger* ledger) {
  int32_t result = -1;
  size_t done = 0;
  upk_outcome_record outcomes[2];
  upk_customer_feedback f = survey("s-c1", "c1", 9);
  upk_assessment a = assessment("a-c2", "c2", -2);
  char* log = NULL;

  outcomes[0] = outcome("c1", 200000, 100000, UPK_RENEWAL_RENEWED);
  outcomes[1] = outcome("c2", 50000, 60000, UPK_RENEWAL_CHURNED);
  CHECK_OK(upk_ledger_record_outcomes(&done, ledger, outcomes, 2));
  CHECK(done == 2);
  CHECK_OK(upk_ledger_record_outcome(&result, ledger, &outcomes[0]));
  CHECK(result == UPK_RECORD_UNCHANGED);
  CHECK_OK(upk_ledger_record_feedback(&result, ledger, &f));
  CHECK(result == UPK_RECORD_ADDED);
  CHECK_OK(upk_ledger_record_feedbacks(&done, ledger, &f, 1));
  CHECK(done == 1);
  f.satisfaction = 3; /* another record under the taken id */
  CHECK_STATUS(UPK_IDEMPOTENCY_CONFLICT, upk_ledger_record_feedback(&result, ledger, &f));
  CHECK_OK(upk_ledger_record_assessments(&done, ledger, &a, 1));
  CHECK_OK(upk_ledger_record_assessment(NULL, ledger, &a));
  a.rating = 1;
  CHECK_STATUS(UPK_IDEMPOTENCY_CONFLICT, upk_ledger_record_assessment(&result, ledger, &a));

  CHECK_OK(upk_ledger_feedback_json(&log, ledger));
  CHECK(contains(log, "\"revenue\":\"2000.00\""));
  CHECK(contains(log, "\"renewal\":\"churned\""));
  CHECK(contains(log, "\"id\":\"s-c1\""));
  CHECK(contains(log, "\"role\":\"manager\""));
  CHECK(!contains(log, "s-bad"));
  upk_string_free(log);
}

static void test_effectiveness(upk_ledger* ledger) {
  upk_effectiveness_request r = UPK_EFFECTIVENESS_REQUEST_INIT;
  char* report = NULL;
  r.period = upk_str_c("2026-Q1");
  CHECK_OK(upk_ledger_effectiveness_json(&report, ledger, &r));
  CHECK(contains(report, "\"report\":\"effectiveness\""));
  CHECK(contains(report, "\"group_by\":\"tier\""));
  CHECK(contains(report, "\"revenue_change\":\"1000.00\""));
  upk_string_free(report);
  r.group_by = UPK_DIMENSION_CUSTOMER;
  CHECK_OK(upk_ledger_effectiveness_json(&report, ledger, &r));
  CHECK(contains(report, "\"key\":\"c2\""));
  CHECK(contains(report, "\"retention_bp\":0"));
  upk_string_free(report);

  report = NULL;
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_effectiveness_json(NULL, ledger, &r));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_effectiveness_json(&report, ledger, NULL));
  r.group_by = 6;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_effectiveness_json(&report, ledger, &r));
  r.group_by = UPK_DIMENSION_TIER;
  r.period = upk_str_c("1999-Q1");
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_effectiveness_json(&report, ledger, &r));
  r.period.size = 30; /* lies */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_effectiveness_json(&report, ledger, &r));
  CHECK(report == NULL);
}

/* c1 (revenue 2000.00, tier A) and c2 (500.00, tier B), plus `extra` when not NULL. */
static upk_portfolio* make_portfolio(const char* extra) {
  upk_portfolio_builder* builder = NULL;
  upk_portfolio* portfolio = NULL;
  upk_customer c = UPK_CUSTOMER_INIT;
  CHECK_OK(upk_portfolio_builder_new(&builder, upk_str_c("CNY")));
  c.id = upk_str_c("c1");
  c.revenue_minor = 200000;
  CHECK_OK(upk_portfolio_builder_add(builder, &c));
  c.id = upk_str_c("c2");
  c.revenue_minor = 50000;
  CHECK_OK(upk_portfolio_builder_add(builder, &c));
  if (extra != NULL) {
    c.id = upk_str_c(extra);
    CHECK_OK(upk_portfolio_builder_add(builder, &c));
  }
  CHECK_OK(upk_portfolio_build(&portfolio, builder));
  upk_portfolio_builder_free(builder);
  return portfolio;
}

static int64_t amount_of(const upk_plan* plan, const char* customer) {
  size_t index = 0;
  upk_plan_customer c = UPK_PLAN_CUSTOMER_INIT;
  CHECK_OK(upk_plan_find_customer(&index, plan, upk_str_c(customer)));
  CHECK_OK(upk_plan_customer_get(&c, plan, index));
  return c.amount_minor;
}

static void test_proposal(upk_ledger* ledger, const upk_policy* policy) {
  upk_proposal* proposal = NULL;
  upk_proposal* other = NULL;
  upk_portfolio* now = make_portfolio(NULL);
  upk_portfolio* next = make_portfolio("c3");
  upk_plan* current = NULL;
  upk_plan* planned = NULL;
  upk_plan_options options = UPK_PLAN_OPTIONS_INIT;
  upk_plan_summary summary = UPK_PLAN_SUMMARY_INIT;
  upk_policy* no_feedback = make_monitoring_policy();
  int32_t state = -1;
  char* json = NULL;

  options.has_pool = 1;
  options.pool.amount_minor = 100000;
  memcpy(options.pool.currency, "CNY", 4);
  CHECK_OK(upk_plan_new(&current, policy, now, &options));

  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_propose(NULL, ledger, policy, upk_str_c("2026-Q1")));
  CHECK_STATUS(UPK_NULL_ARGUMENT,
               upk_ledger_propose(&proposal, NULL, policy, upk_str_c("2026-Q1")));
  CHECK_STATUS(UPK_NULL_ARGUMENT,
               upk_ledger_propose(&proposal, ledger, NULL, upk_str_c("2026-Q1")));
  CHECK_STATUS(UPK_NOT_FOUND,
               upk_ledger_propose(&proposal, ledger, no_feedback, upk_str_c("2026-Q1")));
  CHECK(contains(upk_last_error_message(), "feedback"));
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_propose(&proposal, ledger, policy, upk_str_c("1999-Q1")));
  CHECK(proposal == NULL);

  CHECK_OK(upk_ledger_propose(&proposal, ledger, policy, upk_str_c("2026-Q1")));
  CHECK_OK(upk_proposal_state(&state, proposal));
  CHECK(state == UPK_PROPOSAL_DRAFT);
  CHECK_OK(upk_proposal_to_json(&json, proposal));
  CHECK(contains(json, "\"report\":\"feedback_proposal\""));
  CHECK(contains(json, "\"customer\":\"c1\""));
  CHECK(contains(json, "\"customer\":\"c2\""));
  upk_string_free(json);

  /* The simulation shows c1 up and c2 down, within the bound; c3 is new. */
  CHECK_OK(upk_proposal_simulate_json(&json, policy, current, next, proposal, &options));
  CHECK(contains(json, "\"report\":\"proposal_simulation\""));
  CHECK(contains(json, "\"customer\":\"c3\""));
  upk_string_free(json);
  json = NULL;
  CHECK_STATUS(UPK_NULL_ARGUMENT,
               upk_proposal_simulate_json(NULL, policy, current, next, proposal, NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT,
               upk_proposal_simulate_json(&json, policy, NULL, next, proposal, NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT,
               upk_proposal_simulate_json(&json, policy, current, next, NULL, NULL));

  /* Only an approved proposal becomes a plan. */
  CHECK_STATUS(UPK_INVALID_STATE,
               upk_plan_from_proposal(&planned, policy, current, now, proposal, &options));
  CHECK_STATUS(UPK_INVALID_STATE, upk_proposal_mark_applied(proposal));
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_proposal_approve(proposal, upk_str_c("")));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_proposal_approve(NULL, upk_str_c("cfo")));
  CHECK_OK(upk_proposal_approve(proposal, upk_str_c("cfo")));
  CHECK_STATUS(UPK_INVALID_STATE, upk_proposal_reject(proposal, upk_str_c("cfo")));
  CHECK_OK(upk_plan_from_proposal(&planned, policy, current, now, proposal, &options));
  CHECK_OK(upk_plan_summary_get(&summary, planned));
  CHECK(summary.customer_count == 2);
  CHECK(amount_of(planned, "c1") > amount_of(current, "c1"));
  CHECK(amount_of(planned, "c2") < amount_of(current, "c2"));
  CHECK(amount_of(planned, "c2") * 10 >= amount_of(current, "c2") * 8); /* within 20 % */
  CHECK_OK(upk_proposal_mark_applied(proposal));
  CHECK_OK(upk_proposal_state(&state, proposal));
  CHECK(state == UPK_PROPOSAL_APPLIED);
  CHECK_STATUS(UPK_INVALID_STATE,
               upk_proposal_simulate_json(&json, policy, current, now, proposal, NULL));

  CHECK_OK(upk_ledger_propose(&other, ledger, policy, upk_str_c("2026-Q1")));
  CHECK_OK(upk_proposal_reject(other, upk_str_c("cfo")));
  CHECK_OK(upk_proposal_to_json(&json, other));
  CHECK(contains(json, "\"state\":\"rejected\""));
  CHECK(contains(json, "\"decided_by\":\"cfo\""));
  upk_string_free(json);

  upk_proposal_free(other);
  upk_proposal_free(proposal);
  upk_proposal_free(NULL);
  upk_plan_free(planned);
  upk_plan_free(current);
  upk_portfolio_free(next);
  upk_portfolio_free(now);
  upk_policy_free(no_feedback);
}

void test_feedback(void) {
  upk_ledger* ledger = make_ledger();
  upk_policy* policy = compile_policy_file("capi/tests/data/feedback_policy.json");
  upk_result result = UPK_RESULT_INIT;
  upk_request spend = make_request("spend-c1", "amy", "c1", 4000);
  int32_t added = 0;
  upk_outcome_record o = outcome("c1", 1, 1, UPK_RENEWAL_RENEWED);
  char* json = NULL;

  /* Without monitoring. */
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_record_outcome(&added, ledger, &o));
  CHECK_STATUS(UPK_INVALID_STATE, upk_ledger_feedback_json(&json, ledger));

  CHECK_OK(upk_ledger_attach_monitoring(ledger, policy, NULL));
  CHECK_OK(upk_ledger_spend(&result, NULL, ledger, &spend));
  spend = make_request("spend-c2", "bob", "c2", 2000);
  CHECK_OK(upk_ledger_spend(&result, NULL, ledger, &spend));
  test_records(ledger);
  test_record_errors(ledger);
  test_effectiveness(ledger);
  test_proposal(ledger, policy);
  upk_policy_free(policy);
  upk_ledger_free(ledger);
}
