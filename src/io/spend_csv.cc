#include "upkeep/io/spend_csv.h"

#include <cstddef>
#include <cstdint>
#include <future>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/absl_compat.h"
#include "base/second_thread.h"
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

// Reads date cells (YYYY-MM-DD, UTC), remembering the last one: a file in date order parses
// each day once.
class DayReader {
 public:
  // False when `text` is not a date.
  bool Read(std::string_view text, SpendRow& out) {
    if (!has_last_ || text != last_text_) {
      absl::CivilDay day;
      if (text.size() != 10 || !absl::ParseCivilTime(AsAbsl(text), &day)) return false;
      last_text_.assign(text);
      last_micros_ = absl::ToUnixMicros(absl::FromCivil(day, absl::UTCTimeZone()));
      last_month_ = day.month();
      has_last_ = true;
    }
    out.time_micros = last_micros_;
    out.month = last_month_;
    return true;
  }

 private:
  bool has_last_ = false;
  std::string last_text_;
  int64_t last_micros_ = 0;
  int last_month_ = 0;
};

absl::Status ReadRow(const CellReader& row, Currency currency, DayReader& days, SpendRow& out) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view request_id, row.Text(kRequestId));
  out.request_id.assign(request_id);
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view date, row.Text(kDate));
  if (!days.Read(date, out)) {
    return row.Error(ErrorCode::kParse, kDate,
                     absl::StrCat("not a date (YYYY-MM-DD): ", AsAbsl(date)));
  }
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view customer_id, row.Text(kCustomerId));
  out.customer_id.assign(customer_id);
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view category, row.Text(kCategory));
  out.category.assign(category);
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view kind, row.Text(kKind));
  if (kind != "spend" && kind != "reserve") {
    return row.Error(ErrorCode::kParse, kKind,
                     absl::StrCat("must be spend or reserve: ", AsAbsl(kind)));
  }
  out.is_reserve = kind == "reserve";
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view amount, row.Text(kAmount));
  UPKEEP_ASSIGN_OR_RETURN(out.amount_minor, row.Amount(kAmount, amount, currency, true));
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view actual, row.Text(kActual, /*may_be_empty=*/true));
  out.actual_minor = out.amount_minor;
  if (!actual.empty()) {
    UPKEEP_ASSIGN_OR_RETURN(out.actual_minor, row.Amount(kActual, actual, currency, true));
  }
  if (out.actual_minor > out.amount_minor) {
    return row.Error(ErrorCode::kInvalidArgument, kActual, "must not exceed amount");
  }
  return absl::OkStatus();
}

// From this size (about 100,000 rows) a file's quoting is checked beside the counting of its
// lines: each is a pass over the whole file, several milliseconds at 40 MB (a million rows).
constexpr size_t kQuotingAsideBytes = size_t{4} << 20;

}  // namespace

struct SpendCsvReader::State {
  internal::RowReader rows;
  Currency currency;
  DayReader days{};
};

SpendCsvReader::SpendCsvReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
SpendCsvReader::SpendCsvReader(SpendCsvReader&&) noexcept = default;
SpendCsvReader& SpendCsvReader::operator=(SpendCsvReader&&) noexcept = default;
SpendCsvReader::~SpendCsvReader() = default;

absl::StatusOr<SpendCsvReader> SpendCsvReader::Open(std::string_view text, Currency currency,
                                                    std::string_view source) {
  CsvReader reader(text);
  UPKEEP_ASSIGN_OR_RETURN(internal::Header header, internal::ReadHeader(reader, kSpecs, source));
  // Each is a pass over the whole text: a large file's quoting is checked on a second thread
  // while its lines are counted (RowReader).
  std::future<absl::Status> quoting = OnSecondThreadIf(
      text.size() >= kQuotingAsideBytes, [text] { return CsvReader::CheckQuoting(text); });
  internal::RowReader rows(reader, std::move(header), kSpecs, source, "request_id");
  if (const absl::Status quoted = quoting.get(); !quoted.ok()) {
    return MakeError(ErrorCodeOf(quoted), absl::StrCat(AsAbsl(source), ": ", quoted.message()));
  }
  return SpendCsvReader(
      std::make_unique<State>(State{.rows = std::move(rows), .currency = currency}));
}

absl::StatusOr<RowRead> SpendCsvReader::Next(SpendRow& row, RejectedRow& bad) {
  State& state = *state_;
  UPKEEP_ASSIGN_OR_RETURN(
      const RowRead read,
      state.rows.Next(
          [&state](const CellReader& cells, SpendRow& out) {
            return ReadRow(cells, state.currency, state.days, out);
          },
          [](const SpendRow& out) -> std::string_view { return out.request_id; }, row, bad));
  if (read == RowRead::kRow) row.line = state.rows.line();
  return read;
}

size_t SpendCsvReader::LinesLeft() const { return state_->rows.LinesLeft(); }

absl::StatusOr<SpendImport> ParseSpendCsv(std::string_view text, Currency currency, ImportMode mode,
                                          std::string_view source) {
  UPKEEP_ASSIGN_OR_RETURN(SpendCsvReader reader, SpendCsvReader::Open(text, currency, source));
  SpendImport result;
  UPKEEP_RETURN_IF_ERROR(internal::ReadAllRows(
      reader.LinesLeft(), mode,
      [&reader](SpendRow& row, RejectedRow& bad) { return reader.Next(row, bad); }, result.rows,
      result.rejected));
  return result;
}

}  // namespace upkeep::io
