// cli/book_records.h: the feedback and alerts a book keeps (the store's feedback and alerts
// tables, upkeep/store/store.h and docs/store.md), and the monitor they go into.
//
// Feedback: `upkeep import feedback` keeps each row that the book's monitor accepted
// (Monitor::Record: known customer and period, in range) as one record: id = the row's id,
// kind = outcome | customer | account_manager | manager, subject = the customer, body = the
// record as a feedback log of one (monitor::ToJson(FeedbackLog)). RecordKeptFeedback puts every
// kept record into a monitor replayed from the book (MonitorBook does), so effectiveness and
// proposals read what the book kept.
//
// Alerts: KeepAlerts keeps every alert a command's monitor raised or cleared. An alert's id is
// "<rule>|<raised or cleared>|<scope>|<threshold_bp>|<time_micros>", so a later command's
// replay that raises it again finds it kept; the record first kept stays (later spend dated
// before it does not rewrite what was raised then). Body: monitor::ToJson(Alert) without its
// per-run "seq".
//
// Errors: the store's; kCorrupt naming the record for a kept body that does not read back.
// Thread safety: one command, one thread.
#ifndef UPKEEP_CLI_BOOK_RECORDS_H_
#define UPKEEP_CLI_BOOK_RECORDS_H_

#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "progress.h"
#include "upkeep/io/feedback_csv.h"
#include "upkeep/monitor/monitor.h"
#include "upkeep/store/store.h"

namespace upkeep::cli {

// Records `rows` in `watcher` and keeps the new ones in `store` (one PutRecords). Per row:
// true (recorded and kept), false (the book keeps it already), or why it was left out: a
// row-level error (kNotFound for an unknown customer or period, kIdempotencyConflict for an id
// the book keeps with other contents, kAlreadyExists for another outcome of the customer and
// period, ...). An error of the store is returned for the whole call.
// `progress` (may be null) is updated row by row.
absl::StatusOr<std::vector<absl::StatusOr<bool>>> KeepFeedbackRows(
    store::Store& store, monitor::Monitor& watcher, std::span<const io::FeedbackRow> rows,
    Progress* progress);

// "outcome", "customer", "account_manager" or "manager".
std::string_view FeedbackKind(const io::FeedbackRow& row);

// Records every feedback record `store` keeps into `watcher`.
absl::Status RecordKeptFeedback(const store::Store& store, monitor::Monitor& watcher);

// Keeps the alerts of `alerts` that `store` does not keep yet.
absl::Status KeepAlerts(store::Store& store, std::span<const monitor::Alert> alerts,
                        Currency currency);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_RECORDS_H_
