/* capi/tests/c/ledger_errors_test.c: bad requests get a specific status and change nothing. */
#include <string.h>

#include "check.h"
#include "ledger_fixture.h"

void test_ledger_errors(void) {
  upk_ledger* ledger = make_ledger();
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("e1", "amy", "nobody", 100);
  upk_ledger_options options = UPK_LEDGER_OPTIONS_INIT;
  upk_ledger* other = NULL;
  const char bad_utf8[] = {'o', 'p', (char)0xE2, (char)0x82};
  uint64_t before = 0, after = 0;

  CHECK_OK(upk_ledger_journal_size(&before, ledger));
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e2", "stranger", "c1", 100);
  CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e3", "amy", "c2", 100); /* c2 belongs to bob */
  CHECK_STATUS(UPK_PERMISSION_DENIED, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e4", "amy", "c1", 100);
  r.op_id.data = bad_utf8;
  r.op_id.size = sizeof(bad_utf8);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e5", "amy", "c1", 100);
  r.customer.size = 40; /* lies: "c1" is 2 bytes, then NUL */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e6", "amy", "c1", 100);
  memcpy(r.amount.currency, "USD", 4);
  CHECK_STATUS(UPK_CURRENCY_MISMATCH, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e7-ok", "amy", "c1", 100);
  CHECK_OK(upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK_OK(upk_ledger_journal_size(&before, ledger));
  r = make_request("e7", "amy", "c1", INT64_MAX); /* reserved 100 + INT64_MAX */
  CHECK_STATUS(UPK_OVERFLOW, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e8", "amy", "c1", -5);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve(&result, NULL, ledger, &r));
  r = make_request("e9", "amy", "c1", 100);
  r.size = sizeof(upk_request) - 1;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve(&result, NULL, ledger, &r));
  r.size = sizeof(upk_request);
  result.size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_ledger_reserve(&result, NULL, ledger, &r));
  CHECK_OK(upk_ledger_journal_size(&after, ledger));
  CHECK(after == before);

  CHECK_STATUS(UPK_INVALID_ARGUMENT,
               upk_ledger_define_actor(ledger, upk_str_c("admin"), upk_str_c("x"), 17));
  CHECK_STATUS(UPK_ALREADY_EXISTS,
               upk_ledger_define_tier(ledger, upk_str_c("admin"), upk_str_c("A")));
  CHECK_STATUS(UPK_PERMISSION_DENIED,
               upk_ledger_define_tier(ledger, upk_str_c("amy"), upk_str_c("Z")));
  {
    upk_settle_request s = UPK_SETTLE_REQUEST_INIT;
    s.op_id = upk_str_c("px");
    s.actor = upk_str_c("amy");
    s.target_id = upk_str_c("no-such-reservation");
    CHECK_STATUS(UPK_NOT_FOUND, upk_ledger_post(ledger, &s));
  }
  options.currency = upk_str_c("CNY");
  options.fixed_time_micros = 1;
  options.size = sizeof(upk_ledger_options) + 16;
  CHECK_STATUS(UPK_UNSUPPORTED_VERSION, upk_ledger_new(&other, &options));
  CHECK(other == NULL);
  options.size = sizeof(upk_ledger_options);
  options.currency = upk_str_c("");
  CHECK_STATUS(UPK_UNKNOWN_CURRENCY, upk_ledger_new(&other, &options));
  upk_ledger_free(ledger);
}
