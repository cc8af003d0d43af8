/* capi/tests/c/book_test.c: durable books from C in a temporary directory: open, reopen, group
 * commit, snapshot, verify, close, monitoring over a reopened book, and the error paths. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ledger_fixture.h"

static char book_dir[64];

static const char* in_dir(const char* name, char* path, size_t size) {
  snprintf(path, size, "%s/%s", book_dir, name);
  return path;
}

static upk_book_options book_options(void) {
  upk_book_options o = UPK_BOOK_OPTIONS_INIT;
  o.ledger.currency = upk_str_c("CNY");
  o.ledger.fixed_time_micros = 1;
  return o;
}

static upk_ledger* open_book(const char* uri, const upk_book_options* options) {
  upk_ledger* book = NULL;
  CHECK_OK(upk_book_open(&book, upk_str_c(uri), options));
  return book;
}

static void test_open_errors(const char* uri) {
  upk_book_options o = book_options();
  upk_ledger* book = NULL;
  char path[128];
  FILE* junk;
  const char bad_utf8[] = {'/', 't', (char)0xFE};
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_book_open(NULL, upk_str_c(uri), &o));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_book_open(&book, upk_str_c(uri), NULL));
  o.size = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_open(&book, upk_str_c(uri), &o));
  o = book_options();
  o.ledger.size = 4; /* the nested ledger options are checked too */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_open(&book, upk_str_c(uri), &o));
  o = book_options();
  o.durability = 7;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_open(&book, upk_str_c(uri), &o));
  o = book_options();
  o.group_events_max = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_open(&book, upk_str_c(uri), &o));
  o = book_options();
  o.ledger.currency = upk_str_c("XXQ");
  CHECK_STATUS(UPK_UNKNOWN_CURRENCY, upk_book_open(&book, upk_str_c(uri), &o));
  o = book_options();
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_open(&book, upk_str_c("ftp://example/book"), &o));
  {
    upk_str lying = upk_str_c(uri);
    lying.size += 5;
    CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_open(&book, lying, &o));
    lying.data = bad_utf8;
    lying.size = sizeof(bad_utf8);
    CHECK_STATUS(UPK_INVALID_UTF8, upk_book_open(&book, lying, &o));
  }
  o.create_if_missing = 0;
  CHECK_STATUS(UPK_NOT_FOUND,
               upk_book_open(&book, upk_str_c(in_dir("missing.db", path, sizeof(path))), &o));
  o = book_options();
  junk = fopen(in_dir("junk.db", path, sizeof(path)), "wb");
  CHECK(junk != NULL);
  if (junk != NULL) {
    fputs("this is not a SQLite database, let alone a book; it only has a .db name", junk);
    fclose(junk);
  }
  CHECK_STATUS(UPK_CORRUPT, upk_book_open(&book, upk_str_c(path), &o));
  remove(path);
  remove(in_dir("junk.db-lock", path, sizeof(path)));
  CHECK(book == NULL);
}

/* The book calls on a ledger that is not a book, and on NULL. */
static void test_not_a_book(void) {
  upk_ledger* memory = make_ledger();
  uint64_t seq = 0;
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_commit(memory));
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_snapshot(&seq, memory));
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_book_verify(memory));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_book_commit(NULL));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_book_snapshot(NULL, memory));
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_book_verify(NULL));
  CHECK_OK(upk_book_close(NULL));
  CHECK_OK(upk_book_close(memory)); /* frees it */
}

void test_book(void) {
  char path[128], uri[160];
  upk_book_options o = book_options();
  upk_ledger* book;
  upk_ledger* second = NULL;
  upk_result result = UPK_RESULT_INIT;
  upk_request r = make_request("r1", "amy", "c1", 2500);
  upk_balance balance = UPK_BALANCE_INIT;
  upk_scope c1 = envelope_scope("c1");
  upk_metrics metrics = UPK_METRICS_INIT;
  upk_metrics_request request = UPK_METRICS_REQUEST_INIT;
  uint64_t entries = 0, reopened_entries = 0, covered = 0;
  char* state = NULL;
  char* reopened_state = NULL;

  strcpy(book_dir, "/tmp/upkeep-capi-book-XXXXXX");
  CHECK(mkdtemp(book_dir) != NULL);
  snprintf(uri, sizeof(uri), "sqlite:%s", in_dir("book.db", path, sizeof(path)));
  test_open_errors(uri);
  test_not_a_book();

  book = open_book(uri, &o);
  populate_ledger(book);
  CHECK_OK(upk_ledger_reserve(&result, NULL, book, &r));
  CHECK_STATUS(UPK_BUSY, upk_book_open(&second, upk_str_c(uri), &o)); /* one writer */
  CHECK(second == NULL);
  CHECK_OK(upk_book_verify(book));
  CHECK_OK(upk_book_snapshot(&covered, book));
  CHECK_OK(upk_ledger_journal_size(&entries, book));
  CHECK(covered == entries && entries > 10);
  CHECK_OK(upk_book_commit(book));
  CHECK_OK(upk_ledger_dump_state(&state, book));
  CHECK_OK(upk_book_close(book));

  o.ledger.currency = upk_str_c("USD");
  CHECK_STATUS(UPK_CURRENCY_MISMATCH, upk_book_open(&second, upk_str_c(uri), &o));
  o = book_options();
  o.durability = UPK_DURABILITY_GROUP_COMMIT;
  o.create_if_missing = 0;
  book = open_book(uri, &o); /* reopened: the same state, to the byte */
  CHECK_OK(upk_ledger_journal_size(&reopened_entries, book));
  CHECK(reopened_entries == entries);
  CHECK_OK(upk_ledger_dump_state(&reopened_state, book));
  CHECK(state != NULL && reopened_state != NULL && strcmp(state, reopened_state) == 0);
  upk_string_free(state);
  upk_string_free(reopened_state);
  CHECK_OK(upk_ledger_balance(&balance, book, &c1));
  CHECK(balance.reserved_minor == 2500);

  /* Monitoring over a reopened book replays its whole journal. */
  CHECK_OK(upk_ledger_attach_monitoring(book, NULL, NULL));
  request.scope = c1;
  CHECK_OK(upk_ledger_metrics(&metrics, book, &request));
  CHECK(metrics.budget_minor == 10000 && metrics.reserved_minor == 2500);
  r = make_request("r2", "amy", "c1", 500); /* group commit: durable at upk_book_commit */
  CHECK_OK(upk_ledger_reserve(&result, NULL, book, &r));
  CHECK_OK(upk_book_commit(book));
  CHECK_OK(upk_ledger_metrics(&metrics, book, &request));
  CHECK(metrics.reserved_minor == 3000);
  CHECK_OK(upk_book_verify(book));
  CHECK_OK(upk_book_close(book));

  o = book_options();
  book = open_book(uri, &o);
  CHECK_OK(upk_ledger_balance(&balance, book, &c1));
  CHECK(balance.reserved_minor == 3000);
  upk_ledger_free(book); /* also closes, without a status */

  book = open_book("memory:", &o);
  populate_ledger(book);
  CHECK_OK(upk_book_commit(book));
  CHECK_OK(upk_book_close(book));

  remove(in_dir("book.db", path, sizeof(path)));
  remove(in_dir("book.db-wal", path, sizeof(path)));
  remove(in_dir("book.db-shm", path, sizeof(path)));
  remove(in_dir("book.db-lock", path, sizeof(path)));
  CHECK(rmdir(book_dir) == 0);
}
