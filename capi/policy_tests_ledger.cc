// capi/policy_tests_ledger.cc: a ledger case: set up budgets, send requests, compare decisions.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "capi/policy_tests.h"
#include "upkeep/ledger.h"

namespace upkeep::capi {
namespace {

constexpr int64_t kPeriodEndMicros = int64_t{4102444800} * 1000000;  // 2100-01-01

std::optional<ledger::Role> RoleOf(const std::string& name) {
  for (auto role : {ledger::Role::kAccountManager, ledger::Role::kManager, ledger::Role::kFinance,
                    ledger::Role::kAdmin}) {
    if (ledger::RoleName(role) == name) return role;
  }
  return std::nullopt;
}

// The ledger a case describes: its category, period, actors, tiers, customers and budgets.
absl::Status SetUp(ledger::Ledger& l, const nlohmann::json& setup, Currency currency,
                   std::vector<std::string>* failures) {
  const std::string period = setup.value("period", "P1");
  const std::string category = setup.value("category", "default");
  absl::Status s = l.DefineCategory("admin", category);
  if (s.ok()) s = l.DefinePeriod("admin", {period, 0, kPeriodEndMicros});
  for (const nlohmann::json& actor : setup.value("actors", nlohmann::json::array())) {
    std::optional<ledger::Role> role = RoleOf(actor.value("role", ""));
    if (!role) return MakeError(ErrorCode::kInvalidArgument, "ledger/actors: unknown role");
    if (s.ok()) s = l.DefineActor("admin", {actor.value("id", ""), *role});
  }
  std::vector<ledger::EnvelopeBudget> envelopes;
  std::vector<std::string> tiers;
  for (const nlohmann::json& c : setup.value("customers", nlohmann::json::array())) {
    const std::string tier = c.value("tier", "");
    if (std::find(tiers.begin(), tiers.end(), tier) == tiers.end()) {
      tiers.push_back(tier);
      if (s.ok()) s = l.DefineTier("admin", tier);
    }
    const std::string id = c.value("id", "");
    if (s.ok()) {
      s = l.DefineCustomer("admin", {id, tier, c.value("owner", ""), c.value("region", "")});
    }
    std::optional<int64_t> budget = ParseAmount(c.value("budget", nlohmann::json("0")), currency,
                                                "ledger/customers/" + id + "/budget", failures);
    if (!budget) return MakeError(ErrorCode::kInvalidArgument, "bad budget");
    envelopes.push_back({id, tier, *budget});
  }
  if (s.ok()) {
    s = l.ApplyAllocation({.op_id = "setup-budgets",
                           .actor = "admin",
                           .period = period,
                           .category = category,
                           .envelopes = std::move(envelopes),
                           .reason = "policy test setup"});
  }
  return s;
}

void RunRequest(ledger::Ledger& l, const nlohmann::json& setup, const nlohmann::json& r,
                size_t index, std::vector<std::string>* failures) {
  const std::string what = absl::StrCat("requests[", index, "] (", r.value("id", ""), ")");
  const nlohmann::json expect = r.value("expect", nlohmann::json::object());
  const std::string op = r.value("op", "reserve");
  std::optional<int64_t> amount =
      ParseAmount(r.value("amount", nlohmann::json("0")), l.currency(), what + "/amount", failures);
  if (!amount) return;
  const std::string id = r.value("id", absl::StrCat("request-", index));
  const std::string actor = r.value("actor", "admin");
  const std::string period = setup.value("period", "P1");
  const std::string customer = r.value("customer", "");
  const std::string category = r.value("category", setup.value("category", "default"));
  const ledger::Request request{.op_id = id,
                                .actor = actor,
                                .period = period,
                                .customer = customer,
                                .category = category,
                                .amount = Money::FromMinor(*amount, l.currency()),
                                .explain = true};
  if (op != "reserve" && op != "spend" && op != "check" && op != "check_spend") {
    failures->push_back(absl::StrCat(what, ": unknown op \"", op, "\""));
    return;
  }
  absl::StatusOr<ledger::Result> result = op == "spend"   ? l.Spend(request)
                                          : op == "check" ? l.Check(request)
                                          : op == "check_spend"
                                              ? l.Check(request, /*as_spend=*/true)
                                              : l.Reserve(request);
  if (!ExpectStatus(result.status(), expect, what, failures)) return;
  const ledger::Decision& d = result->decision;
  if (expect.contains("outcome") &&
      std::string(ledger::OutcomeName(d.outcome)) != expect["outcome"].get<std::string>()) {
    failures->push_back(absl::StrCat(what, ": expected ", expect["outcome"].get<std::string>(),
                                     ", got ", d.Explain()));
  }
  if (expect.contains("reasons")) {
    std::vector<std::string> want = expect["reasons"].get<std::vector<std::string>>();
    std::vector<std::string> got;
    for (const ledger::Reason& reason : d.reasons) {
      if (reason.outcome != ledger::Outcome::kApprove) got.push_back(reason.rule_id);
    }
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    got.erase(std::unique(got.begin(), got.end()), got.end());
    if (want != got) {
      failures->push_back(absl::StrCat(what, ": expected reasons [", absl::StrJoin(want, ", "),
                                       "], got [", absl::StrJoin(got, ", "), "]"));
    }
  }
}

}  // namespace

void RunLedgerCase(const nlohmann::json& control, const nlohmann::json& test_case,
                   const CaseContext& context, std::vector<std::string>* failures) {
  const nlohmann::json& setup = test_case["ledger"];
  if (!setup.is_object()) {
    failures->push_back("ledger: must be an object");
    return;
  }
  absl::StatusOr<Currency> currency = Currency::FromCode(setup.value("currency", "CNY"));
  if (!currency.ok()) {
    failures->push_back(absl::StrCat("ledger/currency: ", currency.status().message()));
    return;
  }
  ledger::MemoryJournal journal;
  absl::StatusOr<std::unique_ptr<ledger::Ledger>> l = ledger::Ledger::Create(
      {.currency = *currency, .journal = &journal, .clock_micros = [] { return int64_t{1}; }});
  absl::Status status = l.ok() ? SetUp(**l, setup, *currency, failures) : l.status();
  absl::StatusOr<ledger::ControlPolicySet> policies =
      ledger::ParseControlPolicies(PolicyParams(control, "/control"), *currency, *context.controls);
  if (status.ok()) status = policies.status();
  if (status.ok()) status = (*l)->SetPolicies("admin", *std::move(policies));
  if (!status.ok()) {
    failures->push_back(absl::StrCat("setup: ", status.message()));
    return;
  }
  const nlohmann::json requests = test_case.value("requests", nlohmann::json::array());
  for (size_t i = 0; i < requests.size(); ++i) RunRequest(**l, setup, requests[i], i, failures);
}

}  // namespace upkeep::capi
