// cli/book_allocation.h: the period's plan over a book, and its budgets in the ledger.
//
// A book's customers keep the tier they were defined with (the ledger's tier pools depend on
// it), so PlanFromBook does not classify again: it takes the tiers from the book, the metrics
// from a period's table (book_metrics.h), sizes the pool by the book's policy (or takes the one
// given) and allocates it. ApplyPlan defines the period if the book lacks it (from the book's
// fiscal calendar: "FY2027", "FY2027-Q1", "FY2027-M01") and turns each customer's amount into
// one budget per fee category (categories.h), one ledger allocation per category with the op id
// "allocate-<period>-<category>": applying the same plan again changes nothing, a different
// plan for an allocated period is kIdempotencyConflict.
//
// Errors: kNotFound (no policy, no such metrics table when one is named), kInvalidArgument (no
// sizing and no pool; a period id the calendar cannot read), and the policy's and the ledger's.
// Thread safety: one command, one thread.
#ifndef UPKEEP_CLI_BOOK_ALLOCATION_H_
#define UPKEEP_CLI_BOOK_ALLOCATION_H_

#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "book_access.h"
#include "book_directory.h"
#include "upkeep/money.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"

namespace upkeep::cli {

struct LoadedPlan {
  std::shared_ptr<const PolicySet> policy;
  Portfolio portfolio;
  PeriodPlan plan;
};

// The plan of the book's customers by `policy` with the metrics of `metrics_period` ("": none).
absl::StatusOr<LoadedPlan> PlanFromBook(OpenedBook& book, const BookDirectory& directory,
                                        std::shared_ptr<const PolicySet> policy,
                                        std::string_view metrics_period, std::optional<Money> pool);

// The period `id` of the book, defined now from the calendar if it is new.
absl::StatusOr<ledger::Period> EnsurePeriod(OpenedBook& book, BookDirectory& directory,
                                            std::string_view id, std::string_view actor);

// The period after `period` in the book's fiscal calendar ("FY2026" -> "FY2027");
// kInvalidArgument naming `hint` (the option that would name it) for a period the calendar
// cannot read.
absl::StatusOr<std::string> CalendarNext(OpenedBook& book, std::string_view period,
                                         std::string_view hint);

// The plan's envelopes as the period's budgets, split over the book's categories.
absl::Status ApplyPlan(OpenedBook& book, BookDirectory& directory, const LoadedPlan& plan,
                       std::string_view period, std::string_view actor);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_ALLOCATION_H_
