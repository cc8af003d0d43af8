// cli/book_monitor.h: monitoring a book after the fact.
//
// A command runs in its own process, so nothing watched the book as it changed. MonitorBook
// replays the book's whole journal into a scratch ledger with a Monitor attached
// (upkeep/monitor/monitor.h), under the monitoring section of the book's policy: the monitor
// learns every period, customer, scope and spend, and raises and clears its alerts in journal
// order at each event's time. Then it sweeps at `now_micros` (the time-driven rules: pace,
// forecast breach, under-use). Then the monitor records the feedback the book keeps, and the
// book keeps the alerts the monitor raised or cleared (book_records.h). Reports, forecasts,
// effectiveness and proposals read the monitor; the ledger is not written.
//
// Scopes are named as the book's own ledger names them (scope ids are the same in a replayed
// ledger), read before the replay starts.
// Cost: one replay of the journal (about a microsecond per entry) and a second copy of the
// ledger's state in memory while it runs.
//
// Errors: the store's; the replay's (kCorrupt for a damaged journal; kPolicyInvalid for journaled
// custom control policies, which the command line does not register). Ownership: the monitor is the
// caller's; it keeps nothing of the book. Thread safety: one command, one thread.
#ifndef UPKEEP_CLI_BOOK_MONITOR_H_
#define UPKEEP_CLI_BOOK_MONITOR_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "book_access.h"
#include "upkeep/monitor/monitor.h"
#include "upkeep/policy.h"

namespace upkeep::cli {

absl::StatusOr<std::unique_ptr<monitor::Monitor>> MonitorBook(OpenedBook& book,
                                                              const PolicySet& policy,
                                                              int64_t now_micros);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_MONITOR_H_
