/* capi/tests/c/main.c: the C test suite of the C API, written in C99.
 * Usage: upkeep_capi_c_test <project source dir> */
#include <stdlib.h>
#include <string.h>

#include "check.h"

int check_failures = 0;
int check_count = 0;
const char* source_dir = ".";

char* read_source_file(const char* relative, size_t* size) {
  char path[4096];
  FILE* f;
  long length;
  char* text;
  if (snprintf(path, sizeof(path), "%s/%s", source_dir, relative) >= (int)sizeof(path)) return NULL;
  f = fopen(path, "rb");
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (length = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  text = (char*)malloc((size_t)length + 1);
  if (text != NULL && fread(text, 1, (size_t)length, f) != (size_t)length) {
    free(text);
    text = NULL;
  }
  fclose(f);
  if (text != NULL) {
    text[length] = '\0';
    *size = (size_t)length;
  }
  return text;
}

int main(int argc, char** argv) {
  if (argc > 1) source_dir = argv[1];
  test_basics();
  test_portfolio();
  test_plan();
  test_ledger();
  test_ledger_errors();
  test_callbacks();
  test_policy_tests();
  test_null_arguments();
  test_monitor();
  test_rollover();
  test_book();
  test_columns();
  test_feedback();
  printf("%d checks: %d passed, %d failed\n", check_count, check_count - check_failures,
         check_failures);
  return check_failures == 0 ? 0 : 1;
}
