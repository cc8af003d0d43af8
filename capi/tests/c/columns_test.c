/* capi/tests/c/columns_test.c: reserve, spend and check batches as columns, and their error
 * paths (a bad column fails the whole call and applies nothing). */
#include <string.h>

#include "check.h"
#include "ledger_fixture.h"

static const uint32_t kOpSizes[3] = {2, 2, 2};
static const uint32_t kCustomerSizes[3] = {2, 2, 6};
static const int64_t kAmounts[3] = {100, 200, 300};

/* op ids k1 k2 k3; customers c1 c2 nobody; by amy (who owns c1 only). */
static upk_request_columns columns(void) {
  upk_request_columns c = UPK_REQUEST_COLUMNS_INIT;
  c.count = 3;
  c.actor = upk_str_c("amy");
  c.period = upk_str_c("2026-Q1");
  c.category = upk_str_c("gift");
  memcpy(c.currency, "CNY", 4);
  c.op_ids = upk_str_c("k1k2k3");
  c.op_id_sizes = kOpSizes;
  c.customers = upk_str_c("c1c2nobody");
  c.customer_sizes = kCustomerSizes;
  c.amounts_minor = kAmounts;
  return c;
}

static void init_results(upk_result* out, size_t count) {
  const upk_result empty = UPK_RESULT_INIT;
  size_t i;
  for (i = 0; i < count; ++i) out[i] = empty;
}

static void test_column_errors(upk_ledger* ledger) {
  upk_result out[3];
  upk_request_columns c = columns();
  uint32_t sizes[3] = {2, 2, 2};
  const char bad_utf8[] = {'k', '1', 'k', '2', 'k', (char)0xFF};
  const char split_char[] = {'k', (char)0xC3, (char)0xA9, 'k', '2', 'k'}; /* k, é, k2, k */
  const char with_nul[] = {'k', '1', 'k', '\0', 'k', '3'};
  const uint32_t handles[3] = {1, 1, 1};
  uint64_t before = 0, after = 0;
  CHECK_OK(upk_ledger_journal_size(&before, ledger));
  init_results(out, 3);

  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_reserve_columns(out, NULL, &c));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_reserve_columns(out, ledger, NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_reserve_columns(NULL, ledger, &c));
  out[2].size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  init_results(out, 3);
  c.size = sizeof(c) + 8;
  CHECK_STATUS(UPK_UNSUPPORTED_VERSION, upk_ledger_reserve_columns(out, ledger, &c));
  c = columns();
  c.op_id_sizes = NULL;
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c = columns();
  c.amounts_minor = NULL;
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c = columns();
  sizes[2] = 3; /* 7 bytes claimed of 6: lies */
  c.op_id_sizes = sizes;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  sizes[2] = 1; /* 5 of 6 */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c = columns();
  c.op_ids.size = 40; /* the column's own length lies: a NUL follows "k1k2k3" */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c.op_ids.data = with_nul;
  c.op_ids.size = sizeof(with_nul);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c.op_ids.data = bad_utf8;
  c.op_ids.size = sizeof(bad_utf8);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_reserve_columns(out, ledger, &c));
  c.op_ids.data = split_char;
  c.op_ids.size = sizeof(split_char);
  sizes[0] = 2;
  sizes[1] = 2;
  sizes[2] = 2; /* cuts é in half */
  c.op_id_sizes = sizes;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c = columns();
  c.envelopes = handles; /* customers too */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c.customer_sizes = NULL; /* envelopes, but customer bytes left over */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c.envelopes = NULL; /* neither */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve_columns(out, ledger, &c));
  c = columns();
  memcpy(c.currency, "XQZ", 4);
  CHECK_STATUS(UPK_UNKNOWN_CURRENCY, upk_ledger_reserve_columns(out, ledger, &c));
  c = columns();
  c.actor.data = bad_utf8 + 4;
  c.actor.size = 2;
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_spend_columns(out, ledger, &c));
  CHECK_OK(upk_ledger_journal_size(&after, ledger));
  CHECK(after == before);
  c.count = 0; /* nothing to do: out may be NULL */
  CHECK_OK(upk_ledger_reserve_columns(NULL, ledger, &c));
}

/* After test_columns reserved k1 (100 for c1): checks as columns answer as upk_ledger_check
 * would and change nothing. */
static void test_check_columns(upk_ledger* ledger) {
  upk_result out[3];
  upk_request_columns c = columns();
  const char bad_utf8[] = {(char)0xC3, 'x'};
  uint64_t before = 0, after = 0;
  CHECK_OK(upk_ledger_journal_size(&before, ledger));
  c.op_ids = upk_str_c("q1q2q3");
  init_results(out, 3);
  CHECK_OK(upk_ledger_check_columns(out, ledger, &c, 0));
  CHECK(out[0].status == UPK_OK && out[0].outcome == UPK_OUTCOME_APPROVE && out[0].replayed == 0);
  CHECK(out[1].status == UPK_PERMISSION_DENIED && out[1].outcome == UPK_OUTCOME_REJECT);
  CHECK(out[2].status == UPK_NOT_FOUND);
  c.op_ids = upk_str_c("k1q2q3"); /* k1, a reserve: its first answer, and a spend's conflict */
  CHECK_OK(upk_ledger_check_columns(out, ledger, &c, 0));
  CHECK(out[0].status == UPK_OK && out[0].replayed == 1);
  CHECK_OK(upk_ledger_check_columns(out, ledger, &c, 1));
  CHECK(out[0].status == UPK_IDEMPOTENCY_CONFLICT);
  c.actor.data = bad_utf8;
  c.actor.size = sizeof(bad_utf8);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_check_columns(out, ledger, &c, 0));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_check_columns(out, NULL, &c, 0));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_ledger_check_columns(out, ledger, NULL, 0));
  CHECK_OK(upk_ledger_journal_size(&after, ledger));
  CHECK(after == before);
}

void test_columns(void) {
  upk_ledger* ledger = make_ledger();
  upk_result out[3];
  upk_request_columns c = columns();
  upk_balance balance = UPK_BALANCE_INIT;
  upk_scope c1 = envelope_scope("c1");
  uint32_t handles[3] = {0, 0, 0};
  static const uint32_t kHandleOpSizes[3] = {2, 2, 2};

  test_column_errors(ledger);
  init_results(out, 3);
  CHECK_OK(upk_ledger_reserve_columns(out, ledger, &c));
  CHECK(out[0].status == UPK_OK && out[0].outcome == UPK_OUTCOME_APPROVE);
  CHECK(out[1].status == UPK_PERMISSION_DENIED && out[1].outcome == UPK_OUTCOME_REJECT);
  CHECK(out[2].status == UPK_NOT_FOUND);
  CHECK_OK(upk_ledger_reserve_columns(out, ledger, &c)); /* retried: replayed */
  CHECK(out[0].status == UPK_OK && out[0].replayed == 1);
  CHECK_OK(upk_ledger_balance(&balance, ledger, &c1));
  CHECK(balance.reserved_minor == 100);
  test_check_columns(ledger);
  CHECK_OK(upk_ledger_balance(&balance, ledger, &c1));
  CHECK(balance.reserved_minor == 100);

  CHECK_OK(upk_ledger_resolve_envelope(&handles[0], ledger, c.period, upk_str_c("c1"), c.category));
  handles[1] = handles[0];
  handles[2] = 0x7FFFFFFFu; /* unknown: its own status */
  c = columns();
  c.period = upk_str_c("");
  c.category = upk_str_c("");
  c.op_ids = upk_str_c("h1h2h3");
  c.op_id_sizes = kHandleOpSizes;
  c.customers = upk_str_c("");
  c.customer_sizes = NULL;
  c.envelopes = handles;
  init_results(out, 3);
  CHECK_OK(upk_ledger_spend_columns(out, ledger, &c));
  CHECK(out[0].status == UPK_OK && out[1].status == UPK_OK && out[2].status != UPK_OK);
  CHECK_OK(upk_ledger_balance(&balance, ledger, &c1));
  CHECK(balance.spent_minor == 300 && balance.reserved_minor == 100);
  upk_ledger_free(ledger);
}
