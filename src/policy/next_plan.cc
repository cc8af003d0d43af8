#include "upkeep/next_plan.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "policy/plan_steps.h"
#include "upkeep/bounded_split.h"
#include "upkeep/rounding.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

using monitor::kMultiplierOne;
using monitor::ProposalState;
using monitor::ProposedChange;

constexpr int64_t kNoCap = std::numeric_limits<int64_t>::max();

int64_t Clamp64(absl::int128 value) {
  return static_cast<int64_t>(std::clamp<absl::int128>(value, 0, kNoCap));
}

// The next plan, and per next-portfolio customer what the proposal said.
struct Applied {
  PeriodPlan plan;
  std::vector<const ProposedChange*> change;  // nullptr: not proposed
  std::vector<std::optional<size_t>> now;     // index in the current portfolio
};

absl::Status CheckCurrent(const CurrentPlan& current) {
  const size_t n = current.portfolio.size();
  if (current.plan.allocation.size() != n || current.plan.classification.size() != n) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("the current plan covers ", current.plan.allocation.size(),
                                  " customers; its portfolio has ", n));
  }
  return absl::OkStatus();
}

// Moves the proposed customers to their proposed tiers.
absl::Status MoveTiers(const monitor::Proposal& proposal, const Portfolio& next, Applied& out) {
  Classification& c = out.plan.classification;
  for (const ProposedChange& change : proposal.changes) {
    const std::optional<size_t> i = next.Find(change.customer);
    if (!i) continue;  // left the portfolio
    out.change[*i] = &change;
    if (change.tier_to == change.tier_from) continue;
    const auto it = std::find(c.tier_names.begin(), c.tier_names.end(), change.tier_to);
    if (it == c.tier_names.end()) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat("the proposal moves '", change.customer, "' to tier '",
                                    change.tier_to, "', which the policy does not have"));
    }
    c.tier[*i] = static_cast<TierIndex>(it - c.tier_names.begin());
    c.reason[*i] = TierReason::kFeedback;
  }
  return absl::OkStatus();
}

absl::int128 Allocated(const Allocation& allocation) {
  absl::int128 total = 0;
  for (int64_t amount : allocation.amount_minor) total += amount;
  return total;
}

// Splits the allocated money again by amount x multiplier, each customer that the current plan
// funded held within the bound of its current amount (scaled to the new total).
absl::Status Reweight(const monitor::Proposal& proposal, const CurrentPlan& current,
                      const Portfolio& next, Applied& out) {
  Allocation& a = out.plan.allocation;
  const size_t n = a.size();
  const absl::int128 current_total = Allocated(current.plan.allocation);
  const absl::int128 next_total = Allocated(a);
  const int64_t bound_bp = proposal.max_change_bp;
  // band_*: the proposal's band around each funded customer's current amount; policy_*: the
  // same, narrowed to the policy's own floor or cap on the customer where that fits.
  std::vector<int64_t> base(n), band_floor(n, 0), band_cap(n, kNoCap);
  std::vector<uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) {
    keys[i] = next.tie_key(i);
    const int64_t multiplier = out.change[i] ? out.change[i]->multiplier_bp : kMultiplierOne;
    UPKEEP_ASSIGN_OR_RETURN(
        base[i], DivideRoundedToInt64(absl::int128(a.amount_minor[i]) * multiplier, kMultiplierOne,
                                      RoundingMode::kHalfEven));
    if (!out.now[i] || current_total == 0 ||
        current.plan.allocation.amount_minor[*out.now[i]] == 0) {
      continue;  // not funded now: not bounded
    }
    // A funded customer the policy now gives nothing still weighs a little, so that it can
    // take what its band requires.
    base[i] = std::max<int64_t>(base[i], 1);
    const absl::int128 reference =
        absl::int128(current.plan.allocation.amount_minor[*out.now[i]]) * next_total;
    const absl::int128 den = current_total * kMultiplierOne;
    band_floor[i] =
        Clamp64(DivideRounded(reference * (kMultiplierOne - bound_bp), den, RoundingMode::kFloor));
    band_cap[i] = Clamp64(
        DivideRounded(reference * (kMultiplierOne + bound_bp), den, RoundingMode::kCeiling));
  }
  std::vector<int64_t> policy_floor = band_floor, policy_cap = band_cap;
  for (size_t i = 0; i < n; ++i) {
    if (a.flags[i] & kAllocCapped) {
      policy_cap[i] = std::max(band_floor[i], std::min(band_cap[i], a.bound_minor[i]));
    }
    if (a.flags[i] & kAllocFloored) {
      policy_floor[i] = std::min(policy_cap[i], std::max(band_floor[i], a.bound_minor[i]));
    }
  }
  std::vector<int64_t> parts;
  std::vector<SplitBound> held;
  const auto total = static_cast<int64_t>(next_total);
  absl::Status split =
      SplitWithinBounds(total, {base, policy_floor, policy_cap, keys}, parts, held);
  if (ErrorCodeOf(split) == ErrorCode::kInfeasible) {
    // The policy's bounds and the band cannot both hold: the band does.
    split = SplitWithinBounds(total, {base, band_floor, band_cap, keys}, parts, held);
  }
  if (!split.ok()) {
    return MakeError(ErrorCode::kInfeasible,
                     absl::StrCat("the proposal's bound cannot hold: ", split.message()));
  }
  if (a.steps.size() >= std::numeric_limits<uint8_t>::max()) {
    return MakeError(ErrorCode::kInvalidArgument, "the allocation has too many steps");
  }
  a.steps.push_back(absl::StrCat("feedback: the proposal for ", AsAbsl(proposal.period), " (",
                                 AsAbsl(proposal.policy),
                                 "), amounts times their multipliers, each customer within ",
                                 bound_bp / 100, ".", absl::Dec(bound_bp % 100, absl::kZeroPad2),
                                 " % of its current share of the allocated money"));
  const auto step = static_cast<uint8_t>(a.steps.size() - 1);
  std::fill(a.tier_amount_minor.begin(), a.tier_amount_minor.end(), 0);
  for (size_t i = 0; i < n; ++i) {
    if (parts[i] != a.amount_minor[i]) {
      a.step[i] = step;
      a.flags[i] =
          static_cast<uint8_t>((a.flags[i] & ~(kAllocFloored | kAllocCapped)) | kAllocReweighted |
                               (held[i] == SplitBound::kFloor ? kAllocFloored : 0) |
                               (held[i] == SplitBound::kCap ? kAllocCapped : 0));
      a.bound_minor[i] = held[i] == SplitBound::kNone ? 0 : parts[i];
      a.amount_minor[i] = parts[i];
    }
    a.tier_amount_minor[a.tier[i]] += a.amount_minor[i];
  }
  return absl::OkStatus();
}

absl::StatusOr<Applied> Apply(const PolicySet& policy, const CurrentPlan& current,
                              const Portfolio& next, const monitor::Proposal& proposal,
                              const PlanOptions& options) {
  UPKEEP_RETURN_IF_ERROR(policy_internal::CheckCurrency(policy, next));
  UPKEEP_RETURN_IF_ERROR(CheckCurrent(current));
  if (proposal.state == ProposalState::kRejected || proposal.state == ProposalState::kApplied) {
    return MakeError(ErrorCode::kInvalidState,
                     absl::StrCat("the proposal for ", AsAbsl(proposal.period), " is ",
                                  AsAbsl(monitor::ProposalStateName(proposal.state))));
  }
  Applied out;
  out.change.assign(next.size(), nullptr);
  out.now.resize(next.size());
  for (size_t i = 0; i < next.size(); ++i) {
    out.now[i] = current.portfolio.Find(next.customer(i).id);
  }
  if (options.previous != nullptr) {
    UPKEEP_RETURN_IF_ERROR(
        policy.classifier().ClassifyWithHistory(next, *options.previous, out.plan.classification));
  } else {
    UPKEEP_RETURN_IF_ERROR(policy.classifier().Classify(next, out.plan.classification));
  }
  UPKEEP_RETURN_IF_ERROR(MoveTiers(proposal, next, out));
  UPKEEP_RETURN_IF_ERROR(policy_internal::SizeAndAllocate(policy, next, options.pool, out.plan));
  UPKEEP_RETURN_IF_ERROR(Reweight(proposal, current, next, out));
  return out;
}

// (next / next_total) / (now / now_total) - 1 in basis points; nullopt when now is 0. With equal
// totals, the plain change of the amount.
std::optional<int64_t> ChangeBp(int64_t now, int64_t next, absl::int128 now_total = 1,
                                absl::int128 next_total = 1) {
  if (now == 0 || next_total == 0) return std::nullopt;
  const absl::int128 num = absl::int128(next) * now_total - absl::int128(now) * next_total;
  return static_cast<int64_t>(
      DivideRounded(num * 10000, absl::int128(now) * next_total, RoundingMode::kHalfEven));
}

nlohmann::json Optional(const std::optional<int64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

std::string Amount(int64_t minor, Currency currency) {
  return Money::FromMinor(minor, currency).ToDecimalString();
}

}  // namespace

absl::StatusOr<ProposalSimulation> SimulateProposal(const PolicySet& policy,
                                                    const CurrentPlan& current,
                                                    const Portfolio& next_portfolio,
                                                    const monitor::Proposal& proposal,
                                                    const PlanOptions& options) {
  UPKEEP_ASSIGN_OR_RETURN(Applied applied,
                          Apply(policy, current, next_portfolio, proposal, options));
  ProposalSimulation sim;
  const Allocation& now = current.plan.allocation;
  const Allocation& next = applied.plan.allocation;
  const absl::int128 now_total = Allocated(now), next_total = Allocated(next);
  for (size_t i = 0; i < next_portfolio.size(); ++i) {
    CustomerMove move{.customer = next_portfolio.customer(i).id,
                      .tier_next = next.tier_names[next.tier[i]],
                      .amount_next_minor = next.amount_minor[i]};
    if (const std::optional<size_t> j = applied.now[i]) {
      move.tier_now = now.tier_names[now.tier[*j]];
      move.amount_now_minor = now.amount_minor[*j];
    }
    move.change_bp = ChangeBp(move.amount_now_minor, move.amount_next_minor);
    move.share_change_bp =
        ChangeBp(move.amount_now_minor, move.amount_next_minor, now_total, next_total);
    if (const ProposedChange* change = applied.change[i]) {
      move.multiplier_bp = change->multiplier_bp;
      move.reasons = change->reasons;
    }
    sim.customers.push_back(std::move(move));
  }
  sim.tiers_now = SummarizeByTier(current.plan);
  sim.tiers_next = SummarizeByTier(applied.plan);
  sim.next = std::move(applied.plan);
  return sim;
}

absl::StatusOr<PeriodPlan> PlanFromProposal(const PolicySet& policy, const CurrentPlan& current,
                                            const Portfolio& next_portfolio,
                                            const monitor::Proposal& proposal,
                                            const PlanOptions& options) {
  if (proposal.state != ProposalState::kApproved) {
    return MakeError(ErrorCode::kInvalidState,
                     absl::StrCat("the proposal for ", AsAbsl(proposal.period), " is ",
                                  AsAbsl(monitor::ProposalStateName(proposal.state)),
                                  "; only an approved proposal becomes the next plan"));
  }
  UPKEEP_ASSIGN_OR_RETURN(Applied applied,
                          Apply(policy, current, next_portfolio, proposal, options));
  return std::move(applied.plan);
}

nlohmann::json ToJson(const ProposalSimulation& sim, Currency currency) {
  nlohmann::json tiers = nlohmann::json::array();
  for (size_t t = 0; t < sim.tiers_next.size(); ++t) {
    const TierSummary& next = sim.tiers_next[t];
    const auto now = std::find_if(sim.tiers_now.begin(), sim.tiers_now.end(),
                                  [&](const TierSummary& s) { return s.tier == next.tier; });
    const bool known = now != sim.tiers_now.end();
    tiers.push_back({{"tier", next.tier},
                     {"customers_now", known ? now->customers : 0},
                     {"amount_now", Amount(known ? now->amount_minor : 0, currency)},
                     {"customers_next", next.customers},
                     {"amount_next", Amount(next.amount_minor, currency)}});
  }
  nlohmann::json customers = nlohmann::json::array();
  for (const CustomerMove& m : sim.customers) {
    customers.push_back({{"customer", m.customer},
                         {"tier_now", m.tier_now},
                         {"tier_next", m.tier_next},
                         {"amount_now", Amount(m.amount_now_minor, currency)},
                         {"amount_next", Amount(m.amount_next_minor, currency)},
                         {"change_bp", Optional(m.change_bp)},
                         {"share_change_bp", Optional(m.share_change_bp)},
                         {"multiplier_bp", m.multiplier_bp},
                         {"reasons", m.reasons}});
  }
  return {{"report", "proposal_simulation"},
          {"currency", std::string(currency.code())},
          {"pool_next", Amount(sim.next.allocation.pool_minor, currency)},
          {"tiers", std::move(tiers)},
          {"customers", std::move(customers)}};
}

}  // namespace upkeep
