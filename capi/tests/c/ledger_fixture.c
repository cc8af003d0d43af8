/* capi/tests/c/ledger_fixture.c: see ledger_fixture.h. */
#include "ledger_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

upk_ledger* make_ledger(void) {
  upk_ledger* ledger = NULL;
  upk_ledger_options options = UPK_LEDGER_OPTIONS_INIT;
  options.currency = upk_str_c("CNY");
  options.fixed_time_micros = 1;
  CHECK_OK(upk_ledger_new(&ledger, &options));
  populate_ledger(ledger);
  return ledger;
}

void populate_ledger(upk_ledger* ledger) {
  upk_budget_request budget = UPK_BUDGET_REQUEST_INIT;
  upk_envelope envelopes[2] = {{UPK_STR_LIT("c1"), UPK_STR_LIT("A"), 10000},
                               {UPK_STR_LIT("c2"), UPK_STR_LIT(""), 5000}};
  const upk_str admin = UPK_STR_LIT("admin");
  CHECK_OK(upk_ledger_define_category(ledger, admin, upk_str_c("gift")));
  CHECK_OK(
      upk_ledger_define_period(ledger, admin, upk_str_c("2026-Q1"), 0, INT64_C(4102444800000000)));
  CHECK_OK(upk_ledger_define_tier(ledger, admin, upk_str_c("A")));
  CHECK_OK(upk_ledger_define_tier(ledger, admin, upk_str_c("B")));
  CHECK_OK(upk_ledger_define_actor(ledger, admin, upk_str_c("amy"), UPK_ROLE_ACCOUNT_MANAGER));
  CHECK_OK(upk_ledger_define_actor(ledger, admin, upk_str_c("bob"), UPK_ROLE_ACCOUNT_MANAGER));
  CHECK_OK(upk_ledger_define_actor(ledger, admin, upk_str_c("mia"), UPK_ROLE_MANAGER));
  CHECK_OK(upk_ledger_define_actor(ledger, admin, upk_str_c("fin"), UPK_ROLE_FINANCE));
  CHECK_OK(upk_ledger_define_customer(ledger, admin, upk_str_c("c1"), upk_str_c("A"),
                                      upk_str_c("amy"), upk_str_c("north")));
  CHECK_OK(upk_ledger_define_customer(ledger, admin, upk_str_c("c2"), upk_str_c("B"),
                                      upk_str_c("bob"), upk_str_c("south")));
  budget.op_id = upk_str_c("budget-1");
  budget.actor = upk_str_c("fin");
  budget.period = upk_str_c("2026-Q1");
  budget.category = upk_str_c("gift");
  budget.reason = upk_str_c("Q1 allocation");
  CHECK_OK(upk_ledger_apply_allocation(ledger, &budget, envelopes, 2));
  CHECK_OK(upk_ledger_set_policies(
      ledger, admin,
      upk_str_c("{\"availability\": [{\"id\": \"envelope-block\", \"level\": "
                "\"customer\", \"mode\": \"block\"}, {\"id\": \"upper-ignore\", "
                "\"level\": \"tier\", \"mode\": \"ignore\"}, {\"id\": "
                "\"company-ignore\", \"level\": \"company\", \"mode\": \"ignore\"}]}"),
      NULL));
}

upk_request make_request(const char* op_id, const char* actor, const char* customer,
                         int64_t amount_minor) {
  upk_request r = UPK_REQUEST_INIT;
  r.op_id = upk_str_c(op_id);
  r.actor = upk_str_c(actor);
  r.period = upk_str_c("2026-Q1");
  r.customer = upk_str_c(customer);
  r.category = upk_str_c("gift");
  r.amount.amount_minor = amount_minor;
  memcpy(r.amount.currency, "CNY", 4);
  return r;
}

upk_scope envelope_scope(const char* customer) {
  upk_scope s = UPK_SCOPE_INIT;
  s.period = upk_str_c("2026-Q1");
  s.kind = UPK_SCOPE_CUSTOMER;
  s.key = upk_str_c(customer);
  s.category = upk_str_c("gift");
  return s;
}

upk_policy* compile_policy_file(const char* relative) {
  size_t size = 0;
  char* text = read_source_file(relative, &size);
  upk_policy* policy = NULL;
  upk_str document;
  CHECK(text != NULL);
  document.data = text;
  document.size = size;
  CHECK_OK(upk_policy_compile(&policy, document, NULL));
  free(text);
  return policy;
}

upk_policy* make_monitoring_policy(void) {
  return compile_policy_file("capi/tests/data/monitoring_policy.json");
}
