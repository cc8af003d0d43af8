// capi/proposal.cc: the feedback loop's proposal from C: propose from a ledger's monitor by the
// policy's "feedback" section, approve / reject / mark applied, as JSON, simulated against the
// current plan, and the next period's plan from an approved one.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"
#include "upkeep/monitor/effectiveness.h"
#include "upkeep/next_plan.h"

namespace upkeep::capi {
namespace {

upk_status SameCurrency(Currency policy, Currency other, const char* what) {
  if (policy == other) return UPK_OK;
  return Fail(UPK_CURRENCY_MISMATCH, absl::StrCat("the policy is in ", AsAbsl(policy.code()),
                                                  ", the ", what, " in ", AsAbsl(other.code())));
}

// What the simulation and the plan take, checked.
struct NextPlanArguments {
  const PolicySet& policy;
  CurrentPlan current;
  const Portfolio& next;
  const monitor::Proposal& proposal;
  const PlanOptions& options;
};

// Checks the arguments of the simulation and the plan (`out` their out-parameter) and returns
// `run(arguments)`.
template <typename Run>
upk_status WithNextPlanArguments(const void* out, const upk_policy* policy, const upk_plan* current,
                                 const upk_portfolio* next, const upk_proposal* proposal,
                                 const upk_plan_options* options, Run&& run) {
  if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
  if (upk_status s = NotNull(policy, "policy"); s != UPK_OK) return s;
  if (upk_status s = NotNull(current, "current"); s != UPK_OK) return s;
  if (upk_status s = NotNull(next, "next"); s != UPK_OK) return s;
  if (upk_status s = NotNull(proposal, "proposal"); s != UPK_OK) return s;
  PlanOptions plan_options;
  std::optional<TierHistory> history;
  if (upk_status s = PlanOptionsOf(options, &plan_options, &history); s != UPK_OK) return s;
  return run(NextPlanArguments{*policy->set,
                               {*current->portfolio, current->plan},
                               *next->portfolio,
                               proposal->proposal,
                               plan_options});
}

upk_status Decide(upk_proposal* proposal, upk_str actor,
                  absl::Status (*decide)(monitor::Proposal&, std::string_view)) {
  if (upk_status s = NotNull(proposal, "proposal"); s != UPK_OK) return s;
  std::string_view who;
  if (upk_status s = Text(actor, "actor", &who); s != UPK_OK) return s;
  return FromStatus(decide(proposal->proposal, who));
}

}  // namespace
}  // namespace upkeep::capi

using upkeep::capi::Guard;
using upkeep::capi::NotNull;
namespace mon = upkeep::monitor;

extern "C" {

upk_status upk_ledger_propose(upk_proposal** out, const upk_ledger* ledger,
                              const upk_policy* policy, upk_str period) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    mon::Monitor* m = nullptr;
    if (upk_status s = upkeep::capi::MonitorOf(ledger, &m); s != UPK_OK) return s;
    if (upk_status s = NotNull(policy, "policy"); s != UPK_OK) return s;
    std::string_view p;
    if (upk_status s = upkeep::capi::Text(period, "period", &p); s != UPK_OK) return s;
    const upkeep::PolicySet& set = *policy->set;
    if (upk_status s = upkeep::capi::SameCurrency(set.currency(), m->currency(), "ledger");
        s != UPK_OK) {
      return s;
    }
    if (set.feedback() == nullptr) {
      return upkeep::capi::Fail(UPK_NOT_FOUND, "the policy has no \"feedback\" section");
    }
    absl::StatusOr<mon::Proposal> proposal;
    m->ReadFeedback([&](const mon::Facts& facts, const mon::FeedbackLog& log) {
      absl::StatusOr<mon::EffectivenessReport> by_tier =
          mon::Effectiveness(facts, log, {.period = std::string(p)});
      if (!by_tier.ok()) {
        proposal = by_tier.status();
        return;
      }
      absl::StatusOr<std::vector<mon::CustomerSignals>> signals =
          mon::CollectSignals(facts, log, p);
      if (!signals.ok()) {
        proposal = signals.status();
        return;
      }
      proposal = mon::Propose(*set.feedback(), p, set.tier_names(), *signals, by_tier->rows);
    });
    if (!proposal.ok()) return upkeep::capi::FromStatus(proposal.status());
    *out = new upk_proposal{*std::move(proposal)};
    return UPK_OK;
  });
}

void upk_proposal_free(upk_proposal* proposal) {
  upkeep::capi::GuardVoid([&] { delete proposal; });
}

upk_status upk_proposal_state(int32_t* out, const upk_proposal* proposal) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(proposal, "proposal"); s != UPK_OK) return s;
    *out = static_cast<int32_t>(proposal->proposal.state);
    return UPK_OK;
  });
}

upk_status upk_proposal_approve(upk_proposal* proposal, upk_str actor) {
  return Guard([&] { return upkeep::capi::Decide(proposal, actor, &mon::Approve); });
}

upk_status upk_proposal_reject(upk_proposal* proposal, upk_str actor) {
  return Guard([&] { return upkeep::capi::Decide(proposal, actor, &mon::Reject); });
}

upk_status upk_proposal_mark_applied(upk_proposal* proposal) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(proposal, "proposal"); s != UPK_OK) return s;
    return upkeep::capi::FromStatus(mon::MarkApplied(proposal->proposal));
  });
}

upk_status upk_proposal_to_json(char** out, const upk_proposal* proposal) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(proposal, "proposal"); s != UPK_OK) return s;
    return upkeep::capi::Emit(mon::ToJson(proposal->proposal).dump(), out);
  });
}

upk_status upk_proposal_simulate_json(char** out, const upk_policy* policy, const upk_plan* current,
                                      const upk_portfolio* next, const upk_proposal* proposal,
                                      const upk_plan_options* options) {
  return Guard([&]() -> upk_status {
    return upkeep::capi::WithNextPlanArguments(
        out, policy, current, next, proposal, options,
        [&](const upkeep::capi::NextPlanArguments& a) -> upk_status {
          absl::StatusOr<upkeep::ProposalSimulation> sim =
              upkeep::SimulateProposal(a.policy, a.current, a.next, a.proposal, a.options);
          if (!sim.ok()) return upkeep::capi::FromStatus(sim.status());
          return upkeep::capi::Emit(upkeep::ToJson(*sim, a.policy.currency()).dump(), out);
        });
  });
}

upk_status upk_plan_from_proposal(upk_plan** out, const upk_policy* policy, const upk_plan* current,
                                  const upk_portfolio* next, const upk_proposal* proposal,
                                  const upk_plan_options* options) {
  return Guard([&]() -> upk_status {
    return upkeep::capi::WithNextPlanArguments(
        out, policy, current, next, proposal, options,
        [&](const upkeep::capi::NextPlanArguments& a) -> upk_status {
          absl::StatusOr<upkeep::PeriodPlan> plan =
              upkeep::PlanFromProposal(a.policy, a.current, a.next, a.proposal, a.options);
          if (!plan.ok()) return upkeep::capi::FromStatus(plan.status());
          *out = upkeep::capi::NewPlan(next->portfolio, *std::move(plan)).release();
          return UPK_OK;
        });
  });
}

}  // extern "C"
