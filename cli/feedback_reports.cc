#include "feedback_reports.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace mon = ::upkeep::monitor;

// Basis points as a percentage with one decimal; "" when absent.
std::string PercentCell(const std::optional<int64_t>& basis_points) {
  return basis_points.has_value() ? PercentOfBasisPoints(*basis_points) : std::string();
}

// A value x100 as a decimal with two places ("7.85"); "" when absent.
std::string CentiCell(const std::optional<int64_t>& centi) {
  if (!centi.has_value()) return std::string();
  const int64_t magnitude = std::llabs(*centi);
  return absl::StrFormat("%s%d.%02d", *centi < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string OptionalCell(const std::optional<int64_t>& value) {
  return value.has_value() ? absl::StrCat(*value) : std::string();
}

std::vector<std::string> EffectivenessRowCells(const mon::EffectivenessRow& row,
                                               Currency currency) {
  return {row.key,
          absl::StrCat(row.customers),
          AmountText(row.budget_minor, currency),
          AmountText(row.spent_minor, currency),
          AmountText(row.revenue_change_minor, currency),
          PercentCell(row.return_bp),
          PercentCell(row.roi_bp),
          PercentCell(row.cost_to_serve_bp),
          PercentCell(row.retention_bp),
          CentiCell(row.satisfaction_avg_centi),
          OptionalCell(row.nps),
          absl::StrCat(row.complaints),
          CentiCell(row.rating_avg_centi)};
}

}  // namespace

absl::StatusOr<mon::EffectivenessReport> BookEffectiveness(const BookView& view,
                                                           const std::string& period,
                                                           mon::Dimension by) {
  absl::StatusOr<mon::EffectivenessReport> report;
  view.monitor->ReadFeedback([&](const mon::Facts& facts, const mon::FeedbackLog& log) {
    report = mon::Effectiveness(facts, log, {.period = period, .group_by = by});
  });
  return report;
}

absl::StatusOr<mon::Proposal> BookProposal(const BookView& view, const std::string& period) {
  const mon::FeedbackSection* section = view.policy->feedback();
  if (section == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(view.book.path(),
                                  ": the book's policy has no \"feedback\" section "
                                  "(docs/policy-document.md; upkeep policy set)"));
  }
  absl::StatusOr<mon::Proposal> proposal;
  view.monitor->ReadFeedback([&](const mon::Facts& facts, const mon::FeedbackLog& log) {
    absl::StatusOr<std::vector<mon::CustomerSignals>> signals =
        mon::CollectSignals(facts, log, period);
    if (!signals.ok()) {
      proposal = signals.status();
      return;
    }
    absl::StatusOr<mon::EffectivenessReport> tiers =
        mon::Effectiveness(facts, log, {.period = period, .group_by = mon::Dimension::kTier});
    if (!tiers.ok()) {
      proposal = tiers.status();
      return;
    }
    proposal = mon::Propose(*section, period, view.policy->tier_names(), *signals, tiers->rows);
  });
  return proposal;
}

Table EffectivenessTable(const mon::EffectivenessReport& report, Currency currency) {
  Table table{"groups",
              absl::StrCat("Effectiveness by ", std::string(mon::DimensionName(report.group_by)),
                           " (return and ROI on spend, cost to serve per revenue)"),
              {{std::string(mon::DimensionName(report.group_by))},
               {"customers", Column::kNumber},
               {"budget", Column::kMoney},
               {"spent", Column::kMoney},
               {"revenue change", Column::kMoney},
               {"return %", Column::kPercent},
               {"roi %", Column::kPercent},
               {"cost to serve %", Column::kPercent},
               {"retention %", Column::kPercent},
               {"satisfaction"},
               {"nps"},
               {"complaints", Column::kNumber},
               {"rating"}}};
  for (const mon::EffectivenessRow& row : report.rows) {
    table.rows.push_back(EffectivenessRowCells(row, currency));
  }
  table.rows.push_back(EffectivenessRowCells(report.total, currency));
  return table;
}

Table ProposalTable(const mon::Proposal& proposal, size_t top) {
  std::vector<const mon::ProposedChange*> changes;
  for (const mon::ProposedChange& change : proposal.changes) changes.push_back(&change);
  std::stable_sort(changes.begin(), changes.end(), [](const auto* a, const auto* b) {
    const bool moves_a = a->tier_from != a->tier_to;
    const bool moves_b = b->tier_from != b->tier_to;
    if (moves_a != moves_b) return moves_a;
    return std::llabs(a->multiplier_bp - mon::kMultiplierOne) >
           std::llabs(b->multiplier_bp - mon::kMultiplierOne);
  });
  const size_t shown = top == 0 ? changes.size() : std::min(top, changes.size());
  Table table{"changes",
              absl::StrCat("Proposed changes (", shown, " of ", changes.size(),
                           "; tier moves first, then the largest multipliers)"),
              {{"customer_id"}, {"tier now"}, {"tier next"}, {"multiplier"}, {"reasons"}}};
  for (size_t k = 0; k < shown; ++k) {
    const mon::ProposedChange& c = *changes[k];
    table.rows.push_back({c.customer, c.tier_from, c.tier_to, MultiplierText(c.multiplier_bp),
                          absl::StrJoin(c.reasons, "; ")});
  }
  return table;
}

Table SimulationTable(const ProposalSimulation& simulation, Currency currency, size_t top) {
  std::vector<const CustomerMove*> moves;
  for (const CustomerMove& move : simulation.customers) moves.push_back(&move);
  std::stable_sort(moves.begin(), moves.end(), [](const auto* a, const auto* b) {
    return std::llabs(a->amount_next_minor - a->amount_now_minor) >
           std::llabs(b->amount_next_minor - b->amount_now_minor);
  });
  const size_t shown = top == 0 ? moves.size() : std::min(top, moves.size());
  Table table{"next_allocation",
              absl::StrCat("Next allocation beside the current one (", shown, " of ", moves.size(),
                           "; the largest changes first)"),
              {{"customer_id"},
               {"tier now"},
               {"tier next"},
               {"amount now", Column::kMoney},
               {"amount next", Column::kMoney},
               {"change %", Column::kPercent},
               {"multiplier"}}};
  for (size_t k = 0; k < shown; ++k) {
    const CustomerMove& m = *moves[k];
    table.rows.push_back({m.customer, m.tier_now, m.tier_next,
                          AmountText(m.amount_now_minor, currency),
                          AmountText(m.amount_next_minor, currency), PercentCell(m.change_bp),
                          MultiplierText(m.multiplier_bp)});
  }
  return table;
}

int64_t AllocatedMinor(const Allocation& allocation) {
  return allocation.pool_minor - allocation.reserve_minor - allocation.unallocated_minor;
}

size_t TierMoves(const mon::Proposal& proposal) {
  return static_cast<size_t>(
      std::count_if(proposal.changes.begin(), proposal.changes.end(),
                    [](const mon::ProposedChange& c) { return c.tier_from != c.tier_to; }));
}

std::string MultiplierText(int64_t multiplier_bp) {
  return absl::StrFormat("%d.%04dx", multiplier_bp / 10'000, multiplier_bp % 10'000);
}

}  // namespace upkeep::cli
