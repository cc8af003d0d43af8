// cli/book_view.h: a read-only look at a book at a point in time, for alerts, forecasts and
// reports: the book, its policy, what it has defined, and a monitor replayed up to now
// (book_monitor.h), or, for reports that read only the facts, the facts the book keeps.
//
//   --book PATH        the book
//   --as-of DATE       the time to look from (YYYY-MM-DD, UTC; default today): the period's
//                      elapsed share, the burn rate and the time-driven alerts are taken then
//   --period P         the period to look at (default: the book's period holding --as-of, else
//                      the latest one that started before it)
//
// Errors: those of opening the book and replaying it; kNotFound when the book has no period to
// look at.
// Thread safety: one command, one thread.
#ifndef UPKEEP_CLI_BOOK_VIEW_H_
#define UPKEEP_CLI_BOOK_VIEW_H_

#include <cstdint>
#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "book_access.h"
#include "book_directory.h"
#include "output.h"
#include "upkeep/monitor/monitor.h"
#include "upkeep/policy.h"

namespace upkeep::cli {

struct ViewArguments {
  BookArguments book;
  std::string as_of;
  std::string period;
  Format format = Format::kTable;
};

void AddViewOptions(CLI::App& command, ViewArguments& args);

// What a view holds: a monitor replayed up to now (alerts, forecasts), or only the facts, read
// from the book's follower without a replay (book_follower.h; reports of budgets and use).
enum class ViewNeeds : uint8_t { kMonitor, kFacts };

struct BookView {
  OpenedBook book;
  std::shared_ptr<const PolicySet> policy;
  BookDirectory directory;
  std::unique_ptr<monitor::Monitor> monitor;  // null in a kFacts view
  const monitor::Facts* facts = nullptr;      // kFacts: the book's (owned by `book`)
  int64_t now_micros = 0;
  ledger::Period period;  // the period looked at

  // Runs `read` with the facts: the monitor's, or the book's in a kFacts view.
  void ReadFacts(absl::FunctionRef<void(const monitor::Facts&)> read) const;
};

absl::StatusOr<BookView> OpenView(const ViewArguments& args, ViewNeeds needs = ViewNeeds::kMonitor);

// The view of `book`, open already, at `now_micros` on `period` (empty: chosen as --period is).
absl::StatusOr<BookView> ViewOf(OpenedBook book, int64_t now_micros, const std::string& period,
                                ViewNeeds needs = ViewNeeds::kMonitor);

// "85.3": a share in basis points as a percentage with one decimal.
std::string PercentOfBasisPoints(int64_t basis_points);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_VIEW_H_
