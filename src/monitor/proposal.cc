#include "upkeep/monitor/proposal.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "monitor/alert_text.h"
#include "monitor/feedback_signals.h"
#include "monitor/params_util.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::monitor {
namespace {

std::optional<size_t> TierIndexOf(std::span<const std::string> tier_names,
                                  const std::string& tier) {
  const auto it = std::find(tier_names.begin(), tier_names.end(), tier);
  if (it == tier_names.end()) return std::nullopt;
  return static_cast<size_t>(it - tier_names.begin());
}

// Holds `change` to the section's bounds; nullopt when nothing is left to change.
std::optional<ProposedChange> Bound(CustomerChange change, const CustomerSignals& signals,
                                    std::span<const std::string> tier_names,
                                    int64_t max_change_bp) {
  ProposedChange out{.customer = std::move(change.customer),
                     .tier_from = signals.tier,
                     .tier_to = signals.tier,
                     .reasons = std::move(change.reasons)};
  const int64_t low = kMultiplierOne - max_change_bp, high = kMultiplierOne + max_change_bp;
  out.multiplier_bp = std::clamp(change.multiplier_bp, low, high);
  if (out.multiplier_bp != change.multiplier_bp) {
    out.reasons.push_back(absl::StrCat("multiplier ", internal::Percent(change.multiplier_bp),
                                       " % held to the bound of ±",
                                       internal::Percent(max_change_bp), " %"));
  }
  const std::optional<size_t> tier = TierIndexOf(tier_names, signals.tier);
  if (change.tier_step != 0 && tier) {
    // Tier 0 is the highest: one step up is index - 1.
    const int64_t to = static_cast<int64_t>(*tier) - (change.tier_step > 0 ? 1 : -1);
    if (to >= 0 && to < static_cast<int64_t>(tier_names.size())) {
      out.tier_to = tier_names[static_cast<size_t>(to)];
    } else {
      out.reasons.push_back(absl::StrCat("no tier ", change.tier_step > 0 ? "above" : "below", " ",
                                         AsAbsl(signals.tier), ": the tier stays"));
    }
  } else if (change.tier_step != 0) {
    out.reasons.push_back(absl::StrCat("tier '", AsAbsl(signals.tier),
                                       "' is not one of the policy's tiers: the tier stays"));
  }
  if (out.multiplier_bp == kMultiplierOne && out.tier_to == out.tier_from) return std::nullopt;
  return out;
}

absl::Status Transition(Proposal& proposal, ProposalState from, ProposalState to,
                        std::string_view actor) {
  if (proposal.state != from) {
    return MakeError(ErrorCode::kInvalidState,
                     absl::StrCat("the proposal for ", AsAbsl(proposal.period), " is ",
                                  AsAbsl(ProposalStateName(proposal.state)), ", not ",
                                  AsAbsl(ProposalStateName(from))));
  }
  proposal.state = to;
  if (to != ProposalState::kApplied) proposal.decided_by = std::string(actor);
  return absl::OkStatus();
}

absl::Status Decide(Proposal& proposal, std::string_view actor, ProposalState to) {
  if (actor.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a proposal is decided by a named actor");
  }
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(actor, "actor"));
  return Transition(proposal, ProposalState::kDraft, to, actor);
}

}  // namespace

FeedbackRegistry::FeedbackRegistry() { factories_.emplace("signals", internal::MakeSignalsPolicy); }

absl::Status FeedbackRegistry::Register(std::string name, FeedbackFactory factory) {
  if (name.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a feedback policy needs a name");
  }
  if (!factories_.try_emplace(name, std::move(factory)).second) {
    return MakeError(ErrorCode::kAlreadyExists,
                     absl::StrCat("a feedback policy named '", name, "' is already registered"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<const FeedbackPolicy>> FeedbackRegistry::Create(
    std::string_view name, const PolicyParams& params) const {
  const auto it = factories_.find(AsAbsl(name));
  if (it == factories_.end()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(params.path(), "/policy: no feedback policy named '",
                                  AsAbsl(name), "' is registered"));
  }
  return it->second(params);
}

absl::StatusOr<FeedbackSection> MakeFeedbackFromParams(const PolicyParams& section,
                                                       const FeedbackRegistry& registry) {
  if (!section.IsObject()) return section.Error("", "must be an object");
  FeedbackSection out;
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<std::string> name, section.FindString("policy"));
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> max_change,
                          internal::FindPercentBp(section, "max_change_pct", 0, 100));
  if (max_change) out.max_change_bp = *max_change;
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<const FeedbackPolicy> policy,
                          registry.Create(name.value_or("signals"), section));
  out.policy = std::move(policy);
  return out;
}

std::string_view ProposalStateName(ProposalState state) {
  switch (state) {
    case ProposalState::kDraft:
      return "draft";
    case ProposalState::kApproved:
      return "approved";
    case ProposalState::kRejected:
      return "rejected";
    case ProposalState::kApplied:
      return "applied";
  }
  return "unknown";
}

absl::StatusOr<Proposal> Propose(const FeedbackSection& section, std::string_view period,
                                 std::span<const std::string> tier_names,
                                 std::span<const CustomerSignals> customers,
                                 std::span<const EffectivenessRow> tiers) {
  if (!section.policy) return MakeError(ErrorCode::kInvalidArgument, "no feedback policy");
  UPKEEP_ASSIGN_OR_RETURN(
      std::vector<CustomerChange> changes,
      section.policy->Evaluate(
          {.period = period, .tier_names = tier_names, .customers = customers, .tiers = tiers}));
  Proposal proposal{.period = std::string(period),
                    .policy = std::string(section.policy->name()),
                    .max_change_bp = section.max_change_bp};
  absl::flat_hash_set<std::string> seen;
  for (CustomerChange& change : changes) {
    const auto it = std::lower_bound(
        customers.begin(), customers.end(), change.customer,
        [](const CustomerSignals& s, const std::string& id) { return s.customer < id; });
    if (it == customers.end() || it->customer != change.customer ||
        !seen.insert(change.customer).second) {
      return MakeError(ErrorCode::kCallbackFailed,
                       absl::StrCat("feedback policy '", AsAbsl(section.policy->name()),
                                    "' proposed for customer '", change.customer,
                                    "', which is not in its input or was proposed twice"));
    }
    if (std::optional<ProposedChange> bounded =
            Bound(std::move(change), *it, tier_names, section.max_change_bp)) {
      proposal.changes.push_back(std::move(*bounded));
    }
  }
  std::sort(
      proposal.changes.begin(), proposal.changes.end(),
      [](const ProposedChange& a, const ProposedChange& b) { return a.customer < b.customer; });
  return proposal;
}

absl::Status Approve(Proposal& proposal, std::string_view actor) {
  return Decide(proposal, actor, ProposalState::kApproved);
}

absl::Status Reject(Proposal& proposal, std::string_view actor) {
  return Decide(proposal, actor, ProposalState::kRejected);
}

absl::Status MarkApplied(Proposal& proposal) {
  return Transition(proposal, ProposalState::kApproved, ProposalState::kApplied, "");
}

nlohmann::json ToJson(const Proposal& proposal) {
  nlohmann::json changes = nlohmann::json::array();
  for (const ProposedChange& c : proposal.changes) {
    changes.push_back({{"customer", c.customer},
                       {"tier_from", c.tier_from},
                       {"tier_to", c.tier_to},
                       {"multiplier_bp", c.multiplier_bp},
                       {"reasons", c.reasons}});
  }
  return {{"report", "feedback_proposal"},
          {"period", proposal.period},
          {"policy", proposal.policy},
          {"max_change_bp", proposal.max_change_bp},
          {"state", std::string(ProposalStateName(proposal.state))},
          {"decided_by", proposal.decided_by},
          {"changes", std::move(changes)}};
}

}  // namespace upkeep::monitor

namespace upkeep::monitor {
namespace {

absl::Status ProposalParseError(std::string_view path, std::string_view what) {
  return MakeError(ErrorCode::kParse,
                   absl::StrCat("feedback proposal ", AsAbsl(path), ": ", AsAbsl(what)));
}

// json[key] as T, or kParse naming `path`/key.
template <typename T>
absl::StatusOr<T> Member(const nlohmann::json& json, const char* key, std::string_view path) {
  const auto it = json.find(key);
  const bool fits = it != json.end() && (std::is_same_v<T, std::string> ? it->is_string()
                                         : std::is_same_v<T, int64_t>   ? it->is_number_integer()
                                                                        : it->is_array());
  if (!fits) return ProposalParseError(absl::StrCat(AsAbsl(path), "/", key), "missing or mistyped");
  return it->get<T>();
}

}  // namespace

absl::StatusOr<Proposal> ProposalFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return ProposalParseError("", "must be an object");
  Proposal proposal;
  UPKEEP_ASSIGN_OR_RETURN(proposal.period, Member<std::string>(json, "period", ""));
  UPKEEP_ASSIGN_OR_RETURN(proposal.policy, Member<std::string>(json, "policy", ""));
  UPKEEP_ASSIGN_OR_RETURN(proposal.max_change_bp, Member<int64_t>(json, "max_change_bp", ""));
  UPKEEP_ASSIGN_OR_RETURN(proposal.decided_by, Member<std::string>(json, "decided_by", ""));
  UPKEEP_ASSIGN_OR_RETURN(const std::string state, Member<std::string>(json, "state", ""));
  bool known = false;
  for (const ProposalState s : {ProposalState::kDraft, ProposalState::kApproved,
                                ProposalState::kRejected, ProposalState::kApplied}) {
    if (ProposalStateName(s) == state) {
      proposal.state = s;
      known = true;
    }
  }
  if (!known) return ProposalParseError("/state", absl::StrCat("unknown state ", state));
  UPKEEP_ASSIGN_OR_RETURN(const nlohmann::json changes,
                          Member<nlohmann::json>(json, "changes", ""));
  for (size_t i = 0; i < changes.size(); ++i) {
    const std::string path = absl::StrCat("/changes/", i);
    if (!changes[i].is_object()) return ProposalParseError(path, "must be an object");
    ProposedChange& change = proposal.changes.emplace_back();
    UPKEEP_ASSIGN_OR_RETURN(change.customer, Member<std::string>(changes[i], "customer", path));
    UPKEEP_ASSIGN_OR_RETURN(change.tier_from, Member<std::string>(changes[i], "tier_from", path));
    UPKEEP_ASSIGN_OR_RETURN(change.tier_to, Member<std::string>(changes[i], "tier_to", path));
    UPKEEP_ASSIGN_OR_RETURN(change.multiplier_bp,
                            Member<int64_t>(changes[i], "multiplier_bp", path));
    UPKEEP_ASSIGN_OR_RETURN(const nlohmann::json reasons,
                            Member<nlohmann::json>(changes[i], "reasons", path));
    for (const nlohmann::json& reason : reasons) {
      if (!reason.is_string()) return ProposalParseError(path + "/reasons", "must be strings");
      change.reasons.push_back(reason.get<std::string>());
    }
  }
  return proposal;
}

}  // namespace upkeep::monitor
