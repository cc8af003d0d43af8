// The differential corpus (capi/tests/data/differential.json) through the C++ engine directly.
//
//   upkeep_differential_cxx <corpus.json> <source dir>   # canonical JSON on stdout
//
// The same corpus runs through the C API from Python (differential.py) and from C#
// (bindings/csharp/tests/Differential.cs); check_differential.cmake requires the three outputs
// to be byte-identical. Canonical JSON: keys sorted, no spaces, UTF-8 as is, integers only.
//   {"allocation": [{"name", "status"? | "summary", "tiers", "customers"}],
//    "ledger": {"operations": [{"op", "id", "status", decision fields | "count"}],
//               "reservations": {op id: {...}}, "scopes": [...], "pending": [...]}}
// A decision is {"outcome", "replayed", "reasons": [{"rule_id", "outcome", "scope",
// "requested_minor", "shortfall_minor", "available_minor", "message", "remedy"}]}; a scope is
// {"period", "kind", "key", "category"}; a failed call is only its status name.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/currency.h"
#include "upkeep/io/portfolio_csv.h"
#include "upkeep/ledger.h"
#include "upkeep/money.h"
#include "upkeep/plan.h"
#include "upkeep/policy.h"
#include "upkeep/policy_params.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

using nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename T>
T Must(absl::StatusOr<T> value) {
  if (!value.ok()) throw std::runtime_error(value.status().ToString());
  return *std::move(value);
}

void Must(const absl::Status& status) {
  if (!status.ok()) throw std::runtime_error(status.ToString());
}

std::string StatusName(const absl::Status& status) {
  return std::string(ErrorCodeName(ErrorCodeOf(status)));
}

json PlanCase(const json& c, const std::string& root) {
  const std::string document = c.contains("policy_file")
                                   ? ReadFile(root + "/" + c["policy_file"].get<std::string>())
                                   : c["policy"].dump();
  std::shared_ptr<const PolicySet> policy = Must(PolicySet::Compile(document));
  const Currency currency = policy->currency();
  io::PortfolioImport imported =
      Must(io::ParsePortfolioCsv(ReadFile(root + "/" + c["portfolio_csv"].get<std::string>()),
                                 currency, io::ImportMode::kStrict, "portfolio.csv"));
  PlanOptions options;
  if (c.contains("pool_minor")) options.pool = Money::FromMinor(c["pool_minor"], currency);
  json out = {{"name", c["name"]}};
  absl::StatusOr<PeriodPlan> plan = PlanPeriod(*policy, imported.portfolio, options);
  if (!plan.ok()) {
    out["status"] = StatusName(plan.status());
    return out;
  }
  const Allocation& a = plan->allocation;
  const Classification& k = plan->classification;
  int64_t allocated_minor = 0;
  for (int64_t amount : a.amount_minor) allocated_minor += amount;
  out["summary"] = {{"customer_count", a.size()},       {"tier_count", a.tier_names.size()},
                    {"pool_minor", a.pool_minor},       {"allocated_minor", allocated_minor},
                    {"reserve_minor", a.reserve_minor}, {"unallocated_minor", a.unallocated_minor}};
  json tiers = json::array();
  const std::vector<TierSummary> summaries = SummarizeByTier(*plan);
  for (size_t t = 0; t < summaries.size(); ++t) {
    tiers.push_back({{"name", summaries[t].tier},
                     {"customers", summaries[t].customers},
                     {"amount_minor", summaries[t].amount_minor},
                     {"smallest_minor", summaries[t].smallest_minor},
                     {"largest_minor", summaries[t].largest_minor},
                     {"flags", t < a.tier_flags.size() ? a.tier_flags[t] : 0u},
                     {"bound_minor", t < a.tier_bound_minor.size() ? a.tier_bound_minor[t] : 0}});
  }
  out["tiers"] = tiers;
  json customers = json::array();
  for (size_t i = 0; i < a.size(); ++i) {
    customers.push_back({{"id", imported.portfolio.customer(i).id},
                         {"tier", k.tier[i]},
                         {"rule_tier", k.rule_tier[i]},
                         {"tier_reason", static_cast<int>(k.reason[i])},
                         {"amount_minor", a.amount_minor[i]},
                         {"base_minor", a.base_minor[i]},
                         {"weight", a.weight[i]},
                         {"bound_minor", a.bound_minor[i]},
                         {"step", a.step[i]},
                         {"flags", a.flags[i]}});
  }
  out["customers"] = customers;
  return out;
}

json ScopeOf(const ledger::ScopeRef& s) {
  return {{"period", s.period},
          {"kind", std::string(ledger::ScopeKindName(s.kind))},
          {"key", s.key},
          {"category", s.category}};
}

json DecisionOf(const ledger::Decision& d, bool replayed) {
  json reasons = json::array();
  for (const ledger::Reason& r : d.reasons) {
    reasons.push_back({{"rule_id", r.rule_id},
                       {"outcome", std::string(ledger::OutcomeName(r.outcome))},
                       {"scope", ScopeOf(r.scope)},
                       {"requested_minor", r.requested_minor},
                       {"shortfall_minor", r.shortfall_minor},
                       {"available_minor", r.balance.available_minor},
                       {"message", r.message},
                       {"remedy", r.remedy}});
  }
  return {{"outcome", std::string(ledger::OutcomeName(d.outcome))},
          {"replayed", replayed},
          {"reasons", reasons}};
}

ledger::Role RoleNamed(const std::string& name) {
  for (int r = 0; r <= static_cast<int>(ledger::Role::kAdmin); ++r) {
    if (ledger::RoleName(static_cast<ledger::Role>(r)) == name) return static_cast<ledger::Role>(r);
  }
  throw std::runtime_error("unknown role " + name);
}

// One operation; fills `entry` with its answer, or returns the failure.
absl::Status Operation(ledger::Ledger& l, const json& s, const std::string& period,
                       const std::string& category, Currency currency, json* entry) {
  const std::string op = s["op"], actor = s.value("actor", ""), id = s.value("id", "");
  const std::string target = s.value("target", ""), reason = s.value("reason", "");
  std::optional<Money> amount;
  if (s.contains("amount_minor")) amount = Money::FromMinor(s["amount_minor"], currency);
  if (op == "reserve" || op == "spend" || op == "check") {
    const std::string customer = s["customer"];
    const ledger::Request r{.op_id = id,
                            .actor = actor,
                            .period = period,
                            .customer = customer,
                            .category = category,
                            .amount = *amount,
                            .expiry_micros = s.value("expiry_micros", int64_t{0}),
                            .reason = reason,
                            .explain = s.value("explain", false)};
    absl::StatusOr<ledger::Result> result = op == "reserve" ? l.Reserve(r)
                                            : op == "spend"
                                                ? l.Spend(r)
                                                : l.Check(r, s.value("as_spend", false));
    if (!result.ok()) return result.status();
    entry->update(DecisionOf(result->decision, result->replayed));
    return absl::OkStatus();
  }
  if (op == "approve") {
    absl::StatusOr<ledger::Decision> d =
        l.Approve({.actor = actor, .approval_id = id, .reason = reason});
    if (!d.ok()) return d.status();
    entry->update(DecisionOf(*d, false));
    return absl::OkStatus();
  }
  if (op == "expire") {
    absl::StatusOr<int64_t> count = l.Expire(actor, s["now_micros"]);
    if (!count.ok()) return count.status();
    (*entry)["count"] = *count;
    return absl::OkStatus();
  }
  if (op == "post") {
    return l.Post({.op_id = id,
                   .actor = actor,
                   .reservation_id = target,
                   .amount = amount,
                   .reason = reason});
  }
  if (op == "void") {
    return l.Void({.op_id = id, .actor = actor, .reservation_id = target, .reason = reason});
  }
  if (op == "refund") {
    return l.Refund({.op_id = id,
                     .actor = actor,
                     .target_id = target,
                     .amount = amount,
                     .return_to_budget = std::nullopt,
                     .reason = reason});
  }
  if (op == "reject_approval") {
    return l.RejectApproval({.actor = actor, .approval_id = id, .reason = reason});
  }
  if (op == "withdraw_approval") {
    return l.WithdrawApproval({.actor = actor, .approval_id = id, .reason = reason});
  }
  if (op == "close_period") return l.ClosePeriod(actor, period);
  throw std::runtime_error("unknown op " + op);
}

json LedgerCase(const json& spec) {
  const Currency currency = Must(Currency::FromCode(spec["currency"].get<std::string>()));
  ledger::MemoryJournal journal;
  std::unique_ptr<ledger::Ledger> l = Must(ledger::Ledger::Create(
      {.currency = currency, .journal = &journal, .clock_micros = [] { return int64_t{1}; }}));
  const std::string period = spec["period"], category = spec["category"];
  Must(l->DefineCategory("admin", category));
  Must(l->DefinePeriod("admin", {period, 0, spec["period_end_micros"]}));
  for (const json& tier : spec["tiers"]) Must(l->DefineTier("admin", tier.get<std::string>()));
  for (const json& a : spec["actors"]) {
    Must(l->DefineActor("admin", {.id = a[0], .role = RoleNamed(a[1])}));
  }
  std::map<std::string, std::string> tier_of;
  for (const json& c : spec["customers"]) {
    Must(l->DefineCustomer("admin", {.id = c[0], .tier = c[1], .owner = c[2], .region = c[3]}));
    tier_of[c[0]] = c[1];
  }
  std::vector<ledger::EnvelopeBudget> envelopes;
  for (const json& e : spec["envelopes"]) envelopes.push_back({e[0], tier_of[e[0]], e[1]});
  Must(l->ApplyAllocation({.op_id = "budget",
                           .actor = "admin",
                           .period = period,
                           .category = category,
                           .envelopes = std::move(envelopes)}));
  const ledger::ControlPolicyRegistry no_custom;
  Must(l->SetPolicies("admin", Must(ledger::ParseControlPolicies(PolicyParams(spec["control"], ""),
                                                                 currency, no_custom))));
  json operations = json::array();
  for (const json& s : spec["operations"]) {
    json entry = {{"op", s["op"]}, {"id", s.value("id", "")}};
    const absl::Status status = Operation(*l, s, period, category, currency, &entry);
    entry["status"] = status.ok() ? "ok" : StatusName(status);
    operations.push_back(entry);
  }
  constexpr const char* kStatuses[] = {"open", "posted", "voided", "expired", "pending"};
  json reservations = json::object();
  for (const json& s : spec["operations"]) {
    if (s["op"] != "reserve" && s["op"] != "spend") continue;
    absl::StatusOr<ledger::ReservationInfo> r = l->GetReservation(s["id"].get<std::string>());
    reservations[s["id"].get<std::string>()] =
        r.ok() ? json{{"status", kStatuses[static_cast<int>(r->status)]},
                      {"amount_minor", r->amount_minor},
                      {"posted_minor", r->posted_minor},
                      {"refunded_minor", r->refunded_minor}}
               : json{{"status", StatusName(r.status())}};
  }
  json scopes = json::array();
  for (const ledger::ScopeSnapshot& s : l->Scopes()) {
    scopes.push_back({{"scope", ScopeOf(s.scope)},
                      {"mode", std::string(ledger::ControlModeName(s.mode))},
                      {"children_budget_minor", s.children_budget_minor},
                      {"budget_minor", s.balance.budget_minor},
                      {"reserved_minor", s.balance.reserved_minor},
                      {"spent_minor", s.balance.spent_minor},
                      {"available_minor", s.balance.available_minor}});
  }
  json pending = json::array();
  for (const ledger::PendingApproval& a : l->PendingApprovals()) {
    pending.push_back({{"approval_id", a.approval_id},
                       {"requester", a.requester},
                       {"envelope", ScopeOf(a.envelope)},
                       {"amount_minor", a.amount_minor},
                       {"is_spend", a.is_spend}});
  }
  return {{"operations", operations},
          {"reservations", reservations},
          {"scopes", scopes},
          {"pending", pending}};
}

}  // namespace
}  // namespace upkeep

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: upkeep_differential_cxx <corpus.json> <source dir>\n";
    return 2;
  }
  try {
    const nlohmann::json corpus = nlohmann::json::parse(upkeep::ReadFile(argv[1]));
    nlohmann::json allocation = nlohmann::json::array();
    for (const nlohmann::json& c : corpus["allocation"]) {
      allocation.push_back(upkeep::PlanCase(c, argv[2]));
    }
    const nlohmann::json out = {{"allocation", allocation},
                                {"ledger", upkeep::LedgerCase(corpus["ledger"])}};
    std::cout << out.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "differential: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
