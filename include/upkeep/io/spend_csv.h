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
// Thread safety: pure function.
#ifndef UPKEEP_IO_SPEND_CSV_H_
#define UPKEEP_IO_SPEND_CSV_H_

#include <cstddef>
#include <cstdint>
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

absl::StatusOr<SpendImport> ParseSpendCsv(std::string_view text, Currency currency, ImportMode mode,
                                          std::string_view source);

}  // namespace upkeep::io

#endif  // UPKEEP_IO_SPEND_CSV_H_
