// io/csv_rows.h: what the CSV importers share (not public): columns found by name in a header,
// cells read and checked with errors naming their column, and the loop over data records that
// keeps good rows, refuses duplicate keys, and fails (strict) or lists (skip) bad rows.
#ifndef UPKEEP_IO_CSV_ROWS_H_
#define UPKEEP_IO_CSV_ROWS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "upkeep/currency.h"
#include "upkeep/io/csv.h"
#include "upkeep/status.h"

namespace upkeep::io::internal {

struct ColumnSpec {
  std::string_view name;
  bool optional = false;
};

// Column index per spec (nullopt: an optional column the file does not have).
using Columns = std::vector<std::optional<size_t>>;

// The header of a file: where each spec's column is, and how many fields a record must have.
struct Header {
  Columns columns;
  size_t width = 0;
};

// Reads the header record. kParse naming the source (and line) for no header, a column given
// twice or a required one missing.
absl::StatusOr<Header> ReadHeader(CsvReader& reader, std::span<const ColumnSpec> specs,
                                  std::string_view source);

// The cells of one record; errors name the column (the caller adds source and line).
class CellReader {
 public:
  CellReader(const CsvRecord& record, const Columns& columns, std::span<const ColumnSpec> specs)
      : record_(record), columns_(columns), specs_(specs) {}

  absl::Status Error(ErrorCode code, size_t field, std::string_view what) const;
  // The cell, UTF-8 checked; "" for an absent optional column. Empty is kInvalidArgument
  // unless `may_be_empty`.
  absl::StatusOr<std::string> Text(size_t field, bool may_be_empty = false) const;
  // Money in `currency` (Money::Parse's code on error); `positive`: above zero.
  absl::StatusOr<int64_t> Amount(size_t field, std::string_view text, Currency currency,
                                 bool positive) const;
  // An integer within [min, max]; nullopt for an empty cell.
  absl::StatusOr<std::optional<int64_t>> Integer(size_t field, int64_t min, int64_t max) const;

 private:
  const CsvRecord& record_;
  const Columns& columns_;
  std::span<const ColumnSpec> specs_;
};

// Reads the data records after the header. `read(cells)` gives a row or an error naming its
// column; `key(row)` its key, unique in the file (a repeat is kAlreadyExists naming
// `key_column` and the first line). Good rows go to `rows` with their line set by `set_line`;
// in kStrict mode the first bad row fails the whole read, in kSkipBadRows it joins `rejected`.
template <typename Row, typename Read, typename Key, typename SetLine>
absl::Status ReadRecords(CsvReader& reader, const Header& header, std::span<const ColumnSpec> specs,
                         ImportMode mode, std::string_view source, std::string_view key_column,
                         Read read, Key key, SetLine set_line, std::vector<Row>& rows,
                         std::vector<RejectedRow>& rejected) {
  CsvRecord record;
  absl::flat_hash_map<std::string, size_t> lines;  // key -> first line
  while (true) {
    absl::StatusOr<bool> more = reader.Next(record);
    if (!more.ok()) {
      return MakeError(ErrorCodeOf(more.status()),
                       absl::StrCat(AsAbsl(source), ": ", more.status().message()));
    }
    if (!*more) return absl::OkStatus();
    absl::StatusOr<Row> row;
    if (record.fields.size() != header.width) {
      row = MakeError(ErrorCode::kParse,
                      absl::StrCat(record.fields.size(), " fields, the header has ", header.width));
    } else {
      row = read(CellReader(record, header.columns, specs));
    }
    if (row.ok()) {
      const auto [first, inserted] = lines.try_emplace(key(*row), record.line);
      if (inserted) {
        set_line(*row, record.line);
        rows.push_back(*std::move(row));
        continue;
      }
      row = MakeError(ErrorCode::kAlreadyExists,
                      absl::StrCat(AsAbsl(key_column), ": duplicate ", first->first,
                                   " (first on line ", first->second, ")"));
    }
    std::string reason =
        absl::StrCat(AsAbsl(source), ":", record.line, ": ", row.status().message());
    if (mode == ImportMode::kStrict) return MakeError(ErrorCodeOf(row.status()), reason);
    rejected.push_back({record.line, ErrorCodeOf(row.status()), std::move(reason)});
  }
}

}  // namespace upkeep::io::internal

#endif  // UPKEEP_IO_CSV_ROWS_H_
