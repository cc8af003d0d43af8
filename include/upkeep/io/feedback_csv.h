// upkeep/io/feedback_csv.h: outcomes and feedback from CSV, for a host or `upkeep import
// feedback` to record (monitor/feedback.h).
//
// The first record is a header naming the columns, in any order:
//   id              the row's id: unique in the file (kAlreadyExists otherwise)
//   customer_id     the customer
//   period          the period the row is about
//   kind            outcome | customer | account_manager | manager
//   revenue, revenue_before   outcome: decimal money in `currency`, >= 0 (required)
//   renewal         outcome: unknown | renewed | churned (empty: unknown)
//   satisfaction, recommend   customer: whole numbers 0..10 (empty: not asked)
//   complaints      customer: a whole number >= 0 (empty: 0)
//   rating          account_manager / manager: a whole number -2..2 (required)
//   author          account_manager / manager: the assessor's actor id (required)
//   comment         customer, account_manager, manager: free text
// Only id, customer_id, period and kind must be present as columns; a row that needs a cell
// of a missing or empty column is bad. Every value is checked: UTF-8 (kInvalidUtf8), money as
// Money::Parse (kParse, kPrecision), numbers (kParse) and ranges (kInvalidArgument), kinds and
// renewals (kParse). A bad row is "<source>:<line>: <column>: <what is wrong>".
// Whether customers and periods exist is for the recorder (Monitor::Record) to say.
//
// In kStrict mode the first bad row fails the whole read; in kSkipBadRows mode bad rows are
// listed in `rejected` and the rest is read. Malformed quoting is always fatal.
//
// Thread safety: pure function.
#ifndef UPKEEP_IO_FEEDBACK_CSV_H_
#define UPKEEP_IO_FEEDBACK_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/io/csv.h"
#include "upkeep/monitor/feedback.h"

namespace upkeep::io {

struct FeedbackRow {
  size_t line = 0;
  std::string id;
  std::variant<monitor::OutcomeRecord, monitor::CustomerFeedback, monitor::Assessment> record;
};

struct FeedbackImport {
  std::vector<FeedbackRow> rows;  // in file order
  std::vector<RejectedRow> rejected;
};

absl::StatusOr<FeedbackImport> ParseFeedbackCsv(std::string_view text, Currency currency,
                                                ImportMode mode, std::string_view source);

}  // namespace upkeep::io

#endif  // UPKEEP_IO_FEEDBACK_CSV_H_
