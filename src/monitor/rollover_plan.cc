#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "monitor/params_util.h"
#include "upkeep/money.h"
#include "upkeep/monitor/rollover.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

constexpr RolloverMode kModes[] = {RolloverMode::kForfeit,      RolloverMode::kCarryAll,
                                   RolloverMode::kCarryCapped,  RolloverMode::kCarryExpiring,
                                   RolloverMode::kCarryDeficit, RolloverMode::kSweep};

bool Matches(const RolloverRule& rule, const EnvelopeAtClose& e) {
  if (rule.level != e.level) return false;
  if (!rule.key.empty() && rule.key != e.customer) return false;
  if (!rule.category.empty() && rule.category != e.category) return false;
  return rule.tiers.empty() ||
         std::find(rule.tiers.begin(), rule.tiers.end(), e.tier) != rule.tiers.end();
}

absl::StatusOr<RolloverRule> ReadRule(const PolicyParams& item, Currency currency,
                                      std::vector<std::string>* ids) {
  UPKEEP_RETURN_IF_ERROR(item.CheckKeys({"id", "level", "key", "category", "tiers", "mode",
                                         "cap_amount", "cap_pct", "periods", "pool"}));
  RolloverRule rule;
  UPKEEP_ASSIGN_OR_RETURN(rule.id, internal::ReadUniqueId(item, ids));
  UPKEEP_ASSIGN_OR_RETURN(rule.level, internal::ReadLevel(item, ledger::ScopeKind::kCustomer));
  if (rule.level != ledger::ScopeKind::kCustomer && rule.level != ledger::ScopeKind::kTier &&
      rule.level != ledger::ScopeKind::kCompany) {
    return item.Error("level", "a rollover rule settles customer, tier or company scopes");
  }
  UPKEEP_ASSIGN_OR_RETURN(const auto key, item.FindString("key"));
  UPKEEP_ASSIGN_OR_RETURN(const auto category, item.FindString("category"));
  rule.key = key.value_or("");
  rule.category = category.value_or("");
  UPKEEP_ASSIGN_OR_RETURN(rule.tiers, internal::FindStrings(item, "tiers"));
  UPKEEP_ASSIGN_OR_RETURN(const std::string mode, item.GetString("mode"));
  bool known = false;
  for (const RolloverMode m : kModes) {
    if (RolloverModeName(m) == mode) {
      rule.mode = m;
      known = true;
    }
  }
  if (!known) {
    return item.Error("mode",
                      "must be one of forfeit, carry_all, carry_capped, "
                      "carry_expiring, carry_deficit, sweep");
  }
  UPKEEP_ASSIGN_OR_RETURN(const auto cap_amount, item.FindString("cap_amount"));
  if (cap_amount) {
    absl::StatusOr<Money> cap = Money::Parse(*cap_amount, currency);
    if (!cap.ok() || cap->is_negative()) {
      return item.Error("cap_amount", "must be an amount >= 0 in the policy's currency");
    }
    rule.cap_minor = cap->amount_minor();
  }
  UPKEEP_ASSIGN_OR_RETURN(rule.cap_bp, internal::FindPercentBp(item, "cap_pct", 0, 100));
  if (rule.mode == RolloverMode::kCarryCapped && !rule.cap_minor && !rule.cap_bp) {
    return item.Error("", "carry_capped needs cap_amount or cap_pct");
  }
  UPKEEP_ASSIGN_OR_RETURN(const auto periods, item.FindInt("periods"));
  if (periods && (*periods < 1 || *periods > 100)) {
    return item.Error("periods", "must be between 1 and 100");
  }
  rule.periods = static_cast<int32_t>(periods.value_or(1));
  UPKEEP_ASSIGN_OR_RETURN(const auto pool, item.FindString("pool"));
  rule.pool = pool.value_or("");
  if (rule.mode == RolloverMode::kSweep && rule.pool.empty()) {
    return item.Error("pool", "is required for a sweep");
  }
  return rule;
}

absl::StatusOr<RolloverPool> ReadPool(const PolicyParams& item) {
  UPKEEP_RETURN_IF_ERROR(item.CheckKeys({"level", "key", "category"}));
  RolloverPool pool;
  UPKEEP_ASSIGN_OR_RETURN(pool.kind, internal::ReadLevel(item, ledger::ScopeKind::kCompany));
  if (pool.kind != ledger::ScopeKind::kCompany && pool.kind != ledger::ScopeKind::kTier) {
    return item.Error("level", "a pool is a company or tier scope");
  }
  UPKEEP_ASSIGN_OR_RETURN(const auto key, item.FindString("key"));
  UPKEEP_ASSIGN_OR_RETURN(const auto category, item.FindString("category"));
  pool.key = key.value_or("");
  pool.category = category.value_or("");
  if (pool.kind == ledger::ScopeKind::kTier && pool.key.empty()) {
    return item.Error("key", "a tier pool names its tier");
  }
  return pool;
}

// carry_expiring: the unused `rest` is the newest money: this period's own budget first, then
// lots from the youngest. Lots age by one; those carried `periods` times expire.
int64_t CarryExpiring(const RolloverRule& rule, const EnvelopeAtClose& e, int64_t rest,
                      const std::vector<std::pair<int32_t, int64_t>>* lots,
                      std::vector<std::pair<int32_t, int64_t>>* lots_after) {
  int64_t carried_in = 0;
  if (lots != nullptr) {
    for (const auto& lot : *lots) carried_in += lot.second;
  }
  const int64_t fresh = std::max<int64_t>(0, e.balance.budget_minor - carried_in);
  int64_t left = rest;
  const int64_t from_fresh = std::min(left, fresh);
  left -= from_fresh;
  std::vector<std::pair<int32_t, int64_t>> kept;
  if (lots != nullptr) {
    for (const auto& [age, amount] : *lots) {  // youngest first
      const int64_t take = std::min(left, amount);
      left -= take;
      if (take > 0 && age + 1 <= rule.periods) kept.emplace_back(age + 1, take);
    }
  }
  // What `left` still holds after every lot is an excess the lots do not explain; it carries as
  // fresh money too.
  const int64_t fresh_carried = from_fresh + left;
  int64_t carried = fresh_carried;
  for (const auto& lot : kept) carried += lot.second;
  if (fresh_carried > 0) kept.emplace_back(1, fresh_carried);
  std::sort(kept.begin(), kept.end());
  *lots_after = std::move(kept);
  return carried;
}

}  // namespace

std::string ScopeLabel(ledger::ScopeKind level, std::string_view key, std::string_view category) {
  if (level == ledger::ScopeKind::kCustomer) {
    return absl::StrCat(AsAbsl(key), "/", AsAbsl(category));
  }
  if (level == ledger::ScopeKind::kTier) {
    return absl::StrCat("tier ", AsAbsl(key), "/", AsAbsl(category));
  }
  return absl::StrCat("company/", AsAbsl(category));
}

std::string_view RolloverModeName(RolloverMode mode) {
  switch (mode) {
    case RolloverMode::kForfeit:
      return "forfeit";
    case RolloverMode::kCarryAll:
      return "carry_all";
    case RolloverMode::kCarryCapped:
      return "carry_capped";
    case RolloverMode::kCarryExpiring:
      return "carry_expiring";
    case RolloverMode::kCarryDeficit:
      return "carry_deficit";
    case RolloverMode::kSweep:
      return "sweep";
  }
  return "unknown";
}

absl::StatusOr<RolloverPolicy> MakeRolloverFromParams(const PolicyParams& section,
                                                      Currency currency) {
  UPKEEP_RETURN_IF_ERROR(section.CheckKeys({"reservations", "pools", "rules"}));
  RolloverPolicy policy;
  UPKEEP_ASSIGN_OR_RETURN(const auto reservations, section.FindString("reservations"));
  if (reservations && *reservations != "release" && *reservations != "move") {
    return section.Error("reservations", "must be release or move");
  }
  policy.move_reservations = reservations == "move";
  if (std::optional<PolicyParams> pools = section.OptionalChild("pools")) {
    UPKEEP_ASSIGN_OR_RETURN(const auto members, pools->Members());
    for (const auto& [name, item] : members) {
      UPKEEP_ASSIGN_OR_RETURN(policy.pools[name], ReadPool(item));
    }
  }
  if (std::optional<PolicyParams> rules = section.OptionalChild("rules")) {
    UPKEEP_ASSIGN_OR_RETURN(const std::vector<PolicyParams> items, rules->Elements());
    std::vector<std::string> ids;
    for (const PolicyParams& item : items) {
      UPKEEP_ASSIGN_OR_RETURN(RolloverRule rule, ReadRule(item, currency, &ids));
      if (rule.mode == RolloverMode::kSweep && !policy.pools.contains(rule.pool)) {
        return MakeError(ErrorCode::kNotFound, absl::StrCat(item.path(), "/pool: no pool named \"",
                                                            rule.pool, "\" in /rollover/pools"));
      }
      policy.rules.push_back(std::move(rule));
    }
  }
  return policy;
}

absl::StatusOr<RolloverPlan> PlanRollover(const RolloverPolicy& policy,
                                          std::string_view closed_period,
                                          std::string_view next_period,
                                          std::span<const EnvelopeAtClose> envelopes,
                                          const CarryLots& lots_before, Currency currency) {
  for (const RolloverRule& rule : policy.rules) {
    if (rule.mode == RolloverMode::kSweep && !policy.pools.contains(rule.pool)) {
      return MakeError(ErrorCode::kNotFound,
                       absl::StrCat("rollover rule '", rule.id, "' sweeps to an unknown pool '",
                                    rule.pool, "'"));
    }
  }
  const auto amount = [&](int64_t minor) {
    return Money::FromMinor(minor, currency).ToDecimalString();
  };
  RolloverPlan plan;
  plan.closed_period = std::string(closed_period);
  plan.next_period = std::string(next_period);
  for (const EnvelopeAtClose& e : envelopes) {
    Settlement s;
    s.level = e.level;
    s.customer = e.customer;
    s.category = e.category;
    s.rule_id = "default-forfeit";
    s.unused_minor = e.balance.available_minor;
    s.moved_minor = e.moved_minor;
    const RolloverRule* rule = nullptr;
    for (const RolloverRule& candidate : policy.rules) {
      if (Matches(candidate, e)) {
        rule = &candidate;
        break;
      }
    }
    if (rule != nullptr) {
      s.rule_id = rule->id;
      s.mode = rule->mode;
    }
    const int64_t rest = s.unused_minor - s.moved_minor;
    const std::string label = ScopeLabel(e.level, e.customer, e.category);
    const std::string& lot_key = label;
    if (rest < 0) {
      if (s.mode == RolloverMode::kCarryDeficit) {
        s.carried_minor = rest;
      } else {
        s.forfeited_minor = rest;
      }
    } else {
      switch (s.mode) {
        case RolloverMode::kForfeit:
          s.forfeited_minor = rest;
          break;
        case RolloverMode::kCarryAll:
        case RolloverMode::kCarryDeficit:
          s.carried_minor = rest;
          break;
        case RolloverMode::kCarryCapped: {
          int64_t cap = rule->cap_minor.value_or(INT64_MAX);
          if (rule->cap_bp) {
            const absl::int128 by_pct =
                absl::int128(std::max<int64_t>(0, e.balance.budget_minor)) * *rule->cap_bp / 10000;
            cap = std::min<int64_t>(cap, static_cast<int64_t>(by_pct));
          }
          s.carried_minor = std::min(rest, cap);
          s.forfeited_minor = rest - s.carried_minor;
          break;
        }
        case RolloverMode::kCarryExpiring: {
          const auto it = lots_before.find(lot_key);
          std::vector<std::pair<int32_t, int64_t>> after;
          s.carried_minor = CarryExpiring(*rule, e, rest,
                                          it == lots_before.end() ? nullptr : &it->second, &after);
          s.forfeited_minor = rest - s.carried_minor;
          if (!after.empty()) plan.lots_after[lot_key] = std::move(after);
          break;
        }
        case RolloverMode::kSweep:
          s.swept_minor = rest;
          s.pool = rule->pool;
          break;
      }
    }
    s.explanation = absl::StrCat(
        label, ": ", amount(s.unused_minor), " left of ", amount(e.balance.budget_minor), " in ",
        AsAbsl(closed_period), " (", AsAbsl(RolloverModeName(s.mode)), " by rule ", s.rule_id,
        "): carried ", amount(s.carried_minor), ", forfeited ", amount(s.forfeited_minor),
        ", swept ", amount(s.swept_minor), s.pool.empty() ? "" : absl::StrCat(" to pool ", s.pool),
        ", reservations moved ", amount(s.moved_minor));
    plan.unused_minor += s.unused_minor;
    plan.carried_minor += s.carried_minor;
    plan.forfeited_minor += s.forfeited_minor;
    plan.swept_minor += s.swept_minor;
    plan.moved_minor += s.moved_minor;
    plan.settlements.push_back(std::move(s));
  }
  std::sort(plan.settlements.begin(), plan.settlements.end(),
            [](const Settlement& a, const Settlement& b) {
              return std::tie(a.customer, a.category, a.level) <
                     std::tie(b.customer, b.category, b.level);
            });
  return plan;
}

}  // namespace upkeep::monitor
