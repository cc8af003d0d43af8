// cli/book_settings.h: what the command line keeps in a book beside the ledger.
//
// Kept as book properties (Store::GetProperty / SetProperty), not in the hash-chained journal:
//   policy.version, policy.<n>   the policy document, every version as it was given
//   categories                   the fee categories and their shares (categories.h)
//   fiscal_year_start_month      1..12: the month fiscal years start ("FY2026" periods)
//   metrics.<period>             customer metrics imported for a period (a portfolio CSV)
//   rollover.lots                money carried by carry_expiring rules, between closes
//   proposal.<period>            the feedback proposal for the period after <period>: the
//                                proposal (monitor::ToJson), the metrics its simulation used,
//                                and the period its plan was applied to
//   follower                     the directory and the monitor's facts up to a journal entry,
//                                saved with a snapshot (book_follower.h); derived, rebuilt
//                                from the journal when it does not continue it
// Feedback records and alerts are kept in the store's own tables (book_records.h).
// The ledger journals what decides money: SetPolicies records the policy's control section
// (each version again), and every definition, budget and movement.
//
// Errors: kNotFound naming what the book lacks and the command that would add it; the store's
// errors; a stored value that does not parse is kCorrupt.
// Thread safety: as the book's store (one command, one thread).
#ifndef UPKEEP_CLI_BOOK_SETTINGS_H_
#define UPKEEP_CLI_BOOK_SETTINGS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "book_access.h"
#include "categories.h"
#include "upkeep/monitor/calendar.h"
#include "upkeep/monitor/proposal.h"
#include "upkeep/monitor/rollover.h"
#include "upkeep/policy.h"

namespace upkeep::cli {

// The latest policy version (0: none yet).
absl::StatusOr<int64_t> PolicyVersion(OpenedBook& book);
// The text of policy `version` (kNotFound for a version the book does not have).
absl::StatusOr<std::string> PolicyText(OpenedBook& book, int64_t version);
// The latest policy, compiled.
absl::StatusOr<std::shared_ptr<const PolicySet>> BookPolicy(OpenedBook& book);

// Makes `policy` (compiled from `text`) the book's next version: defines its tiers that the
// ledger lacks, sets the ledger's control policies to its control section (journaled), and
// stores the text. kCurrencyMismatch when the policy's currency is not the book's. Returns the
// new version number.
absl::StatusOr<int64_t> RecordPolicy(OpenedBook& book, const PolicySet& policy,
                                     std::string_view text, std::string_view actor);

absl::StatusOr<std::vector<CategoryShare>> BookCategories(OpenedBook& book);
// Stores `shares` and defines the categories the ledger lacks.
absl::Status RecordCategories(OpenedBook& book, const std::vector<CategoryShare>& shares,
                              std::string_view actor);

// The book's fiscal calendar (years from January unless set otherwise).
absl::StatusOr<monitor::Calendar> BookCalendar(OpenedBook& book);
absl::Status RecordFiscalYearStart(OpenedBook& book, int first_month);

// The metrics CSV stored for `period` (empty when none).
absl::StatusOr<std::string> MetricsText(OpenedBook& book, std::string_view period);
absl::Status RecordMetrics(OpenedBook& book, std::string_view period, std::string_view csv);

absl::StatusOr<monitor::CarryLots> CarriedLots(OpenedBook& book);
absl::Status RecordCarriedLots(OpenedBook& book, const monitor::CarryLots& lots);

// A feedback proposal as the book keeps it (`upkeep propose`).
struct KeptProposal {
  monitor::Proposal proposal;
  std::string metrics;       // the metrics period of the current plan ("" : none)
  std::string next_metrics;  // the metrics period of the next plan ("" : none)
  std::string applied_to;    // the period its plan became the budgets of, once applied
};
// The proposal kept for `period` (nullopt when none).
absl::StatusOr<std::optional<KeptProposal>> ProposalKept(OpenedBook& book, std::string_view period);
absl::Status RecordProposal(OpenedBook& book, const KeptProposal& kept);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_SETTINGS_H_
