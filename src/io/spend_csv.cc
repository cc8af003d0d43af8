#include "upkeep/io/spend_csv.h"

#include <array>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/money.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::io {
namespace {

enum Field { kRequestId, kDate, kCustomerId, kCategory, kKind, kAmount, kActual, kFieldCount };
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "request_id", "date", "customer_id", "category", "kind", "amount", "actual_amount"};
constexpr bool IsOptional(size_t field) { return field == kActual; }

using Columns = std::array<std::optional<size_t>, kFieldCount>;

// Reads the cells of one record; errors name the column (the caller adds source and line).
class RowReader {
 public:
  RowReader(const CsvRecord& record, const Columns& columns) : record_(record), columns_(columns) {}

  absl::Status Error(ErrorCode code, Field field, std::string_view what) const {
    return MakeError(code, absl::StrCat(AsAbsl(kFieldNames[field]), ": ", AsAbsl(what)));
  }

  // The cell, "" for an absent optional column.
  absl::StatusOr<std::string> Text(Field field, bool may_be_empty = false) const {
    if (!columns_[field]) return std::string();
    const std::string& text = record_.fields[*columns_[field]];
    const size_t bad_byte = FirstInvalidUtf8Byte(text);
    if (bad_byte != text.size()) {
      return Error(ErrorCode::kInvalidUtf8, field,
                   absl::StrCat("invalid UTF-8 at byte ", bad_byte));
    }
    if (text.empty() && !may_be_empty) {
      return Error(ErrorCode::kInvalidArgument, field, "must not be empty");
    }
    return text;
  }

  absl::StatusOr<int64_t> Amount(Field field, std::string_view text, Currency currency) const {
    absl::StatusOr<Money> amount = Money::Parse(text, currency);
    if (!amount.ok()) {
      return Error(ErrorCodeOf(amount.status()), field,
                   absl::StrCat(amount.status().message(), ": \"", AsAbsl(text), "\""));
    }
    if (amount->amount_minor() <= 0) {
      return Error(ErrorCode::kInvalidArgument, field,
                   absl::StrCat("must be above zero: ", AsAbsl(text)));
    }
    return amount->amount_minor();
  }

 private:
  const CsvRecord& record_;
  const Columns& columns_;
};

absl::StatusOr<Columns> ReadHeader(const CsvRecord& header, std::string_view source) {
  Columns columns;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    for (size_t f = 0; f < kFieldCount; ++f) {
      if (header.fields[c] != kFieldNames[f]) continue;
      if (columns[f]) {
        return MakeError(ErrorCode::kParse,
                         absl::StrCat(AsAbsl(source), ":", header.line, ": column ",
                                      AsAbsl(kFieldNames[f]), " twice"));
      }
      columns[f] = c;
    }
  }
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (!columns[f] && !IsOptional(f)) {
      return MakeError(ErrorCode::kParse,
                       absl::StrCat(AsAbsl(source), ":", header.line, ": missing column ",
                                    AsAbsl(kFieldNames[f])));
    }
  }
  return columns;
}

absl::StatusOr<SpendRow> ReadRow(const RowReader& row, Currency currency) {
  SpendRow out;
  UPKEEP_ASSIGN_OR_RETURN(out.request_id, row.Text(kRequestId));
  UPKEEP_ASSIGN_OR_RETURN(const std::string date, row.Text(kDate));
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day)) {
    return row.Error(ErrorCode::kParse, kDate, absl::StrCat("not a date (YYYY-MM-DD): ", date));
  }
  out.time_micros = absl::ToUnixMicros(absl::FromCivil(day, absl::UTCTimeZone()));
  out.month = day.month();
  UPKEEP_ASSIGN_OR_RETURN(out.customer_id, row.Text(kCustomerId));
  UPKEEP_ASSIGN_OR_RETURN(out.category, row.Text(kCategory));
  UPKEEP_ASSIGN_OR_RETURN(const std::string kind, row.Text(kKind));
  if (kind != "spend" && kind != "reserve") {
    return row.Error(ErrorCode::kParse, kKind, absl::StrCat("must be spend or reserve: ", kind));
  }
  out.is_reserve = kind == "reserve";
  UPKEEP_ASSIGN_OR_RETURN(const std::string amount, row.Text(kAmount));
  UPKEEP_ASSIGN_OR_RETURN(out.amount_minor, row.Amount(kAmount, amount, currency));
  UPKEEP_ASSIGN_OR_RETURN(const std::string actual, row.Text(kActual, /*may_be_empty=*/true));
  out.actual_minor = out.amount_minor;
  if (!actual.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(out.actual_minor, row.Amount(kActual, actual, currency));
  }
  if (out.actual_minor > out.amount_minor) {
    return row.Error(ErrorCode::kInvalidArgument, kActual, "must not exceed amount");
  }
  return out;
}

}  // namespace

absl::StatusOr<SpendImport> ParseSpendCsv(std::string_view text, Currency currency, ImportMode mode,
                                          std::string_view source) {
  CsvReader reader(text);
  CsvRecord record;
  UPKEEP_ASSIGN_OR_RETURN(const bool has_header, reader.Next(record));
  if (!has_header) {
    return MakeError(ErrorCode::kParse, absl::StrCat(AsAbsl(source), ": no header row"));
  }
  UPKEEP_ASSIGN_OR_RETURN(const Columns columns, ReadHeader(record, source));
  const size_t width = record.fields.size();
  SpendImport result;
  absl::flat_hash_map<std::string, size_t> lines;  // request id -> line
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok()) {
      return MakeError(ErrorCodeOf(more.status()),
                       absl::StrCat(AsAbsl(source), ": ", more.status().message()));
    }
    if (!*more) break;
    absl::StatusOr<SpendRow> row;
    if (record.fields.size() != width) {
      row = MakeError(ErrorCode::kParse,
                      absl::StrCat(record.fields.size(), " fields, the header has ", width));
    } else {
      row = ReadRow(RowReader(record, columns), currency);
    }
    if (row.ok()) {
      const auto [first, inserted] = lines.try_emplace(row->request_id, record.line);
      if (inserted) {
        row->line = record.line;
        result.rows.push_back(*std::move(row));
        continue;
      }
      row = MakeError(ErrorCode::kAlreadyExists,
                      absl::StrCat("request_id: duplicate request id ", row->request_id,
                                   " (first on line ", first->second, ")"));
    }
    std::string reason =
        absl::StrCat(AsAbsl(source), ":", record.line, ": ", row.status().message());
    if (mode == ImportMode::kStrict) return MakeError(ErrorCodeOf(row.status()), reason);
    result.rejected.push_back({record.line, ErrorCodeOf(row.status()), std::move(reason)});
  }
  return result;
}

}  // namespace upkeep::io
