// The feedback loop (及时反馈) end to end, compiled and run by the tests: plan a year, book it
// into a ledger watched by a monitor, spend, record what came back, measure effectiveness, let
// the policy's "feedback" section propose next year's tiers and weights, simulate, approve, and
// plan next year from the approved proposal, every customer within the proposal's bound.
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "upkeep/ledger.h"
#include "upkeep/monitor.h"
#include "upkeep/next_plan.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}

constexpr int64_t kDay = 86'400'000'000;
constexpr int64_t kFy2025 = 20'089 * kDay;  // 2025-01-01 UTC
constexpr int64_t kFy2026 = 20'454 * kDay;
constexpr int64_t kFy2027 = 20'819 * kDay;

struct Customer {
  const char* id;
  int64_t revenue_minor;        // FY2025, what the plan is made from
  int64_t revenue_after_minor;  // what FY2025 brought (the outcome; next year's metric)
  int64_t spent_minor;          // spent on the customer in FY2025
};
constexpr Customer kCustomers[] = {
    {"C1", 800'000'00, 900'000'00, 5'000'00}, {"C2", 150'000'00, 240'000'00, 1'000'00},
    {"C3", 120'000'00, 60'000'00, 2'000'00},  {"C4", 50'000'00, 52'000'00, 500'00},
    {"C5", 45'000'00, 47'000'00, 500'00},     {"C6", 40'000'00, 41'000'00, 400'00},
    {"C7", 35'000'00, 36'000'00, 400'00},     {"C8", 30'000'00, 30'500'00, 300'00}};

// The portfolio by FY2025 revenue, or (`after`) by what FY2025 brought.
absl::StatusOr<upkeep::Portfolio> Customers(upkeep::Currency cny, bool after) {
  upkeep::PortfolioBuilder builder(cny);
  for (const Customer& c : kCustomers) {
    const int64_t revenue_minor = after ? c.revenue_after_minor : c.revenue_minor;
    if (absl::Status added = builder.Add({.id = c.id}, {.revenue_minor = revenue_minor});
        !added.ok()) {
      return added;
    }
  }
  return std::move(builder).Build();
}

// Books `plan` as the FY2025 gift envelopes of a new ledger.
absl::Status Book(upkeep::ledger::Ledger& ledger, const upkeep::Portfolio& portfolio,
                  const upkeep::PeriodPlan& plan) {
  namespace lg = upkeep::ledger;
  const upkeep::Allocation& a = plan.allocation;
  for (absl::Status s : {ledger.DefineActor("admin", {"fin", lg::Role::kFinance}),
                         ledger.DefineActor("admin", {"amy", lg::Role::kManager}),
                         ledger.DefineCategory("admin", "gift"),
                         ledger.DefinePeriod("fin", {"FY2025", kFy2025, kFy2026}),
                         ledger.DefinePeriod("fin", {"FY2026", kFy2026, kFy2027})}) {
    if (!s.ok()) return s;
  }
  for (const std::string& tier : a.tier_names) {
    if (absl::Status s = ledger.DefineTier("admin", tier); !s.ok()) return s;
  }
  lg::AllocationRequest request{
      .op_id = "plan-FY2025", .actor = "fin", .period = "FY2025", .category = "gift"};
  for (size_t i = 0; i < portfolio.size(); ++i) {
    const std::string& tier = a.tier_names[a.tier[i]];
    if (absl::Status s = ledger.DefineCustomer("admin", {portfolio.customer(i).id, tier, "", ""});
        !s.ok()) {
      return s;
    }
    request.envelopes.push_back({portfolio.customer(i).id, tier, a.amount_minor[i]});
  }
  return ledger.ApplyAllocation(request);
}

}  // namespace

int main() {
  const char* document = R"({
    "upkeep_policy": 1, "currency": "CNY", "tiers": ["key", "basic"],
    "classification": {"classifier": "abc", "metric": "revenue", "cumulative_pct": [70]},
    "sizing": {"method": "metric_share", "metric": "revenue", "share_pct": "2"},
    "allocation": {"policy": "tier_shares", "shares_pct": {"key": 60, "basic": 40},
                   "within_tier": "by_metric", "metric": "revenue"},
    "feedback": {"max_change_pct": "20",
                 "roi": {"margin_pct": "100", "step_pct": "10"},
                 "satisfaction": {"high": 8, "low": 4, "step_pct": "5"},
                 "churned": {"step_pct": "20"},
                 "tier_moves": {"promote_at_pct": "15", "demote_at_pct": "15"}}
  })";
  absl::StatusOr<std::shared_ptr<const upkeep::PolicySet>> policy =
      upkeep::PolicySet::Compile(document);
  if (!policy.ok()) return Fail(policy.status());
  const upkeep::Currency cny = (*policy)->currency();
  absl::StatusOr<upkeep::Portfolio> portfolio = Customers(cny, /*after=*/false);
  absl::StatusOr<upkeep::Portfolio> next_portfolio = Customers(cny, /*after=*/true);
  if (!portfolio.ok()) return Fail(portfolio.status());
  if (!next_portfolio.ok()) return Fail(next_portfolio.status());
  absl::StatusOr<upkeep::PeriodPlan> plan = upkeep::PlanPeriod(**policy, *portfolio);
  if (!plan.ok()) return Fail(plan.status());

  // The year in a ledger, watched by a monitor.
  upkeep::ledger::MemoryJournal journal;
  int64_t now = kFy2025;
  auto ledger = upkeep::ledger::Ledger::Create(
      {.currency = cny, .journal = &journal, .clock_micros = [&now] { return now; }});
  if (!ledger.ok()) return Fail(ledger.status());
  upkeep::monitor::Monitor monitor({.currency = cny});
  monitor.Attach(ledger->get());
  if (absl::Status s = Book(**ledger, *portfolio, *plan); !s.ok()) return Fail(s);
  for (const Customer& c : kCustomers) {
    now += 30 * kDay;
    absl::StatusOr<upkeep::ledger::Result> r =
        (*ledger)->Spend({.op_id = std::string("spend-") + c.id,
                          .actor = "amy",
                          .period = "FY2025",
                          .customer = c.id,
                          .category = "gift",
                          .amount = upkeep::Money::FromMinor(c.spent_minor, cny)});
    if (!r.ok()) return Fail(r.status());
  }

  // What came back.
  namespace mon = upkeep::monitor;
  for (const Customer& c : kCustomers) {
    const mon::Renewal renewal =
        std::string_view(c.id) == "C3" ? mon::Renewal::kChurned : mon::Renewal::kRenewed;
    absl::StatusOr<mon::RecordResult> r = monitor.Record(
        mon::OutcomeRecord{c.id, "FY2025", c.revenue_after_minor, c.revenue_minor, renewal});
    if (!r.ok()) return Fail(r.status());
  }
  if (auto r = monitor.Record(mon::CustomerFeedback{
          .id = "nps-C2", .customer = "C2", .period = "FY2025", .satisfaction = 9});
      !r.ok()) {
    return Fail(r.status());
  }

  // Effectiveness by tier, and the proposal.
  absl::StatusOr<mon::Proposal> proposal;
  monitor.ReadFeedback([&](const mon::Facts& facts, const mon::FeedbackLog& log) {
    absl::StatusOr<mon::EffectivenessReport> by_tier =
        mon::Effectiveness(facts, log, {.period = "FY2025"});
    absl::StatusOr<std::vector<mon::CustomerSignals>> signals =
        mon::CollectSignals(facts, log, "FY2025");
    if (!by_tier.ok() || !signals.ok()) {
      proposal = !by_tier.ok() ? by_tier.status() : signals.status();
      return;
    }
    for (const mon::EffectivenessRow& row : by_tier->rows) {
      std::printf("tier %s: spent %lld, revenue change %lld, return %lld bp\n", row.key.c_str(),
                  static_cast<long long>(row.spent_minor),
                  static_cast<long long>(row.revenue_change_minor),
                  static_cast<long long>(row.return_bp.value_or(0)));
    }
    proposal = mon::Propose(*(*policy)->feedback(), "FY2025", (*policy)->tier_names(), *signals,
                            by_tier->rows);
  });
  if (!proposal.ok()) return Fail(proposal.status());
  for (const mon::ProposedChange& c : proposal->changes) {
    std::printf("propose %s: %s -> %s, x%lld bp (%s)\n", c.customer.c_str(), c.tier_from.c_str(),
                c.tier_to.c_str(), static_cast<long long>(c.multiplier_bp),
                c.reasons.empty() ? "" : c.reasons.front().c_str());
  }

  // Simulate, approve, plan next year from what this year brought.
  const upkeep::CurrentPlan current{*portfolio, *plan};
  absl::StatusOr<upkeep::ProposalSimulation> sim =
      upkeep::SimulateProposal(**policy, current, *next_portfolio, *proposal);
  if (!sim.ok()) return Fail(sim.status());
  if (absl::Status s = mon::Approve(*proposal, "cfo"); !s.ok()) return Fail(s);
  absl::StatusOr<upkeep::PeriodPlan> next =
      upkeep::PlanFromProposal(**policy, current, *next_portfolio, *proposal);
  if (!next.ok()) return Fail(next.status());
  for (const upkeep::CustomerMove& m : sim->customers) {
    std::printf("%s %s -> %s: %lld -> %lld (%+lld bp; share of the pool %+lld bp)\n",
                m.customer.c_str(), m.tier_now.c_str(), m.tier_next.c_str(),
                static_cast<long long>(m.amount_now_minor),
                static_cast<long long>(m.amount_next_minor),
                static_cast<long long>(m.change_bp.value_or(0)),
                static_cast<long long>(m.share_change_bp.value_or(0)));
  }
  std::printf("next plan: %s\n", next->allocation.steps.back().c_str());
  return 0;
}
