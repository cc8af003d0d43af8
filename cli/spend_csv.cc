#include "spend_csv.h"

#include <array>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "upkeep/io/csv.h"
#include "upkeep/money.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::cli {
namespace {

enum Field { kRequestId, kDate, kCustomerId, kCategory, kKind, kAmount, kActual, kFieldCount };
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "request_id", "date", "customer_id", "category", "kind", "amount", "actual_amount"};

class RowReader {
 public:
  RowReader(std::string_view source, const io::CsvRecord& record,
            const std::array<size_t, kFieldCount>& columns)
      : source_(source), record_(record), columns_(columns) {}

  absl::Status Error(ErrorCode code, Field field, std::string_view what) const {
    return MakeError(code, absl::StrCat(std::string(source_), ":", record_.line, ": ",
                                        std::string(kFieldNames[field]), ": ", std::string(what)));
  }

  absl::StatusOr<std::string> Text(Field field) const {
    const std::string& text = record_.fields[columns_[field]];
    const size_t bad_byte = FirstInvalidUtf8Byte(text);
    if (bad_byte != text.size()) {
      return Error(ErrorCode::kInvalidUtf8, field,
                   absl::StrCat("invalid UTF-8 at byte ", bad_byte));
    }
    if (text.empty()) return Error(ErrorCode::kInvalidArgument, field, "must not be empty");
    return text;
  }

  absl::StatusOr<int64_t> Amount(Field field, Currency currency) const {
    absl::StatusOr<std::string> text = Text(field);
    if (!text.ok()) return text.status();
    absl::StatusOr<Money> amount = Money::Parse(*text, currency);
    if (!amount.ok()) {
      return Error(ErrorCodeOf(amount.status()), field, std::string(amount.status().message()));
    }
    if (amount->amount_minor() <= 0) {
      return Error(ErrorCode::kInvalidArgument, field, absl::StrCat("must be positive: ", *text));
    }
    return amount->amount_minor();
  }

 private:
  std::string_view source_;
  const io::CsvRecord& record_;
  const std::array<size_t, kFieldCount>& columns_;
};

absl::StatusOr<std::array<size_t, kFieldCount>> ReadHeader(const io::CsvRecord& header,
                                                           std::string_view source) {
  std::array<std::optional<size_t>, kFieldCount> found;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    for (size_t f = 0; f < kFieldCount; ++f) {
      if (header.fields[c] == kFieldNames[f]) found[f] = c;
    }
  }
  std::array<size_t, kFieldCount> columns{};
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (!found[f]) {
      return MakeError(ErrorCode::kParse,
                       absl::StrCat(std::string(source), ":", header.line, ": missing column ",
                                    std::string(kFieldNames[f])));
    }
    columns[f] = *found[f];
  }
  return columns;
}

absl::StatusOr<SpendRow> ReadRow(const RowReader& row, Currency currency) {
  SpendRow out;
  absl::StatusOr<std::string> text = row.Text(kRequestId);
  if (!text.ok()) return text.status();
  out.request_id = *std::move(text);
  if (!(text = row.Text(kCustomerId)).ok()) return text.status();
  out.customer_id = *std::move(text);
  if (!(text = row.Text(kCategory)).ok()) return text.status();
  out.category = *std::move(text);
  if (!(text = row.Text(kKind)).ok()) return text.status();
  if (*text != "spend" && *text != "reserve") {
    return row.Error(ErrorCode::kParse, kKind, absl::StrCat("must be spend or reserve: ", *text));
  }
  out.is_reserve = *text == "reserve";
  if (!(text = row.Text(kDate)).ok()) return text.status();
  absl::CivilDay day;
  if (!absl::ParseCivilTime(*text, &day)) {
    return row.Error(ErrorCode::kParse, kDate, absl::StrCat("not a date (YYYY-MM-DD): ", *text));
  }
  out.time_micros = absl::ToUnixMicros(absl::FromCivil(day, absl::UTCTimeZone()));
  out.month = day.month();
  absl::StatusOr<int64_t> amount_minor = row.Amount(kAmount, currency);
  if (!amount_minor.ok()) return amount_minor.status();
  out.amount_minor = *amount_minor;
  if (!(amount_minor = row.Amount(kActual, currency)).ok()) return amount_minor.status();
  out.actual_minor = *amount_minor;
  if (out.actual_minor > out.amount_minor) {
    return row.Error(ErrorCode::kInvalidArgument, kActual, "must not exceed amount");
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<SpendRow>> ParseSpendCsv(std::string_view text, Currency currency,
                                                    std::string_view source) {
  io::CsvReader reader(text);
  io::CsvRecord record;
  absl::StatusOr<bool> more = reader.Next(record);
  if (!more.ok()) return more.status();
  if (!*more) return MakeError(ErrorCode::kParse, absl::StrCat(std::string(source), ": empty"));
  absl::StatusOr<std::array<size_t, kFieldCount>> columns = ReadHeader(record, source);
  if (!columns.ok()) return columns.status();
  const size_t width = record.fields.size();
  std::vector<SpendRow> rows;
  absl::flat_hash_set<std::string> ids;
  while (true) {
    more = reader.Next(record);
    if (!more.ok()) {
      return MakeError(ErrorCodeOf(more.status()),
                       absl::StrCat(std::string(source), ": ", more.status().message()));
    }
    if (!*more) break;
    if (record.fields.size() != width) {
      return MakeError(ErrorCode::kParse,
                       absl::StrCat(std::string(source), ":", record.line, ": ",
                                    record.fields.size(), " fields, the header has ", width));
    }
    const RowReader row(source, record, *columns);
    absl::StatusOr<SpendRow> parsed = ReadRow(row, currency);
    if (!parsed.ok()) return parsed.status();
    if (!ids.insert(parsed->request_id).second) {
      return row.Error(ErrorCode::kAlreadyExists, kRequestId,
                       absl::StrCat("duplicate request id ", parsed->request_id));
    }
    rows.push_back(*std::move(parsed));
  }
  return rows;
}

}  // namespace upkeep::cli
