/* capi/tests/c/policy_tests_test.c: the policy test runner reports failures and bad files. */
#include <string.h>

#include "check.h"

void test_policy_tests(void) {
  upk_test_summary summary = UPK_TEST_SUMMARY_INIT;
  char* report = NULL;
  const char* failing =
      "{\"policy\": {\"upkeep_policy\": 1, \"currency\": \"CNY\", \"tiers\": [\"A\"],"
      " \"classification\": {\"classifier\": \"abc\", \"cumulative_pct\": []}, \"allocation\": "
      "{\"policy\": "
      "\"tier_shares\", \"shares_pct\": {\"A\": 100}}},"
      " \"cases\": [{\"name\": \"wrong on purpose\", \"portfolio\": [{\"id\": \"a\", \"revenue\":"
      " \"1.00\"}], \"pool\": \"10.00\", \"expect\": {\"amounts\": {\"a\": \"9.00\"}}},"
      " {\"name\": \"right\", \"portfolio\": [{\"id\": \"a\"}], \"pool\": \"10.00\","
      " \"expect\": {\"amounts\": {\"a\": \"10.00\"}}},"
      " {\"name\": \"unknown classifier\", \"policy\": {\"upkeep_policy\": 1, \"currency\":"
      " \"CNY\", \"tiers\": [\"A\"], \"classification\": {\"classifier\": \"host_x\"},"
      " \"allocation\": {\"policy\": \"tier_shares\", \"shares_pct\": {\"A\": 100}}},"
      " \"portfolio\": [], \"expect\": {\"status\": \"not_found\"}}]}";
  CHECK_OK(upk_run_policy_tests(&summary, &report, upk_str_c(failing), NULL));
  CHECK(summary.passed == 2 && summary.failed == 1);
  CHECK(report != NULL && strstr(report, "2 passed, 1 failed") != NULL);
  CHECK(report != NULL && strstr(report, "expected 9.00, got 10.00") != NULL);
  upk_string_free(report);
  report = NULL;
  CHECK_STATUS(UPK_POLICY_INVALID,
               upk_run_policy_tests(&summary, &report, upk_str_c("{\"cases\": 3}"), NULL));
  CHECK_STATUS(UPK_POLICY_INVALID,
               upk_run_policy_tests(&summary, &report, upk_str_c("[oops"), NULL));
  CHECK(report == NULL);
}
