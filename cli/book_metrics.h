// cli/book_metrics.h: customer metrics kept in a book, per period, and the portfolio they make.
//
// `upkeep import metrics FILE --period P` merges the metric columns of FILE (the portfolio CSV
// format of upkeep/io/portfolio_csv.h: revenue, gross_margin, growth, ..., metric:<name>) into
// the book's table for P, customer by customer and column by column. The table is stored as a
// canonical CSV (book_settings.h): customer_id, then the metric columns sorted by name, rows
// sorted by id; money as exact decimals, numbers in their shortest exact form.
//
// BookPortfolio joins the book's customers (id, owner, region) with a period's metrics into the
// Portfolio that sizing and allocation read; a customer without metrics has zeros.
//
// Errors: kParse / kCorrupt for a stored table that does not read back; the portfolio reader's.
// Thread safety: pure functions.
#ifndef UPKEEP_CLI_BOOK_METRICS_H_
#define UPKEEP_CLI_BOOK_METRICS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "book_directory.h"
#include "upkeep/portfolio.h"

namespace upkeep::cli {

// customer id -> metric column -> canonical value text.
using MetricTable = std::map<std::string, std::map<std::string, std::string>>;

// Whether a column of a portfolio CSV header is a metric ("revenue", "metric:visits").
bool IsMetricColumn(std::string_view column);

// The header row of a CSV text (empty when there is none).
absl::StatusOr<std::vector<std::string>> CsvHeader(std::string_view csv);

// The metric columns of `header`, in its order.
std::vector<std::string> MetricColumns(const std::vector<std::string>& header);

// The canonical text of `column` for customer i of `portfolio` (the column must be a metric
// the portfolio has).
std::string MetricCell(const Portfolio& portfolio, std::string_view column, size_t customer);

// Every customer of `portfolio` with its cells of `columns` (metric columns it has).
MetricTable MetricTableOf(const Portfolio& portfolio, const std::vector<std::string>& columns);

absl::StatusOr<MetricTable> ParseMetricTable(std::string_view csv);
std::string FormatMetricTable(const MetricTable& table);

// The book's customers with `metrics` (a period's table), as a portfolio.
absl::StatusOr<Portfolio> BookPortfolio(const BookDirectory& directory, const MetricTable& metrics,
                                        Currency currency);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_METRICS_H_
