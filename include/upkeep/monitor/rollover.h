// upkeep/monitor/rollover.h: period close, and what unused or overspent budget becomes.
//
// CloseAndRollover closes a period in the ledger (no new reservations or spend), settles its
// open reservations (released, or moved to the next period with their money), and settles each
// customer envelope's remaining money by the first matching rollover rule:
//   "forfeit"         nothing carries (the default when no rule matches);
//   "carry_all"       all that is left carries into the next period's envelope;
//   "carry_capped"    up to "cap_amount" and/or "cap_pct" of the budget (the smaller) carries;
//   "carry_expiring"  carries, but money carried "periods" times expires (oldest spent first);
//   "carry_deficit"   an overspend reduces the next period's envelope (what does not fit is
//                     written off and recorded);
//   "sweep"           what is left goes to a named pool (a tier or company scope) next period.
// For every mode, an overspend that is not carried is written off (recorded as forfeited < 0).
// Rules with "level": "tier" or "company" settle, by the same modes, the money a tier or company
// scope holds above its children's budgets (its headroom, never given to envelopes): carried
// into the same scope next period, swept to a pool, or forfeited. Scopes without headroom and
// owner/region budgets are not settled.
// Every envelope settles exactly:
//   unused == carried + forfeited + swept + moved     (unused = available after releases)
// and the next period receives exactly sum(carried + moved) in envelopes plus sum(swept) in
// pools, journaled as budget revisions (Ledger::Revise, parents first when raising, children
// first when lowering) whose reasons explain each number.
//
// Policy document section "rollover" (docs/monitoring.md):
//   {"reservations": "release" | "move",
//    "pools": {"strategic-fund": {"level": "tier", "key": "A"}},
//    "rules": [{"id": "vip", "tiers": ["A"], "category": "gift", "mode": "carry_capped",
//               "cap_pct": "20"},
//              {"id": "rest", "mode": "sweep", "pool": "strategic-fund"}]}
//
// Errors: kInvalidState (the period is already closed), kNotFound (an unknown period, a pool the
// policy does not name, a next-period envelope or pool scope that does not exist: checked before
// anything changes), kPermissionDenied (the actor may not close), kPolicyInvalid for a bad
// section.
// Ownership: plain values; the ledger is borrowed for the call.
// Thread safety: PlanRollover is pure. CloseAndRollover makes many ledger calls: run one close
// at a time per ledger; other activity on the next period may interleave.
#ifndef UPKEEP_MONITOR_ROLLOVER_H_
#define UPKEEP_MONITOR_ROLLOVER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/policy_params.h"

namespace upkeep::monitor {

enum class RolloverMode : uint8_t {
  kForfeit = 0,
  kCarryAll = 1,
  kCarryCapped = 2,
  kCarryExpiring = 3,
  kCarryDeficit = 4,
  kSweep = 5,
};
std::string_view RolloverModeName(RolloverMode mode);

struct RolloverRule {
  std::string id{};
  ledger::ScopeKind level = ledger::ScopeKind::kCustomer;  // customer, tier or company
  std::string key{};                 // a customer id (a tier for level tier); empty: every one
  std::string category{};            // empty: every category
  std::vector<std::string> tiers{};  // empty: every tier
  RolloverMode mode = RolloverMode::kForfeit;
  std::optional<int64_t> cap_minor{};
  std::optional<int64_t> cap_bp{};  // of the closing budget
  int32_t periods = 1;              // carry_expiring: how many closes carried money survives
  std::string pool{};               // sweep
};

// A pool: a tier or company scope; its period is the next period, its category the envelope's
// when empty.
struct RolloverPool {
  ledger::ScopeKind kind = ledger::ScopeKind::kCompany;
  std::string key{};
  std::string category{};
};

struct RolloverPolicy {
  std::vector<RolloverRule> rules{};
  std::map<std::string, RolloverPool> pools{};
  bool move_reservations = false;  // false: open reservations are released at close
};

absl::StatusOr<RolloverPolicy> MakeRolloverFromParams(const PolicyParams& section,
                                                      Currency currency);

// How settlements and carried lots name a scope: "c-001/gift", "tier A/gift", "company/gift".
std::string ScopeLabel(ledger::ScopeKind level, std::string_view key, std::string_view category);

// Money carried by carry_expiring rules, per scope (ScopeLabel): lots by age
// (1 = carried once), oldest first. The host keeps it from one close to the next.
using CarryLots = std::map<std::string, std::vector<std::pair<int32_t, int64_t>>>;

// One envelope (or tier or company scope, by its headroom) at close.
struct EnvelopeAtClose {
  ledger::ScopeKind level = ledger::ScopeKind::kCustomer;
  std::string customer{};  // the customer; for a tier scope the tier; empty for the company
  std::string tier{};
  std::string category{};
  // After open reservations were released. For a tier or company scope: its headroom (budget -
  // children's budgets) as both its budget and its available money.
  ledger::Balance balance{};
  int64_t moved_minor = 0;  // reservations moving to the next period (part of available)
};

struct Settlement {
  ledger::ScopeKind level = ledger::ScopeKind::kCustomer;
  std::string customer{};  // as in EnvelopeAtClose
  std::string category{};
  std::string rule_id{};  // "default-forfeit" when no rule matched
  RolloverMode mode = RolloverMode::kForfeit;
  int64_t unused_minor = 0;  // available at close (after releases); < 0 when overspent
  int64_t moved_minor = 0;
  int64_t carried_minor = 0;    // into the next envelope; < 0: a deficit carried
  int64_t forfeited_minor = 0;  // < 0: an overspend written off
  int64_t swept_minor = 0;
  std::string pool{};
  std::string explanation{};
};

struct RolloverPlan {
  std::string closed_period{};
  std::string next_period{};
  std::vector<Settlement> settlements{};  // sorted by customer, category, then level
  CarryLots lots_after{};
  int64_t unused_minor = 0;  // totals of the settlements
  int64_t carried_minor = 0;
  int64_t forfeited_minor = 0;
  int64_t swept_minor = 0;
  int64_t moved_minor = 0;
};

// Settles `envelopes` by `policy` (pure). kNotFound for a rule naming an unknown pool.
absl::StatusOr<RolloverPlan> PlanRollover(const RolloverPolicy& policy,
                                          std::string_view closed_period,
                                          std::string_view next_period,
                                          std::span<const EnvelopeAtClose> envelopes,
                                          const CarryLots& lots_before, Currency currency);

struct CloseRequest {
  std::string_view actor{};  // finance or admin
  std::string_view period{};
  std::string_view next_period{};
  const CarryLots* lots_before = nullptr;  // nullptr: none
};

// Closes `request.period` and settles it into `request.next_period` (see above).
absl::StatusOr<RolloverPlan> CloseAndRollover(ledger::Ledger& ledger, const RolloverPolicy& policy,
                                              const CloseRequest& request);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_ROLLOVER_H_
