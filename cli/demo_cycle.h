// cli/demo_cycle.h: the whole cycle on a portfolio, into a book: what `upkeep demo` runs.
//
// RunDemoCycle plans the period (classify, size, allocate) and fills a new book as the commands
// would: the policy document and the fee categories (book_settings.h), the actors (one per
// account manager, a manager, finance), the customers with their tiers, and the period's
// budgets: each customer's envelope split exactly over the categories (book_allocation.h).
// Then it runs a year of spend requests through the ledger in date order, each stamped with its
// date: a request that needs approval is approved by the manager up to
// kManagerApprovalLimitMinor and rejected above it; a reservation that is approved is posted
// for its actual amount. The book is committed at the end of each month and verified at the end.
// The demo's year is kDemoPeriod; its dashboard is drawn as of kDemoLastDay.
//
// Errors: any error of the inputs, the plan or the ledger (a request for an unknown customer is
// kNotFound), in which case the book may hold the months before it.
#ifndef UPKEEP_CLI_DEMO_CYCLE_H_
#define UPKEEP_CLI_DEMO_CYCLE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "book_access.h"
#include "upkeep/io/feedback_csv.h"
#include "upkeep/io/spend_csv.h"
#include "upkeep/ledger.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/portfolio.h"

namespace upkeep::cli {

struct DemoInputs {
  std::string policy_text;  // the document the book records
  std::shared_ptr<const PolicySet> policy;
  Portfolio portfolio;
  std::vector<std::string> metric_columns;  // the metric columns of data/portfolio.csv
  std::vector<io::SpendRow> requests;
  // What came back from the year (data/feedback.csv; empty when the folder has none): recorded
  // after the cycle, for the summary's effectiveness and feedback proposal.
  std::vector<io::FeedbackRow> feedback;
};

// Per month (index 0 is January): requests by the outcome the ledger gave first, and what
// became of those that needed approval.
struct MonthCounts {
  int64_t requests = 0;
  std::array<int64_t, 4> by_outcome{};  // indexed by ledger::Outcome
  int64_t approved_by_manager = 0;
  int64_t rejected_by_manager = 0;
  int64_t spent_minor = 0;  // spends and posts that month
};

struct DemoResult {
  PeriodPlan plan;
  std::array<MonthCounts, 12> months{};
  std::vector<ledger::ScopeSnapshot> scopes;  // the ledger's scopes at the end of the year
  uint64_t journal_entries = 0;
};

inline constexpr const char* kDemoPeriod = "FY2026";
// The portfolio's metrics describe the year before the demo's (kept in the book for it).
inline constexpr const char* kDemoMetricsPeriod = "FY2025";
inline constexpr const char* kDemoLastDay = "2026-12-31";
inline constexpr int64_t kManagerApprovalLimitMinor = 500'000;  // 5,000.00 in CNY

// Runs the cycle into `book` (new and empty); the book is committed and verified, and stays open.
absl::StatusOr<DemoResult> RunDemoCycle(const DemoInputs& inputs, OpenedBook& book);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_DEMO_CYCLE_H_
