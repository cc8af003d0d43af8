// cli/feedback_reports.h: the feedback loop of a book, as printable tables (output.h), for
// `upkeep effectiveness`, `upkeep report effectiveness`, `upkeep propose` and the demo.
//
//   BookEffectiveness  the period's effectiveness (upkeep/monitor/effectiveness.h) from the
//                      view's monitor, which holds the feedback the book keeps;
//   BookProposal       the book policy's feedback proposal for the period (monitor/proposal.h);
//   EffectivenessTable per group: customers, budget, spent, revenue change, return and ROI on
//                      spend, cost to serve, retention, satisfaction, NPS, complaints, rating
//                      (a cell is empty where its denominator is zero);
//   ProposalTable      per customer that changes: tier from -> to, multiplier, reasons;
//   SimulationTable    per customer of the next portfolio: tier and amount now and next.
//
// Errors: kNotFound (a period the book does not have; a policy without a "feedback" section),
// kOverflow, and the proposal's.
// Thread safety: pure functions of their arguments.
#ifndef UPKEEP_CLI_FEEDBACK_REPORTS_H_
#define UPKEEP_CLI_FEEDBACK_REPORTS_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "book_view.h"
#include "output.h"
#include "upkeep/monitor/effectiveness.h"
#include "upkeep/monitor/proposal.h"
#include "upkeep/next_plan.h"

namespace upkeep::cli {

absl::StatusOr<monitor::EffectivenessReport> BookEffectiveness(const BookView& view,
                                                               const std::string& period,
                                                               monitor::Dimension by);

absl::StatusOr<monitor::Proposal> BookProposal(const BookView& view, const std::string& period);

Table EffectivenessTable(const monitor::EffectivenessReport& report, Currency currency);

// At most `top` changes (0: all), the largest moves first.
Table ProposalTable(const monitor::Proposal& proposal, size_t top);

// At most `top` customers (0: all), the largest changes of amount first.
Table SimulationTable(const ProposalSimulation& simulation, Currency currency, size_t top);

// The money an allocation placed with customers: pool - reserve - unallocated.
int64_t AllocatedMinor(const Allocation& allocation);

// How many customers the proposal moves to another tier.
size_t TierMoves(const monitor::Proposal& proposal);

// "1.1500x": a multiplier in basis points.
std::string MultiplierText(int64_t multiplier_bp);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_FEEDBACK_REPORTS_H_
