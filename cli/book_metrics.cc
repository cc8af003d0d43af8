#include "book_metrics.h"

#include <charconv>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "output.h"
#include "upkeep/customer.h"
#include "upkeep/io/csv.h"
#include "upkeep/io/portfolio_csv.h"
#include "upkeep/money.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

constexpr std::string_view kCustomPrefix = "metric:";

std::string ShortestText(double value) {
  char buffer[32];
  const std::to_chars_result end = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end.ptr);
}

std::set<std::string> ColumnsOf(const MetricTable& table) {
  std::set<std::string> columns;
  for (const auto& [id, cells] : table) {
    for (const auto& [column, value] : cells) columns.insert(column);
  }
  return columns;
}

}  // namespace

bool IsMetricColumn(std::string_view column) {
  return FindStandardMetric(column).has_value() ||
         (column.starts_with(kCustomPrefix) && column.size() > kCustomPrefix.size());
}

std::string MetricCell(const Portfolio& portfolio, std::string_view column, size_t customer) {
  const std::string_view name =
      column.starts_with(kCustomPrefix) ? column.substr(kCustomPrefix.size()) : column;
  absl::StatusOr<MetricRef> metric = portfolio.ResolveMetric(name);
  if (!metric.ok()) return "0";
  const double value = portfolio.MetricValue(*metric, customer);
  if (portfolio.IsMoneyMetric(*metric)) {
    return AmountText(static_cast<int64_t>(value), portfolio.currency());
  }
  return ShortestText(value);
}

absl::StatusOr<std::vector<std::string>> CsvHeader(std::string_view csv) {
  io::CsvReader reader(csv);
  io::CsvRecord header;
  UPKEEP_ASSIGN_OR_RETURN(const bool has_header, reader.Next(header));
  if (!has_header) return std::vector<std::string>{};
  return std::move(header.fields);
}

std::vector<std::string> MetricColumns(const std::vector<std::string>& header) {
  std::vector<std::string> columns;
  for (const std::string& column : header) {
    if (IsMetricColumn(column)) columns.push_back(column);
  }
  return columns;
}

MetricTable MetricTableOf(const Portfolio& portfolio, const std::vector<std::string>& columns) {
  MetricTable table;
  for (size_t i = 0; i < portfolio.size(); ++i) {
    std::map<std::string, std::string>& cells = table[portfolio.customer(i).id];
    for (const std::string& column : columns) cells[column] = MetricCell(portfolio, column, i);
  }
  return table;
}

absl::StatusOr<MetricTable> ParseMetricTable(std::string_view csv) {
  MetricTable table;
  io::CsvReader reader(csv);
  io::CsvRecord header;
  UPKEEP_ASSIGN_OR_RETURN(const bool has_header, reader.Next(header));
  if (!has_header) return table;
  io::CsvRecord record;
  while (true) {
    UPKEEP_ASSIGN_OR_RETURN(const bool more, reader.Next(record));
    if (!more) break;
    if (record.fields.size() != header.fields.size() || record.fields.empty()) {
      return MakeError(ErrorCode::kCorrupt, absl::StrCat("stored metrics: line ", record.line,
                                                         " has ", record.fields.size(), " fields"));
    }
    std::map<std::string, std::string>& cells = table[record.fields[0]];
    for (size_t c = 1; c < record.fields.size(); ++c) {
      if (!record.fields[c].empty()) cells[header.fields[c]] = record.fields[c];
    }
  }
  return table;
}

std::string FormatMetricTable(const MetricTable& table) {
  const std::set<std::string> columns = ColumnsOf(table);
  std::string text = "customer_id";
  for (const std::string& column : columns) absl::StrAppend(&text, ",", CsvField(column));
  text += "\n";
  for (const auto& [id, cells] : table) {
    text += CsvField(id);
    for (const std::string& column : columns) {
      const auto cell = cells.find(column);
      absl::StrAppend(&text, ",", cell == cells.end() ? "" : CsvField(cell->second));
    }
    text += "\n";
  }
  return text;
}

absl::StatusOr<Portfolio> BookPortfolio(const BookDirectory& directory, const MetricTable& metrics,
                                        Currency currency) {
  const std::set<std::string> columns = ColumnsOf(metrics);
  std::string text = "customer_id,owner,region";
  for (const std::string& column : columns) absl::StrAppend(&text, ",", CsvField(column));
  text += "\n";
  for (const auto& [id, customer] : directory.customers) {
    absl::StrAppend(&text, CsvField(id), ",", CsvField(customer.owner), ",",
                    CsvField(customer.region));
    const auto row = metrics.find(id);
    for (const std::string& column : columns) {
      std::string cell;
      if (row != metrics.end()) {
        if (const auto found = row->second.find(column); found != row->second.end()) {
          cell = found->second;
        }
      }
      absl::StrAppend(&text, ",", CsvField(cell));
    }
    text += "\n";
  }
  UPKEEP_ASSIGN_OR_RETURN(
      io::PortfolioImport imported,
      io::ParsePortfolioCsv(text, currency, io::ImportMode::kStrict, "the book's metrics"));
  return std::move(imported.portfolio);
}

}  // namespace upkeep::cli
