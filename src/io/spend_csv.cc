#include "upkeep/io/spend_csv.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "io/csv_rows.h"
#include "upkeep/money.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::io {
namespace {

using internal::CellReader;
using internal::ColumnSpec;

enum Field : size_t { kRequestId, kDate, kCustomerId, kCategory, kKind, kAmount, kActual };
constexpr ColumnSpec kSpecs[] = {{"request_id"},
                                 {"date"},
                                 {"customer_id"},
                                 {"category"},
                                 {"kind"},
                                 {"amount"},
                                 {"actual_amount", /*optional=*/true}};

absl::StatusOr<SpendRow> ReadRow(const CellReader& row, Currency currency) {
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
  UPKEEP_ASSIGN_OR_RETURN(out.amount_minor, row.Amount(kAmount, amount, currency, true));
  UPKEEP_ASSIGN_OR_RETURN(const std::string actual, row.Text(kActual, /*may_be_empty=*/true));
  out.actual_minor = out.amount_minor;
  if (!actual.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(out.actual_minor, row.Amount(kActual, actual, currency, true));
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
  UPKEEP_ASSIGN_OR_RETURN(const internal::Header header,
                          internal::ReadHeader(reader, kSpecs, source));
  SpendImport result;
  UPKEEP_RETURN_IF_ERROR(internal::ReadRecords(
      reader, header, kSpecs, mode, source, "request_id",
      [&](const CellReader& row) { return ReadRow(row, currency); },
      [](const SpendRow& row) { return row.request_id; },
      [](SpendRow& row, size_t line) { row.line = line; }, result.rows, result.rejected));
  return result;
}

}  // namespace upkeep::io
