// cli/spend_csv.h: spend requests from CSV (examples/data/spend.csv, made by
// examples/generate_sample.py).
//
// Header (columns in any order): request_id,date,customer_id,category,kind,amount,actual_amount
//   date           YYYY-MM-DD (UTC)
//   kind           "spend" (spent directly) or "reserve" (held, then posted for actual_amount)
//   amount         decimal money in `currency`; actual_amount likewise, at most amount
// The first bad row fails the whole read: kParse / kPrecision / kInvalidUtf8 / kInvalidArgument
// naming "<source>:<line>: <column>: <what is wrong>"; a repeated request_id is kAlreadyExists.
//
// Thread safety: pure function.
#ifndef UPKEEP_CLI_SPEND_CSV_H_
#define UPKEEP_CLI_SPEND_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"

namespace upkeep::cli {

struct SpendRow {
  std::string request_id;
  int64_t time_micros = 0;  // the request's day, 00:00 UTC
  int month = 0;            // 1..12, of that day
  std::string customer_id;
  std::string category;
  bool is_reserve = false;
  int64_t amount_minor = 0;
  int64_t actual_minor = 0;
};

absl::StatusOr<std::vector<SpendRow>> ParseSpendCsv(std::string_view text, Currency currency,
                                                    std::string_view source);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_SPEND_CSV_H_
