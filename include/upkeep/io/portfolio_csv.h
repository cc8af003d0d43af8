// upkeep/io/portfolio_csv.h: import a portfolio (customers and their metrics) from CSV.
//
// The first record is a header naming the columns, in any order:
//   customer_id (required), name, owner, region,
//   revenue, gross_margin              decimal money in the portfolio's currency ("1234.56")
//   growth, tenure_months, order_count, recency_days, satisfaction, churn_risk   plain numbers
//   metric:<name>                      a custom metric (plain number)
//   any other column                   a text attribute of the customer
// Empty cells leave a metric at 0. Every value is checked: UTF-8 (kInvalidUtf8), money
// (kParse for malformed text, kPrecision for more decimals than the currency has, as
// Money::Parse), numbers (kParse), unique ids (kAlreadyExists). A bad row is reported as
// "<source>:<line>: <column>: <what is wrong>".
//
// In kStrict mode the first bad row fails the whole import and nothing is returned; in
// kSkipBadRows mode bad rows are listed in `rejected` and the rest is imported. A bad header
// (no customer_id, a repeated column) always fails.
//
//   absl::StatusOr<upkeep::io::PortfolioImport> imported =
//       upkeep::io::ParsePortfolioCsv(text, cny, upkeep::io::ImportMode::kStrict, "portfolio.csv");
//
// Thread safety: pure function.
#ifndef UPKEEP_IO_PORTFOLIO_CSV_H_
#define UPKEEP_IO_PORTFOLIO_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/io/csv.h"
#include "upkeep/portfolio.h"

namespace upkeep::io {

struct PortfolioImport {
  Portfolio portfolio;
  size_t rows_imported = 0;
  std::vector<RejectedRow> rejected;
  std::vector<size_t> lines;  // per customer, in portfolio order: the line it was read from
};

absl::StatusOr<PortfolioImport> ParsePortfolioCsv(std::string_view text, Currency currency,
                                                  ImportMode mode, std::string_view source);

}  // namespace upkeep::io

#endif  // UPKEEP_IO_PORTFOLIO_CSV_H_
