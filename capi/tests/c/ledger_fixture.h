/* capi/tests/c/ledger_fixture.h: a small ledger for the C tests: category "gift", period
 * "2026-Q1", tiers A and B, customers c1 (A, owner amy, 100.00) and c2 (B, owner bob, 50.00);
 * actors amy and bob (account managers), mia (manager) and fin (finance). Time is fixed at 1. */
#ifndef UPKEEP_CAPI_TESTS_C_LEDGER_FIXTURE_H_
#define UPKEEP_CAPI_TESTS_C_LEDGER_FIXTURE_H_

#include "upkeep/upkeep.h"

upk_ledger* make_ledger(void);
/* Defines the above in an empty ledger (a new book, say). */
void populate_ledger(upk_ledger* ledger);
/* A request by `actor` on customer `customer`'s gift envelope for amount_minor CNY. */
upk_request make_request(const char* op_id, const char* actor, const char* customer,
                         int64_t amount_minor);
upk_scope envelope_scope(const char* customer);
/* capi/tests/data/monitoring_policy.json compiled: threshold alerts "usage" (customer, 50 and
 * 80 %) and "tier-usage" (tier, 90 %); rollover: tier A carries up to 20 %, the rest forfeits. */
upk_policy* make_monitoring_policy(void);
/* A policy document under the source directory, compiled. */
upk_policy* compile_policy_file(const char* relative);

#endif /* UPKEEP_CAPI_TESTS_C_LEDGER_FIXTURE_H_ */
