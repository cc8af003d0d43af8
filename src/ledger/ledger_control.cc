// Control: matching rules to scopes and deciding requests.
#include <algorithm>
#include <optional>
#include <utility>

#include "ledger/ledger_state.h"
#include "ledger/text.h"

namespace upkeep::ledger {
namespace {

constexpr std::string_view kDefaultRuleId = "default-block";

// How much a rule lets a scope go below zero.
int64_t ToleranceOf(const AvailabilityRule& rule, int64_t budget_minor) {
  const int64_t budget = std::max<int64_t>(budget_minor, 0);
  int64_t share_minor = 0;
  if (__builtin_mul_overflow(budget / 10000, rule.tolerance_basis_points, &share_minor)) {
    return INT64_MAX;
  }
  share_minor += budget % 10000 * rule.tolerance_basis_points / 10000;
  return std::max(rule.tolerance_minor, share_minor);
}

}  // namespace

void LedgerState::SetPolicies(ControlPolicySet set, std::string document) {
  policies.source = std::move(set);
  policy_document = std::move(document);
  CompilePolicies();
  monthly_uses.clear();
  for (uint32_t op = 0; op < ops.size(); ++op) CountUse(op, +1);
  for (Scope& scope : scopes) scope.rule = MatchRule(scope);
}

void LedgerState::CompilePolicies() {
  const ControlPolicySet& source = policies.source;
  policies.limits.clear();
  for (size_t i = 0; i < source.limits.size(); ++i) {
    const LimitRule& rule = source.limits[i];
    CompiledPolicies::Limit limit{.rule = i};
    if (!rule.category.empty()) limit.category = categories.Find(rule.category);
    if (!rule.tier.empty()) limit.tier = tiers.Find(rule.tier);
    limit.matches_nothing = (!rule.category.empty() && limit.category == kNone) ||
                            (!rule.tier.empty() && limit.tier == kNone);
    policies.limits.push_back(limit);
  }
  policies.windowed = false;
  for (const LimitRule& rule : source.limits) {
    policies.windowed |= rule.max_count.has_value() && rule.window != LimitWindow::kPeriod;
  }
  policies.denied.clear();
  for (size_t i = 0; i < source.tier_categories.size(); ++i) {
    const TierCategoryRule& rule = source.tier_categories[i];
    const uint32_t tier = tiers.Find(rule.tier);
    if (tier == kNone) continue;
    for (const std::string& name : rule.denied_categories) {
      const uint32_t category = categories.Find(name);
      if (category != kNone) policies.denied.try_emplace(uint64_t{tier} << 32 | category, i);
    }
  }
  for (uint32_t p = 0; p < period_states.size(); ++p) {
    const std::vector<std::string>& closed = source.closed_periods;
    period_states[p].policy_closed =
        std::find(closed.begin(), closed.end(), periods.Name(p)) != closed.end();
  }
}

int32_t MonthOf(int64_t time_micros) {
  // Days to a civil date in the proleptic Gregorian calendar (H. Hinnant's days_from_civil,
  // inverted); cheaper than a time zone lookup on the reserve path.
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  int64_t days = time_micros / kMicrosPerDay;
  if (time_micros % kMicrosPerDay < 0) --days;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;                         // March = 0
  const int64_t month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;  // 1..12
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return static_cast<int32_t>((year - 1970) * 12 + (month - 1));
}

namespace {
uint64_t UseKey(uint32_t customer, uint32_t category, int32_t month) {
  return uint64_t{customer} << 32 | uint64_t{category} << 17 |
         (static_cast<uint32_t>(month) & 0x1FFFFu);
}
}  // namespace

void LedgerState::CountUse(uint32_t index, int32_t delta) {
  if (!policies.windowed) return;
  const Op& op = ops[index];
  const bool in_use = (op.kind == OpKind::kReserve &&
                       (op.status == OpStatus::kOpen || op.status == OpStatus::kPosted)) ||
                      (op.kind == OpKind::kSpend && op.status == OpStatus::kDone);
  if (!in_use) return;
  const Scope& envelope = scopes[op.scope];
  monthly_uses[UseKey(envelope.key, envelope.category, op.month)] += delta;
}

int32_t LedgerState::UsesInWindow(uint32_t customer, uint32_t category, LimitWindow window,
                                  int32_t month) const {
  const int32_t first = window == LimitWindow::kQuarter ? month - ((month % 3) + 3) % 3 : month;
  const int32_t last = window == LimitWindow::kQuarter ? first + 2 : month;
  int32_t uses = 0;
  for (int32_t m = first; m <= last; ++m) {
    auto it = monthly_uses.find(UseKey(customer, category, m));
    if (it != monthly_uses.end()) uses += it->second;
  }
  return uses;
}

uint16_t LedgerState::MatchRule(const Scope& scope) const {
  const std::vector<AvailabilityRule>& rules = policies.source.availability;
  if (rules.empty()) return kDefaultRule;
  std::string_view key;
  switch (scope.kind) {
    case ScopeKind::kCompany:
      break;
    case ScopeKind::kTier:
      key = tiers.Name(scope.key);
      break;
    case ScopeKind::kCustomer:
      key = customers.Name(scope.key);
      break;
    case ScopeKind::kOwner:
      key = actor_ids.Name(scope.key);
      break;
    case ScopeKind::kRegion:
      key = regions.Name(scope.key);
      break;
  }
  const std::string_view category = categories.Name(scope.category);
  int best_rank = -1;
  uint16_t best = kDefaultRule;
  for (size_t i = 0; i < rules.size() && i < kDefaultRule; ++i) {
    const AvailabilityRule& rule = rules[i];
    if (rule.level != scope.kind) continue;
    if (!rule.key.empty() && rule.key != key) continue;
    if (!rule.category.empty() && rule.category != category) continue;
    const int rank = (rule.key.empty() ? 0 : 2) + (rule.category.empty() ? 0 : 1);
    if (rank > best_rank) {
      best_rank = rank;
      best = static_cast<uint16_t>(i);
    }
  }
  return best;
}

void LedgerState::Decide(const Resolved& request, const Path& path, bool approval_granted,
                         bool explain, Decision* decision) const {
  std::optional<int64_t> time_micros = request.time_micros;
  const auto now_micros = [&] {
    if (!time_micros.has_value()) time_micros = options.clock_micros();
    return *time_micros;
  };
  const int64_t amount = request.amount_minor;
  const auto reason_at = [&](uint32_t s, Outcome outcome, std::string_view rule_id) {
    Reason reason;
    reason.outcome = outcome;
    reason.rule_id = std::string(rule_id);
    reason.scope = RefOf(s);
    reason.balance = BalanceOf(s);
    reason.requested_minor = amount;
    return reason;
  };
  for (uint32_t s : path) {
    const Scope& scope = scopes[s];
    const int64_t available = scope.available_minor();
    const bool fits = amount <= available;
    if (fits && !explain) continue;
    const AvailabilityRule* rule =
        scope.rule == kDefaultRule ? nullptr : &policies.source.availability[scope.rule];
    const ControlMode mode = rule == nullptr ? ControlMode::kBlock : rule->mode;
    const std::string_view rule_id = rule == nullptr ? kDefaultRuleId : rule->id;
    const int64_t over = fits ? 0 : amount - available;
    const std::string numbers =
        StrCat("asks ", Format(amount), ", available ", Format(available), " (budget ",
               Format(scope.budget_minor), ", reserved ", Format(scope.reserved_minor), ", spent ",
               Format(scope.spent_minor), ")");
    if (fits) {
      Reason reason = reason_at(s, Outcome::kApprove, rule_id);
      reason.message = StrCat("within budget: ", numbers);
      decision->Add(std::move(reason));
      continue;
    }
    const std::string remedy = StrCat("with at most ", Format(std::max<int64_t>(available, 0)),
                                      ", or after a budget increase of ", Format(over));
    Outcome outcome = Outcome::kReject;
    std::string message = StrCat("over budget by ", Format(over), ": ", numbers);
    int64_t shortfall = over;
    switch (mode) {
      case ControlMode::kBlock:
        break;
      case ControlMode::kWarn:
        outcome = Outcome::kApproveWithWarning;
        break;
      case ControlMode::kIgnore:
        outcome = Outcome::kApprove;
        break;
      case ControlMode::kRequireApproval:
        outcome = Outcome::kNeedsApproval;
        break;
      case ControlMode::kTolerance: {
        const int64_t tolerance = ToleranceOf(*rule, scope.budget_minor);
        if (over <= tolerance) {
          outcome = Outcome::kApproveWithWarning;
          message = StrCat("over budget by ", Format(over), ", within the tolerance of ",
                           Format(tolerance), ": ", numbers);
        } else {
          shortfall = over - tolerance;
          message = StrCat("over budget by ", Format(over), ", beyond the tolerance of ",
                           Format(tolerance), ": ", numbers);
        }
        break;
      }
    }
    if (outcome == Outcome::kApprove && !explain) continue;
    Reason reason = reason_at(s, outcome, rule_id);
    reason.shortfall_minor = shortfall;
    reason.message = std::move(message);
    if (outcome != Outcome::kApprove) reason.remedy = remedy;
    decision->Add(std::move(reason));
  }

  const Scope& envelope = scopes[request.envelope];
  const uint32_t tier = customer_states[envelope.key].tier;
  for (const CompiledPolicies::Limit& limit : policies.limits) {
    if (limit.matches_nothing || (limit.category != kNone && limit.category != envelope.category) ||
        (limit.tier != kNone && limit.tier != tier)) {
      continue;
    }
    const LimitRule& rule = policies.source.limits[limit.rule];
    if (rule.per_request_max_minor.has_value() && amount > *rule.per_request_max_minor) {
      Reason reason = reason_at(request.envelope, rule.action, rule.id);
      reason.message = StrCat("asks ", Format(amount), ", more than the maximum of ",
                              Format(*rule.per_request_max_minor), " per request");
      reason.remedy = StrCat("with at most ", Format(*rule.per_request_max_minor));
      decision->Add(std::move(reason));
    }
    if (!rule.max_count.has_value()) continue;
    const bool in_period = rule.window == LimitWindow::kPeriod;
    const int32_t uses = in_period ? envelope.uses
                                   : UsesInWindow(envelope.key, envelope.category, rule.window,
                                                  MonthOf(now_micros()));
    if (uses >= *rule.max_count) {
      Reason reason = reason_at(request.envelope, rule.action, rule.id);
      reason.message =
          in_period ? StrCat("already ", uses, " uses in period ", periods.Name(envelope.period),
                             "; the limit is ", *rule.max_count)
                    : StrCat("already ", uses, " uses this ", LimitWindowName(rule.window),
                             "; the limit is ", *rule.max_count);
      reason.remedy = StrCat("in the next ", LimitWindowName(rule.window),
                             ", or after voiding an earlier reservation");
      decision->Add(std::move(reason));
    }
  }
  if (!policies.denied.empty()) {
    auto it = policies.denied.find(uint64_t{tier} << 32 | envelope.category);
    if (it != policies.denied.end()) {
      Reason reason = reason_at(request.envelope, Outcome::kReject,
                                policies.source.tier_categories[it->second].id);
      reason.message = StrCat("category ", categories.Name(envelope.category),
                              " is not allowed for tier ", tiers.Name(tier));
      reason.remedy = "in another category";
      decision->Add(std::move(reason));
    }
  }
  if (!policies.source.custom.empty()) {
    std::array<Balance, 5> balances{};
    const size_t path_size = std::min(static_cast<size_t>(path.size), balances.size());
    for (size_t i = 0; i < path_size; ++i) balances[i] = BalanceOf(path.scopes[i]);
    const CustomerState& customer = customer_states[envelope.key];
    ControlContext context{
        .actor = actor_ids.Name(request.actor),
        .period = periods.Name(envelope.period),
        .customer = customers.Name(envelope.key),
        .tier = tiers.Name(tier),
        .owner = customer.owner == kNone ? std::string_view() : actor_ids.Name(customer.owner),
        .region = customer.region == kNone ? std::string_view() : regions.Name(customer.region),
        .category = categories.Name(envelope.category),
        .amount_minor = amount,
        .time_micros = now_micros(),
        .uses_in_period = envelope.uses,
        .path = std::span<const Balance>(balances.data(), path_size)};
    for (const CustomRule& rule : policies.source.custom) {
      rule.instance->Evaluate(context, rule.id, decision);
    }
  }
  if (approval_granted && decision->outcome == Outcome::kNeedsApproval) {
    decision->outcome = Outcome::kApproveWithWarning;
    for (Reason& reason : decision->reasons) {
      if (reason.outcome != Outcome::kNeedsApproval) continue;
      reason.outcome = Outcome::kApproveWithWarning;
      reason.message += " (approved)";
      reason.remedy.clear();
    }
  }
}

}  // namespace upkeep::ledger
