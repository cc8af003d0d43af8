/* capi/tests/c/portfolio_test.c: building portfolios from structs and CSV, and reading them. */
#include <stdlib.h>
#include <string.h>

#include "check.h"

static upk_customer make_customer(const char* id, int64_t revenue_minor) {
  upk_customer c = UPK_CUSTOMER_INIT;
  c.id = upk_str_c(id);
  c.name = upk_str_c("客户");
  c.owner = upk_str_c("amy");
  c.region = upk_str_c("华南");
  c.revenue_minor = revenue_minor;
  c.order_count = 3;
  return c;
}

void test_portfolio(void) {
  upk_portfolio_builder* builder = NULL;
  upk_portfolio* portfolio = NULL;
  upk_customer many[3];
  upk_customer one = make_customer("c-9", 100);
  upk_customer read = UPK_CUSTOMER_INIT;
  upk_attribute attribute = {UPK_STR_LIT("industry"), UPK_STR_LIT("retail")};
  upk_metric_value metric = {UPK_STR_LIT("nps"), 42.5};
  size_t added = 99, count = 0, index = 0;
  double value = 0;

  CHECK_STATUS(UPK_UNKNOWN_CURRENCY, upk_portfolio_builder_new(&builder, upk_str_c("ABC")));
  CHECK(builder == NULL);
  CHECK_OK(upk_portfolio_builder_new(&builder, upk_str_c("CNY")));
  one.attributes = &attribute;
  one.attribute_count = 1;
  one.custom_metrics = &metric;
  one.custom_metric_count = 1;
  CHECK_OK(upk_portfolio_builder_add(builder, &one));

  many[0] = make_customer("c-1", 500000);
  many[1] = make_customer("c-2", 300000);
  many[2] = make_customer("c-3", -1); /* revenue must be >= 0 */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_portfolio_builder_add_many(&added, builder, many, 3));
  CHECK(added == 2);
  CHECK(strstr(upk_last_error_message(), "customers[2]") != NULL);

  one.size = 0; /* not initialised with UPK_CUSTOMER_INIT */
  CHECK_STATUS(UPK_INVALID_ARGUMENT, upk_portfolio_builder_add(builder, &one));
  one.size = sizeof(upk_customer) + 8; /* from a newer header */
  CHECK_STATUS(UPK_UNSUPPORTED_VERSION, upk_portfolio_builder_add(builder, &one));
  one.size = sizeof(upk_customer);
  one.attributes = NULL; /* the count says 1 */
  CHECK_STATUS(UPK_NULL_ARGUMENT, upk_portfolio_builder_add(builder, &one));

  CHECK_OK(upk_portfolio_build(&portfolio, builder));
  upk_portfolio_builder_free(builder);
  CHECK_OK(upk_portfolio_count(&count, portfolio));
  CHECK(count == 3);
  CHECK_OK(upk_portfolio_customer(&read, portfolio, 0)); /* sorted by id */
  CHECK(read.id.size == 3 && memcmp(read.id.data, "c-1", 3) == 0);
  CHECK(read.revenue_minor == 500000);
  CHECK(read.region.size == strlen("华南"));
  CHECK_STATUS(UPK_NOT_FOUND, upk_portfolio_customer(&read, portfolio, 3));
  CHECK_OK(upk_portfolio_find(&index, portfolio, upk_str_c("c-9")));
  CHECK(index == 2);
  CHECK_STATUS(UPK_NOT_FOUND, upk_portfolio_find(&index, portfolio, upk_str_c("nobody")));
  CHECK_OK(upk_portfolio_metric(&value, portfolio, upk_str_c("nps"), 2));
  CHECK(value == 42.5);
  CHECK_OK(upk_portfolio_metric(&value, portfolio, upk_str_c("revenue"), 0));
  CHECK(value == 500000);
  CHECK_STATUS(UPK_NOT_FOUND, upk_portfolio_metric(&value, portfolio, upk_str_c("nope"), 0));
  upk_portfolio_free(portfolio);

  /* Duplicate ids are found by build. */
  CHECK_OK(upk_portfolio_builder_new(&builder, upk_str_c("CNY")));
  many[2] = make_customer("c-1", 1);
  CHECK_OK(upk_portfolio_builder_add_many(&added, builder, many, 3));
  portfolio = NULL;
  CHECK_STATUS(UPK_ALREADY_EXISTS, upk_portfolio_build(&portfolio, builder));
  CHECK(portfolio == NULL);
  upk_portfolio_builder_free(builder);

  {
    size_t size = 0;
    char* csv = read_source_file("examples/data/portfolio.csv", &size);
    upk_csv_options options = UPK_CSV_OPTIONS_INIT;
    char* rejected = NULL;
    const char bad_csv[] = "customer_id,revenue\nc1,10.00\nc2,abc\n";
    CHECK(csv != NULL);
    options.currency = upk_str_c("CNY");
    options.source = upk_str_c("portfolio.csv");
    CHECK_OK(upk_portfolio_from_csv(&portfolio, &rejected, (upk_str){csv, size}, &options));
    CHECK(rejected != NULL && strcmp(rejected, "[]") == 0);
    upk_string_free(rejected);
    CHECK_OK(upk_portfolio_count(&count, portfolio));
    CHECK(count == 2000);
    upk_portfolio_free(portfolio);
    free(csv);

    CHECK_STATUS(UPK_PARSE, upk_portfolio_from_csv(&portfolio, NULL, upk_str_c(bad_csv), &options));
    options.skip_bad_rows = 1;
    CHECK_OK(upk_portfolio_from_csv(&portfolio, &rejected, upk_str_c(bad_csv), &options));
    CHECK(rejected != NULL && strstr(rejected, "\"line\":3") != NULL);
    upk_string_free(rejected);
    CHECK_OK(upk_portfolio_count(&count, portfolio));
    CHECK(count == 1);
    upk_portfolio_free(portfolio);
  }
}
