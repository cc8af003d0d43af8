// upkeep/monitor/proposal.h: the feedback loop's proposal for the next period (及时反馈).
//
// A FeedbackPolicy reads the period's signals (effectiveness.h: spend, outcomes, customer
// feedback, internal assessments, per customer) and proposes, per customer, a tier move (one
// step up or down, or none) and a weight multiplier for the next period's allocation, each
// with the reasons behind it. Propose runs a policy and holds its answer to the section's
// bounds: a multiplier outside [1 - max_change, 1 + max_change] is clamped (and says so), a
// move past the highest or lowest tier is dropped. The next period's plan (upkeep/plan.h,
// PlanFromProposal) keeps every customer's allocation within max_change of its current one.
//
// Built-in policy "signals" (the "feedback" section of the policy document, docs/monitoring.md):
//   {"policy": "signals", "max_change_pct": "20",
//    "roi": {"margin_pct": "50", "step_pct": "10"},
//    "satisfaction": {"high": 8, "low": 5, "step_pct": "5"},
//    "nps": {"step_pct": "5"},
//    "complaints": {"at_least": 3, "step_pct": "5"},
//    "assessment": {"step_pct": "5"},
//    "churned": {"step_pct": "20"},
//    "tier_moves": {"promote_at_pct": "15", "demote_at_pct": "15"}}
// Each signal adds or takes percentage points: return per unit of spend at least margin_pct
// above the customer's tier's (+step) or below it (-step); satisfaction average >= high (+) or
// <= low (-); a promoter (+) or detractor (-) answer on average; complaints >= at_least (-); the
// internal rating average times step (per rating point); churned (-). The sum is the change of
// the multiplier (clamped to max_change); a sum >= promote_at_pct moves the customer one tier
// up, <= -demote_at_pct one tier down (no tier_moves: no moves). Every signal omitted is off.
//
// A Proposal moves Draft -> Approved (Approve, by a named actor) -> Applied (MarkApplied, once
// its plan is taken); Reject ends a draft. Each step from the wrong state is kInvalidState.
//
// Errors: kPolicyInvalid naming the JSON path for a bad section; kParse (ProposalFromJson);
// kNotFound for an unknown policy name; kCallbackFailed when a custom policy proposes for a
// customer not in its input or twice; Propose forwards the policy's own error. Thread safety:
// compiled policies are immutable and may be shared; a Proposal is a value.
#ifndef UPKEEP_MONITOR_PROPOSAL_H_
#define UPKEEP_MONITOR_PROPOSAL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/monitor/effectiveness.h"
#include "upkeep/policy_params.h"

namespace upkeep::monitor {

inline constexpr int64_t kMultiplierOne = 10'000;  // multipliers are in basis points

// What a policy sees.
struct FeedbackInput {
  std::string_view period{};                // the period assessed
  std::span<const std::string> tier_names;  // highest first
  std::span<const CustomerSignals> customers;
  std::span<const EffectivenessRow> tiers;  // effectiveness by tier, sorted by key
};

// One customer's proposed change.
struct CustomerChange {
  std::string customer{};
  int32_t tier_step = 0;  // +1 one tier up (more valuable), -1 one down, 0 stays
  int64_t multiplier_bp = kMultiplierOne;
  std::vector<std::string> reasons{};
};

class FeedbackPolicy {
 public:
  virtual ~FeedbackPolicy() = default;
  virtual std::string_view name() const = 0;
  // Changes for some of `input.customers` (the others stay as they are). Deterministic.
  virtual absl::StatusOr<std::vector<CustomerChange>> Evaluate(
      const FeedbackInput& input) const = 0;
};

using FeedbackFactory = std::function<absl::StatusOr<std::unique_ptr<const FeedbackPolicy>>(
    const PolicyParams& params)>;

class FeedbackRegistry {
 public:
  FeedbackRegistry();  // holds the built-in "signals"
  // kAlreadyExists for a taken name, kInvalidArgument for an empty one.
  absl::Status Register(std::string name, FeedbackFactory factory);
  // kNotFound naming `params.path()` for an unknown name.
  absl::StatusOr<std::unique_ptr<const FeedbackPolicy>> Create(std::string_view name,
                                                               const PolicyParams& params) const;

 private:
  absl::flat_hash_map<std::string, FeedbackFactory> factories_{};
};

// A compiled "feedback" section.
struct FeedbackSection {
  std::shared_ptr<const FeedbackPolicy> policy{};
  int64_t max_change_bp = 2'000;
};
absl::StatusOr<FeedbackSection> MakeFeedbackFromParams(const PolicyParams& section,
                                                       const FeedbackRegistry& registry);

enum class ProposalState : uint8_t { kDraft = 0, kApproved = 1, kRejected = 2, kApplied = 3 };
std::string_view ProposalStateName(ProposalState state);

struct ProposedChange {
  std::string customer{};
  std::string tier_from{};
  std::string tier_to{};  // == tier_from when the tier stays
  int64_t multiplier_bp = kMultiplierOne;
  std::vector<std::string> reasons{};
};

struct Proposal {
  std::string period{};  // assessed
  std::string policy{};  // the feedback policy's name
  int64_t max_change_bp = 0;
  std::vector<ProposedChange> changes{};  // sorted by customer; only customers that change
  ProposalState state = ProposalState::kDraft;
  std::string decided_by{};  // who approved or rejected it
};

// Runs `section.policy` over the signals of `period` and bounds its answer (see above).
absl::StatusOr<Proposal> Propose(const FeedbackSection& section, std::string_view period,
                                 std::span<const std::string> tier_names,
                                 std::span<const CustomerSignals> customers,
                                 std::span<const EffectivenessRow> tiers);

// kInvalidState unless a draft; kInvalidArgument for an empty actor.
absl::Status Approve(Proposal& proposal, std::string_view actor);
absl::Status Reject(Proposal& proposal, std::string_view actor);
// kInvalidState unless approved.
absl::Status MarkApplied(Proposal& proposal);

nlohmann::json ToJson(const Proposal& proposal);
// The proposal ToJson wrote, back (for a host that keeps proposals between runs); kParse
// naming the JSON path of the first member that is missing or of the wrong type.
absl::StatusOr<Proposal> ProposalFromJson(const nlohmann::json& json);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_PROPOSAL_H_
