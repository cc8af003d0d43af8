// tests/ledger/ledger_fixture.h: a small ledger for the ledger tests.
//
// Actors: admin (admin), fin (finance), mgr (manager), mgr2 (manager), amy and bob (account
// managers). Tiers A and B; categories gift and visit; period Q1 (and Q2).
// Customers: c1 (A, amy, north), c2 (B, amy, south), c3 (B, bob, north).
// Gift budgets in Q1: c1 1000.00, c2 500.00, c3 500.00; tiers A 1000.00, B 1000.00; company
// 2000.00. All amounts in CNY minor units.
#ifndef UPKEEP_TESTS_LEDGER_LEDGER_FIXTURE_H_
#define UPKEEP_TESTS_LEDGER_LEDGER_FIXTURE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "upkeep/currency.h"
#include "upkeep/ledger.h"
#include "upkeep/money.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::ledger::testing {

inline Currency Cny() { return Currency::FromCode("CNY").value(); }
inline Money Cny(int64_t minor) { return Money::FromMinor(minor, Cny()); }

inline ScopeRef Envelope(std::string customer, std::string category = "gift",
                         std::string period = "Q1") {
  return ScopeRef{.period = std::move(period),
                  .kind = ScopeKind::kCustomer,
                  .key = std::move(customer),
                  .category = std::move(category)};
}
inline ScopeRef TierScope(std::string tier, std::string category = "gift") {
  return ScopeRef{
      .period = "Q1", .kind = ScopeKind::kTier, .key = std::move(tier), .category = category};
}
inline ScopeRef CompanyScope(std::string category = "gift") {
  return ScopeRef{.period = "Q1", .kind = ScopeKind::kCompany, .key = "", .category = category};
}

// Builds the ledger described above into `journal`, with a clock that ticks 1 us per call, or
// that reads `*now` when given.
inline std::unique_ptr<Ledger> MakeLedger(Journal* journal,
                                          std::shared_ptr<const int64_t> now = nullptr) {
  auto tick = std::make_shared<int64_t>(1'700'000'000'000'000);
  std::function<int64_t()> clock = [tick] { return ++*tick; };
  if (now != nullptr) clock = [now] { return *now; };
  auto ledger =
      Ledger::Create({.currency = Cny(), .journal = journal, .clock_micros = std::move(clock)})
          .value();
  const auto ok = [](const absl::Status& status) { EXPECT_TRUE(status.ok()) << status; };
  ok(ledger->DefineActor("admin", {"fin", Role::kFinance}));
  ok(ledger->DefineActor("admin", {"mgr", Role::kManager}));
  ok(ledger->DefineActor("admin", {"mgr2", Role::kManager}));
  ok(ledger->DefineActor("admin", {"amy", Role::kAccountManager}));
  ok(ledger->DefineActor("admin", {"bob", Role::kAccountManager}));
  ok(ledger->DefineTier("admin", "A"));
  ok(ledger->DefineTier("admin", "B"));
  ok(ledger->DefineCategory("admin", "gift"));
  ok(ledger->DefineCategory("admin", "visit"));
  ok(ledger->DefinePeriod("fin", {"Q1", 1'000, 2'000'000'000'000'000}));
  ok(ledger->DefinePeriod("fin", {"Q2", 2'000'000'000'000'000, 3'000'000'000'000'000}));
  ok(ledger->DefineCustomer("admin", {"c1", "A", "amy", "north"}));
  ok(ledger->DefineCustomer("admin", {"c2", "B", "amy", "south"}));
  ok(ledger->DefineCustomer("admin", {"c3", "B", "bob", "north"}));
  ok(ledger->ApplyAllocation(
      {.op_id = "alloc-gift",
       .actor = "fin",
       .period = "Q1",
       .category = "gift",
       .envelopes = {{"c1", "A", 100000}, {"c2", "B", 50000}, {"c3", "", 50000}},
       .reason = "Q1 gifts"}));
  return ledger;
}

// A reserve (or spend) request for the fixture.
inline Request Ask(std::string_view op_id, std::string_view customer, int64_t amount_minor,
                   std::string_view actor = "mgr", std::string_view category = "gift") {
  return Request{.op_id = op_id,
                 .actor = actor,
                 .period = "Q1",
                 .customer = customer,
                 .category = category,
                 .amount = Cny(amount_minor)};
}

// The times of the journal's events from `from_seq` on.
inline std::vector<int64_t> EventTimes(const MemoryJournal& journal, uint64_t from_seq) {
  std::vector<int64_t> times;
  const absl::Status read = journal.ForEach(from_seq, [&](const Event& event) {
    times.push_back(event.time_micros);
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
  return times;
}

inline Balance BalanceOf(const Ledger& ledger, const ScopeRef& scope) {
  absl::StatusOr<Balance> balance = ledger.GetBalance(scope);
  EXPECT_TRUE(balance.ok()) << balance.status();
  return balance.value_or(Balance{});
}

// Checks, for every scope: available = budget - reserved - spent, parent budget >= the sum of
// its children's budgets, and no scope under hard control below zero. Returns failures as text.
// Also: a tree parent's reserved and spent are the sums of its children's.
inline std::string InvariantViolations(const Ledger& ledger) {
  std::string out;
  const std::vector<ScopeSnapshot> scopes = ledger.Scopes();
  std::map<std::string, std::array<int64_t, 3>> sums;  // parent -> budget, reserved, spent
  for (const ScopeSnapshot& s : scopes) {
    if (!s.parent.has_value()) continue;
    auto& sum = sums[s.parent->ToString()];
    sum[0] += s.balance.budget_minor;
    sum[1] += s.balance.reserved_minor;
    sum[2] += s.balance.spent_minor;
  }
  for (const ScopeSnapshot& s : scopes) {
    auto it = sums.find(s.scope.ToString());
    if (it != sums.end()) {
      if (it->second[0] != s.children_budget_minor) {
        out += s.scope.ToString() + ": children_budget is not the sum of the children\n";
      }
      if (it->second[1] != s.balance.reserved_minor || it->second[2] != s.balance.spent_minor) {
        out += s.scope.ToString() + ": reserved or spent differ from the children's sums\n";
      }
    }
    const Balance& b = s.balance;
    if (b.available_minor != b.budget_minor - b.reserved_minor - b.spent_minor) {
      out += s.scope.ToString() + ": available is not budget - reserved - spent\n";
    }
    if (s.children_budget_minor > b.budget_minor) {
      out += s.scope.ToString() + ": children hold more than the budget\n";
    }
    if (b.reserved_minor < 0 || b.spent_minor < 0) {
      out += s.scope.ToString() + ": negative reserved or spent\n";
    }
    if (s.mode == ControlMode::kBlock && b.available_minor < 0) {
      out += s.scope.ToString() + ": hard-controlled scope below zero\n";
    }
  }
  return out;
}

// Replays `journal` into a new ledger and returns its state dump.
inline std::string ReplayedDump(const Journal& journal) {
  MemoryJournal copy;
  absl::StatusOr<std::unique_ptr<Ledger>> replayed =
      Ledger::Replay(journal, {.currency = Cny(), .journal = &copy});
  EXPECT_TRUE(replayed.ok()) << replayed.status();
  return replayed.ok() ? (*replayed)->DumpState() : std::string();
}

}  // namespace upkeep::ledger::testing

#endif  // UPKEEP_TESTS_LEDGER_LEDGER_FIXTURE_H_
