#include "upkeep/io/portfolio_csv.h"

#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/io/csv.h"
#include "upkeep/money.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::io {
namespace {

constexpr std::string_view kCustomPrefix = "metric:";

enum class ColumnKind { kId, kName, kOwner, kRegion, kMoney, kNumber, kCustom, kAttribute };

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::kAttribute;
  std::optional<StandardMetric> metric;  // for kMoney and kNumber
};

absl::StatusOr<std::vector<Column>> ReadHeader(const CsvRecord& header, std::string_view source) {
  std::vector<Column> columns;
  absl::flat_hash_set<std::string> seen;
  bool has_id = false;
  for (const std::string& raw : header.fields) {
    UPKEEP_RETURN_IF_ERROR(
        CheckUtf8(raw, absl::StrCat(AsAbsl(source), ":", header.line, ": header")));
    if (!seen.insert(raw).second) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          absl::StrCat(AsAbsl(source), ":", header.line, ": column \"", raw, "\" appears twice"));
    }
    Column column{raw, ColumnKind::kAttribute, std::nullopt};
    if (raw == "customer_id") {
      column.kind = ColumnKind::kId;
      has_id = true;
    } else if (raw == "name") {
      column.kind = ColumnKind::kName;
    } else if (raw == "owner") {
      column.kind = ColumnKind::kOwner;
    } else if (raw == "region") {
      column.kind = ColumnKind::kRegion;
    } else if (std::optional<StandardMetric> metric = FindStandardMetric(raw)) {
      column.kind = IsMoneyMetric(*metric) ? ColumnKind::kMoney : ColumnKind::kNumber;
      column.metric = metric;
    } else if (raw.starts_with(kCustomPrefix) && raw.size() > kCustomPrefix.size()) {
      column.kind = ColumnKind::kCustom;
      column.name = raw.substr(kCustomPrefix.size());
    }
    columns.push_back(std::move(column));
  }
  if (!has_id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat(AsAbsl(source), ":", header.line, ": no customer_id column"));
  }
  return columns;
}

void SetNumber(CustomerMetrics& m, StandardMetric metric, double value) {
  switch (metric) {
    case StandardMetric::kGrowth:
      m.growth = value;
      break;
    case StandardMetric::kTenureMonths:
      m.tenure_months = value;
      break;
    case StandardMetric::kOrderCount:
      m.order_count = value;
      break;
    case StandardMetric::kRecencyDays:
      m.recency_days = value;
      break;
    case StandardMetric::kSatisfaction:
      m.satisfaction = value;
      break;
    case StandardMetric::kChurnRisk:
      m.churn_risk = value;
      break;
    case StandardMetric::kRevenue:
    case StandardMetric::kGrossMargin:
      break;  // money columns are parsed exactly, never as numbers
  }
}

struct Row {
  Customer customer;
  CustomerMetrics metrics;
  std::vector<std::pair<std::string, double>> custom;
};

// Parses one data record; errors name the column (the caller prefixes source and line).
absl::StatusOr<Row> ReadRow(const CsvRecord& record, const std::vector<Column>& columns,
                            Currency currency) {
  if (record.fields.size() != columns.size()) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        absl::StrCat("expected ", columns.size(), " fields, found ", record.fields.size()));
  }
  Row row;
  for (size_t k = 0; k < columns.size(); ++k) {
    const Column& column = columns[k];
    const std::string& cell = record.fields[k];
    UPKEEP_RETURN_IF_ERROR(CheckUtf8(cell, column.name));
    auto bad = [&](std::string_view what) {
      return MakeError(ErrorCode::kParse,
                       absl::StrCat(column.name, ": ", AsAbsl(what), " \"", cell, "\""));
    };
    switch (column.kind) {
      case ColumnKind::kId:
        row.customer.id = cell;
        break;
      case ColumnKind::kName:
        row.customer.name = cell;
        break;
      case ColumnKind::kOwner:
        row.customer.owner = cell;
        break;
      case ColumnKind::kRegion:
        row.customer.region = cell;
        break;
      case ColumnKind::kMoney: {
        if (cell.empty()) break;
        absl::StatusOr<Money> amount = Money::Parse(cell, currency);
        if (!amount.ok()) {
          return MakeError(ErrorCodeOf(amount.status()),
                           absl::StrCat(column.name, ": ", amount.status().message()));
        }
        if (column.metric == StandardMetric::kRevenue) {
          row.metrics.revenue_minor = amount->amount_minor();
        } else {
          row.metrics.gross_margin_minor = amount->amount_minor();
        }
        break;
      }
      case ColumnKind::kNumber:
      case ColumnKind::kCustom: {
        if (cell.empty()) break;
        double value = 0;
        if (!absl::SimpleAtod(cell, &value)) return bad("not a number:");
        if (column.kind == ColumnKind::kCustom) {
          row.custom.emplace_back(column.name, value);
        } else {
          SetNumber(row.metrics, *column.metric, value);
        }
        break;
      }
      case ColumnKind::kAttribute:
        if (!cell.empty()) row.customer.attributes.emplace_back(column.name, cell);
        break;
    }
  }
  return row;
}

}  // namespace

absl::StatusOr<PortfolioImport> ParsePortfolioCsv(std::string_view text, Currency currency,
                                                  ImportMode mode, std::string_view source) {
  CsvReader reader(text);
  CsvRecord record;
  UPKEEP_ASSIGN_OR_RETURN(bool has_header, reader.Next(record));
  if (!has_header) {
    return MakeError(ErrorCode::kInvalidArgument, absl::StrCat(AsAbsl(source), ": no header row"));
  }
  UPKEEP_ASSIGN_OR_RETURN(std::vector<Column> columns, ReadHeader(record, source));

  PortfolioImport result;
  PortfolioBuilder builder(currency);
  absl::flat_hash_map<std::string, size_t> lines;  // id -> line
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok()) {
      // Malformed quoting loses the record boundaries: no later row can be trusted.
      return MakeError(ErrorCode::kParse,
                       absl::StrCat(AsAbsl(source), ": ", more.status().message()));
    }
    if (!*more) break;
    absl::Status row_status;
    absl::StatusOr<Row> row = ReadRow(record, columns, currency);
    if (!row.ok()) {
      row_status = row.status();
    } else if (const auto seen = lines.find(row->customer.id); seen != lines.end()) {
      row_status = MakeError(ErrorCode::kAlreadyExists,
                             absl::StrCat("customer_id: duplicate id \"", row->customer.id,
                                          "\" (first on line ", seen->second, ")"));
    } else {
      std::string id = row->customer.id;
      row_status = builder.Add(std::move(row->customer), row->metrics, std::move(row->custom));
      if (row_status.ok()) lines.emplace(std::move(id), record.line);
    }
    if (row_status.ok()) {
      ++result.rows_imported;
      continue;
    }
    std::string reason = absl::StrCat(AsAbsl(source), ":", record.line, ": ", row_status.message());
    if (mode == ImportMode::kStrict) return MakeError(ErrorCodeOf(row_status), reason);
    result.rejected.push_back({record.line, ErrorCodeOf(row_status), std::move(reason)});
  }
  UPKEEP_ASSIGN_OR_RETURN(result.portfolio, std::move(builder).Build());
  result.lines.resize(result.portfolio.size());
  for (size_t i = 0; i < result.portfolio.size(); ++i) {
    result.lines[i] = lines.at(result.portfolio.customer(i).id);
  }
  return result;
}

}  // namespace upkeep::io
