// upkeep/ledger/control.h: control policies, the rules that decide whether money may be used.
//
// A ControlPolicySet is compiled into a ledger (Ledger::SetPolicies) and evaluated on every
// reserve, spend and dry-run check, at every scope on the request's path at once:
//   - availability rules: what happens when a request would take a scope's available below
//     zero: block (刚性), warn and allow (柔性), allow up to a tolerance (a % of the budget or an
//     amount), ignore, or require approval. A scope without a matching rule blocks
//     ("default-block"). The most specific rule wins: key and category, then key, then
//     category, then the level alone; ties go to the earlier rule.
//   - limit rules: a maximum per request and a frequency limit (at most N reservations or spends
//     per customer and category in the ledger period, or in the calendar month or quarter (UTC)
//     of the request: "window": "period" | "month" | "quarter"), each with its own action.
//   - tier rules: categories that a tier may not use at all.
//   - closed periods: no new activity (kPeriodClosed).
//   - custom policies: host C++ code registered by name (ControlPolicyRegistry) and configured in
//     the document.
//
// The policy document section (JSON), parsed by ParseControlPolicies; every error is
// kPolicyInvalid naming the JSON path:
//   {
//     "availability": [
//       {"id": "gift-soft", "level": "customer", "category": "gift",
//        "mode": "tolerance", "tolerance_pct": "10", "tolerance_amount": "50.00"},
//       {"id": "events-need-ok", "level": "tier", "key": "basic", "category": "event",
//        "mode": "require_approval"}],
//     "limits": [{"id": "gift-max", "category": "gift", "per_request_max": "500.00",
//                 "action": "require_approval"},
//                {"id": "gift-freq", "category": "gift", "max_count": 2, "window": "quarter",
//                 "action": "reject"}],
//     "tier_categories": [{"id": "basic-no-events", "tier": "basic", "deny": ["event"]}],
//     "closed_periods": ["2023-Q4"],
//     "custom": [{"id": "weekend", "policy": "no_weekend_gifts", "params": {...}}]
//   }
// Modes: "block", "warn", "tolerance", "ignore", "require_approval". Actions: "reject", "warn",
// "require_approval". Amounts are decimal strings in the ledger's currency.
//
// Ownership: a ControlPolicySet shares its custom policies (shared_ptr<const ControlPolicy>).
// Thread safety: ControlPolicy::Evaluate may be called from many threads at once, while the
// ledger holds its lock: it must be thread-safe and must not call back into the ledger.
#ifndef UPKEEP_LEDGER_CONTROL_H_
#define UPKEEP_LEDGER_CONTROL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/decision.h"
#include "upkeep/ledger/types.h"
#include "upkeep/policy_params.h"

namespace upkeep::ledger {

enum class ControlMode : uint8_t {
  kBlock = 0,            // 刚性: reject what does not fit
  kWarn = 1,             // 柔性: allow, with a warning
  kTolerance = 2,        // allow up to a tolerance over the budget, reject beyond
  kIgnore = 3,           // allow silently
  kRequireApproval = 4,  // a person must approve what does not fit
};
std::string_view ControlModeName(ControlMode mode);

struct AvailabilityRule {
  std::string id{};
  ScopeKind level = ScopeKind::kCustomer;
  std::string key{};       // empty: every scope of `level`
  std::string category{};  // empty: every category
  ControlMode mode = ControlMode::kBlock;
  int64_t tolerance_minor = 0;         // kTolerance: may go this far below zero...
  int32_t tolerance_basis_points = 0;  // ...or this share of the budget (100 = 1 %); the larger
};

// What a frequency limit counts in.
enum class LimitWindow : uint8_t {
  kPeriod = 0,   // the request's ledger period (its envelope)
  kMonth = 1,    // the calendar month (UTC) of the request's time
  kQuarter = 2,  // the calendar quarter (UTC) of the request's time
};
std::string_view LimitWindowName(LimitWindow window);

struct LimitRule {
  std::string id{};
  std::string category{};  // empty: every category
  std::string tier{};      // empty: every tier
  std::optional<int64_t> per_request_max_minor{};
  std::optional<int32_t> max_count{};  // per customer, category and `window`
  LimitWindow window = LimitWindow::kPeriod;
  Outcome action = Outcome::kReject;
};

struct TierCategoryRule {
  std::string id{};
  std::string tier{};
  std::vector<std::string> denied_categories{};
};

// What a custom policy sees. Strings view the ledger's data for the duration of the call.
struct ControlContext {
  std::string_view actor{};
  std::string_view period{};
  std::string_view customer{};
  std::string_view tier{};
  std::string_view owner{};
  std::string_view region{};
  std::string_view category{};
  int64_t amount_minor = 0;
  int64_t time_micros = 0;
  int32_t uses_in_period = 0;       // approved reservations and spends on the envelope so far
  std::span<const Balance> path{};  // envelope, tier, company balances (then owner, region)
};

// A host-defined control policy. Evaluate adds reasons (and so the outcome) to `decision`; a
// policy with nothing to say adds nothing.
class ControlPolicy {
 public:
  virtual ~ControlPolicy() = default;
  virtual void Evaluate(const ControlContext& context, std::string_view rule_id,
                        Decision* decision) const = 0;
};

// Builds a policy from its "params" object; errors should come from params.Error(...).
using ControlPolicyFactory =
    std::function<absl::StatusOr<std::unique_ptr<ControlPolicy>>(const PolicyParams& params)>;

// Custom policies by name. Register them before parsing documents that use them.
// Thread safety: not thread-safe while registering; const methods may run concurrently.
class ControlPolicyRegistry {
 public:
  // kAlreadyExists for a name registered twice; kInvalidArgument for an empty name.
  absl::Status Register(std::string name, ControlPolicyFactory factory);
  const ControlPolicyFactory* Find(std::string_view name) const;

 private:
  absl::flat_hash_map<std::string, ControlPolicyFactory> factories_{};
};

struct CustomRule {
  std::string id{};
  std::string policy{};  // the registered name
  std::shared_ptr<const ControlPolicy> instance{};
  // Its "params" object as JSON text (empty: {}); journaled with the policies so that replay
  // can build the same instance again. ParseControlPolicies fills it.
  std::string params_json{};
};

struct ControlPolicySet {
  std::vector<AvailabilityRule> availability{};
  std::vector<LimitRule> limits{};
  std::vector<TierCategoryRule> tier_categories{};
  std::vector<std::string> closed_periods{};
  std::vector<CustomRule> custom{};
};

// Parses the control section of a policy document. Amounts are read in `currency`; more
// fraction digits than it has is an error. Rule ids must be unique across the section.
absl::StatusOr<ControlPolicySet> ParseControlPolicies(const PolicyParams& section,
                                                      Currency currency,
                                                      const ControlPolicyRegistry& registry);

}  // namespace upkeep::ledger

#endif  // UPKEEP_LEDGER_CONTROL_H_
