/* capi/tests/c/basics_test.c: version, status names, errors, text and money checks. */
#include <stdint.h>
#include <string.h>

#include "check.h"

void test_basics(void) {
  int32_t exponent = -1;
  upk_money money = UPK_MONEY_INIT;
  char* text = NULL;
  const char bad_utf8[] = {'C', (char)0xC3, 'Y'};
  upk_str lying = {"CNY", 10}; /* the literal has 4 bytes: the NUL betrays the length */
  upk_str null_data = {NULL, 3};
  upk_str huge = {"CNY", SIZE_MAX};

  CHECK(strcmp(upk_version(), UPK_VERSION_STRING) == 0);
  CHECK(upk_version_number() == UPK_VERSION_NUMBER);
  CHECK(upk_last_error_message() != NULL);
  CHECK(strcmp(upk_status_name(UPK_OK), "ok") == 0);
  CHECK(strcmp(upk_status_name(UPK_NULL_ARGUMENT), "null_argument") == 0);
  CHECK(strcmp(upk_status_name(UPK_CALLBACK_FAILED), "callback_failed") == 0);
  CHECK(strcmp(upk_status_name(9999), "unknown") == 0);
  CHECK(strcmp(upk_outcome_name(UPK_OUTCOME_NEEDS_APPROVAL), "needs approval") == 0);
  CHECK(strcmp(upk_outcome_name(42), "unknown") == 0);

  CHECK_OK(upk_currency_exponent(&exponent, upk_str_c("CNY")));
  CHECK(exponent == 2);
  CHECK_OK(upk_currency_exponent(&exponent, upk_str_c("JPY")));
  CHECK(exponent == 0);
  CHECK_STATUS(UPK_UNKNOWN_CURRENCY, upk_currency_exponent(&exponent, upk_str_c("XXX")));
  CHECK(strstr(upk_last_error_message(), "XXX") != NULL);
  CHECK_STATUS(UPK_INVALID_UTF8, upk_currency_exponent(&exponent, (upk_str){bad_utf8, 3}));
  CHECK(strstr(upk_last_error_message(), "UTF-8") != NULL);
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_currency_exponent(&exponent, lying));
  CHECK(strstr(upk_last_error_message(), "NUL byte") != NULL);
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_currency_exponent(&exponent, null_data));
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_currency_exponent(&exponent, huge));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_currency_exponent(NULL, upk_str_c("CNY")));

  CHECK_OK(upk_money_parse(&money, upk_str_c("1234.56"), upk_str_c("CNY")));
  CHECK(money.amount_minor == 123456 && strcmp(money.currency, "CNY") == 0);
  CHECK_OK(upk_money_format(&text, money));
  CHECK(text != NULL && strcmp(text, "1234.56") == 0);
  upk_string_free(text);
  upk_string_free(NULL);
  CHECK_STATUS(UPK_PRECISION, upk_money_parse(&money, upk_str_c("1.234"), upk_str_c("CNY")));
  CHECK_STATUS(UPK_PARSE, upk_money_parse(&money, upk_str_c("1e5"), upk_str_c("CNY")));
  CHECK_STATUS(UPK_OVERFLOW,
               upk_money_parse(&money, upk_str_c("99999999999999999999"), upk_str_c("CNY")));
  CHECK(money.amount_minor == 123456); /* unchanged on failure */
  {
    upk_money unterminated = {1, {'C', 'N', 'Y', 'X'}};
    text = NULL;
    CHECK_STATUS(UPK_UNKNOWN_CURRENCY, upk_money_format(&text, unterminated));
    CHECK(text == NULL);
  }
  CHECK_STATUS(UPK_CALLBACK_FAILED, upk_callback_fail("from the host"));
  CHECK(strcmp(upk_last_error_message(), "from the host") == 0);
}
