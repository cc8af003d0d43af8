// capi/ledger_json.cc: ledger values as JSON (names as the engine spells them).
#include "capi/ledger_json.h"

#include <string>

namespace upkeep::capi {

nlohmann::json ScopeJson(const ledger::ScopeRef& scope) {
  return {{"text", scope.ToString()},
          {"period", scope.period},
          {"kind", std::string(ledger::ScopeKindName(scope.kind))},
          {"key", scope.key},
          {"category", scope.category}};
}

nlohmann::json BalanceJson(const ledger::Balance& b) {
  return {{"budget_minor", b.budget_minor},
          {"reserved_minor", b.reserved_minor},
          {"spent_minor", b.spent_minor},
          {"available_minor", b.available_minor},
          {"budget_version", b.budget_version}};
}

nlohmann::json DecisionJson(const ledger::Decision& decision) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const ledger::Reason& r : decision.reasons) {
    reasons.push_back({{"outcome", std::string(ledger::OutcomeName(r.outcome))},
                       {"rule_id", r.rule_id},
                       {"scope", ScopeJson(r.scope)},
                       {"balance", BalanceJson(r.balance)},
                       {"requested_minor", r.requested_minor},
                       {"shortfall_minor", r.shortfall_minor},
                       {"message", r.message},
                       {"remedy", r.remedy}});
  }
  return {{"outcome", std::string(ledger::OutcomeName(decision.outcome))},
          {"explanation", decision.Explain()},
          {"reasons", reasons}};
}

nlohmann::json ScopesJson(const std::vector<ledger::ScopeSnapshot>& scopes) {
  nlohmann::json out = nlohmann::json::array();
  for (const ledger::ScopeSnapshot& s : scopes) {
    out.push_back({{"scope", ScopeJson(s.scope)},
                   {"balance", BalanceJson(s.balance)},
                   {"children_budget_minor", s.children_budget_minor},
                   {"parent", s.parent ? nlohmann::json(s.parent->ToString()) : nullptr},
                   {"mode", std::string(ledger::ControlModeName(s.mode))}});
  }
  return out;
}

nlohmann::json ApprovalsJson(const std::vector<ledger::PendingApproval>& approvals) {
  nlohmann::json out = nlohmann::json::array();
  for (const ledger::PendingApproval& a : approvals) {
    out.push_back({{"approval_id", a.approval_id},
                   {"requester", a.requester},
                   {"envelope", ScopeJson(a.envelope)},
                   {"amount_minor", a.amount_minor},
                   {"is_spend", a.is_spend}});
  }
  return out;
}

nlohmann::json EventsJson(const std::vector<ledger::Event>& events) {
  nlohmann::json out = nlohmann::json::array();
  for (const ledger::Event& e : events) {
    out.push_back({{"seq", e.seq},
                   {"time_micros", e.time_micros},
                   {"kind", std::string(ledger::EventKindName(e.kind))},
                   {"actor", e.actor},
                   {"op_id", e.op_id},
                   {"ref_id", e.ref_id},
                   {"scope", ScopeJson(e.scope)},
                   {"to_scope", ScopeJson(e.to_scope)},
                   {"amount_minor", e.amount_minor},
                   {"amount2_minor", e.amount2_minor},
                   {"expiry_micros", e.expiry_micros},
                   {"reason", e.reason},
                   {"args", e.args}});
  }
  return out;
}

}  // namespace upkeep::capi
