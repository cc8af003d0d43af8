/* capi/tests/c/check.h: a tiny test harness for the C test suite (C99). */
#ifndef UPKEEP_CAPI_TESTS_C_CHECK_H_
#define UPKEEP_CAPI_TESTS_C_CHECK_H_

#include <stdio.h>

#include "upkeep/upkeep.h"

extern int check_failures;
extern int check_count;
/* The project source directory (argv[1]), for example files. */
extern const char* source_dir;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++check_count;                                                             \
    if (!(cond)) {                                                             \
      ++check_failures;                                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* A call that must return `want`; on a mismatch prints both names and the error message. */
#define CHECK_STATUS(want, call)                                                             \
  do {                                                                                       \
    upk_status check_got_ = (call);                                                          \
    ++check_count;                                                                           \
    if (check_got_ != (want)) {                                                              \
      ++check_failures;                                                                      \
      fprintf(stderr, "%s:%d: %s: expected %s, got %s: %s\n", __FILE__, __LINE__, #call,     \
              upk_status_name(want), upk_status_name(check_got_), upk_last_error_message()); \
    }                                                                                        \
  } while (0)
#define CHECK_OK(call) CHECK_STATUS(UPK_OK, call)

/* Reads a file under source_dir; the caller frees the result. NULL on failure. */
char* read_source_file(const char* relative, size_t* size);

/* The parts of the suite, one per file. */
void test_basics(void);
void test_portfolio(void);
void test_plan(void);
void test_ledger(void);
void test_ledger_errors(void);
void test_callbacks(void);
void test_policy_tests(void);
void test_null_arguments(void);
void test_monitor(void);
void test_rollover(void);
void test_book(void);
void test_columns(void);
void test_feedback(void);

#endif /* UPKEEP_CAPI_TESTS_C_CHECK_H_ */
