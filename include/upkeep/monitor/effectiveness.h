// upkeep/monitor/effectiveness.h: is the money working? ROI and cost-to-serve (及时反馈).
//
// CollectSignals joins, for one period, what the ledger says was budgeted and spent on each
// customer (the monitor's Facts: the customer envelopes of the period) with what came back
// (the FeedbackLog: outcomes, customer feedback, internal assessments). Effectiveness groups
// those signals by a dimension (company, tier, customer, owner, region, or category) and says,
// per group:
//   revenue_change = revenue - revenue_before           (outcomes; money, exact)
//   return_bp      = revenue_change / spent              (revenue gained per unit of spend)
//   roi_bp         = (revenue_change - spent) / spent    (the return net of what was spent)
//   cost_to_serve_bp = spent / revenue                   (what the relationship costs per unit
//                                                         of the revenue it brings)
//   retention_bp   = renewed / (renewed + churned)
//   satisfaction and rating averages (x100), NPS (% promoters - % detractors), complaints.
// Ratios are basis points (10000 = 100 %), rounded half-even, and absent (nullopt) when their
// denominator is zero. `ranking` lists the row keys by return per unit of spend, best first,
// which answers "which tiers and categories return the most per unit of spend".
// By category, a customer's revenue and revenue_before are split exactly between the
// categories it spent in, in proportion to its spend in each (largest remainder); a customer
// that spent nothing in the period is in the row with the empty key. By the other dimensions a
// customer counts once, in its own group (tier, owner and region as the ledger defined them).
//
//   monitor.ReadEffectiveness("FY2025", Dimension::kTier)  // or with the Facts and the log:
//   EffectivenessReport r = Effectiveness(facts, log, {.period = "FY2025",
//                                                      .group_by = Dimension::kTier}).value();
//
// Errors: kNotFound for a period the facts do not know; kOverflow if a sum does not fit.
// Thread safety: pure functions of their arguments.
#ifndef UPKEEP_MONITOR_EFFECTIVENESS_H_
#define UPKEEP_MONITOR_EFFECTIVENESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/currency.h"
#include "upkeep/monitor/facts.h"
#include "upkeep/monitor/feedback.h"
#include "upkeep/monitor/report.h"

namespace upkeep::monitor {

// Everything known about one customer in one period.
struct CustomerSignals {
  std::string customer{};
  std::string tier{};
  std::string owner{};
  std::string region{};
  int64_t budget_minor = 0;  // its envelopes in the period
  int64_t spent_minor = 0;
  bool has_outcome = false;
  int64_t revenue_minor = 0;
  int64_t revenue_before_minor = 0;
  Renewal renewal = Renewal::kUnknown;
  int32_t satisfaction_responses = 0;
  int64_t satisfaction_sum = 0;
  int32_t recommend_responses = 0;
  int32_t promoters = 0;   // recommend 9..10
  int32_t detractors = 0;  // recommend 0..6
  int64_t complaints = 0;
  int32_t assessments = 0;
  int64_t rating_sum = 0;  // -2..+2 each

  int64_t revenue_change_minor() const { return revenue_minor - revenue_before_minor; }
  // revenue change per unit of spend (basis points); nullopt without spend or outcome.
  std::optional<int64_t> return_bp() const;
  // Averages x100 (satisfaction 0..1000, rating -200..200); nullopt without responses.
  std::optional<int64_t> satisfaction_avg_centi() const;
  std::optional<int64_t> rating_avg_centi() const;
};

// The customers with an envelope or a record in `period`, sorted by id.
absl::StatusOr<std::vector<CustomerSignals>> CollectSignals(const Facts& facts,
                                                            const FeedbackLog& log,
                                                            std::string_view period);

struct EffectivenessRequest {
  std::string period{};
  Dimension group_by = Dimension::kTier;
};

struct EffectivenessRow {
  std::string key{};
  int64_t customers = 0;
  int64_t budget_minor = 0;
  int64_t spent_minor = 0;
  int64_t revenue_minor = 0;
  int64_t revenue_before_minor = 0;
  int64_t revenue_change_minor = 0;
  std::optional<int64_t> return_bp{};
  std::optional<int64_t> roi_bp{};
  std::optional<int64_t> cost_to_serve_bp{};
  int64_t renewed = 0;
  int64_t churned = 0;
  std::optional<int64_t> retention_bp{};
  std::optional<int64_t> satisfaction_avg_centi{};
  std::optional<int64_t> nps{};  // -100..100
  int64_t complaints = 0;
  std::optional<int64_t> rating_avg_centi{};
};

struct EffectivenessReport {
  std::string period{};
  Dimension group_by = Dimension::kTier;
  std::vector<EffectivenessRow> rows{};  // sorted by key
  EffectivenessRow total{};              // key "total"
  std::vector<std::string> ranking{};    // row keys, highest return per unit of spend first
};

absl::StatusOr<EffectivenessReport> Effectiveness(const Facts& facts, const FeedbackLog& log,
                                                  const EffectivenessRequest& request);

nlohmann::json ToJson(const EffectivenessReport& report, Currency currency);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_EFFECTIVENESS_H_
