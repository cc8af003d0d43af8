// upkeep/io/spend_csv.h: spend requests from CSV (e.g. examples/data/spend.csv, made by
// examples/generate_sample.py), for a host or `upkeep import spend` to run through a ledger.
//
// The first record is a header naming the columns, in any order:
//   request_id     the request's operation id: unique in the file (kAlreadyExists otherwise)
//   date           YYYY-MM-DD (UTC)
//   customer_id    the customer
//   category       the fee category
//   kind           "spend" (spent directly) or "reserve" (held, then posted for actual_amount)
//   amount         decimal money in `currency`, above zero
//   actual_amount  optional: what was actually spent, at most amount (empty: the amount)
// Every value is checked: UTF-8 (kInvalidUtf8), money as Money::Parse (kParse, kPrecision for
// more decimals than the currency has), dates and kinds (kParse), empty cells and amounts not
// above zero (kInvalidArgument). A bad row is "<source>:<line>: <column>: <what is wrong>"; a
// missing column is kParse naming it, always fatal.
//
// In kStrict mode the first bad row fails the whole read; in kSkipBadRows mode bad rows are
// listed in `rejected` and the rest is read. Malformed quoting is always fatal (the record
// boundaries are lost).
//
//   absl::StatusOr<upkeep::io::SpendImport> read = upkeep::io::ParseSpendCsv(
//       text, cny, upkeep::io::ImportMode::kSkipBadRows, "spend.csv");
//
// SpendCsvReader reads the same rows one at a time, for a host that runs each row as it reads
// it instead of holding them all (`upkeep import spend`; ParseSpendCsv is built on it):
//
//   UPKEEP_ASSIGN_OR_RETURN(upkeep::io::SpendCsvReader reader,
//                           upkeep::io::SpendCsvReader::Open(text, cny, "spend.csv"));
//   upkeep::io::SpendRow row;
//   upkeep::io::RejectedRow bad;
//   for (;;) {
//     UPKEEP_ASSIGN_OR_RETURN(const upkeep::io::RowRead read, reader.Next(row, bad));
//     if (read == upkeep::io::RowRead::kEnd) break;
//     ... read == kRow ? row : bad ...
//   }
//
// Ownership: a SpendCsvReader refers to `text` and `source`, which must outlive it.
// Thread safety: ParseSpendCsv is a pure function; a SpendCsvReader is used by one thread.
#ifndef UPKEEP_IO_SPEND_CSV_H_
#define UPKEEP_IO_SPEND_CSV_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/io/csv.h"

namespace upkeep::io {

struct SpendRow {
  size_t line = 0;  // where it was read
  std::string request_id;
  int64_t time_micros = 0;  // the request's day, 00:00 UTC
  int month = 0;            // 1..12, of that day
  std::string customer_id;
  std::string category;
  bool is_reserve = false;
  int64_t amount_minor = 0;
  int64_t actual_minor = 0;
};

struct SpendImport {
  std::vector<SpendRow> rows;  // in file order
  std::vector<RejectedRow> rejected;
};

class SpendCsvReader {
 public:
  // Reads the header and checks the quoting of the whole text: kParse naming `source` for no
  // header, a column given twice or a required one missing, or malformed quoting (so that a
  // host acting on each row as it is read acts on none of a malformed file).
  static absl::StatusOr<SpendCsvReader> Open(std::string_view text, Currency currency,
                                             std::string_view source);
  SpendCsvReader(SpendCsvReader&&) noexcept;
  SpendCsvReader& operator=(SpendCsvReader&&) noexcept;
  ~SpendCsvReader();

  // The next record: kRow with `row` filled (every field, its line included), kBad with `bad`
  // saying why (a bad value, or a request id seen before; `row` is left half-filled), or kEnd.
  // Errors only if the text changed since Open (its quoting was checked there).
  absl::StatusOr<RowRead> Next(SpendRow& row, RejectedRow& bad);
  // About the rows left (the line breaks after the position), for sizing and progress.
  size_t LinesLeft() const;

 private:
  struct State;
  explicit SpendCsvReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

absl::StatusOr<SpendImport> ParseSpendCsv(std::string_view text, Currency currency, ImportMode mode,
                                          std::string_view source);

}  // namespace upkeep::io

#endif  // UPKEEP_IO_SPEND_CSV_H_
