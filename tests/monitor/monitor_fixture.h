// tests/monitor/monitor_fixture.h: a small ledger with a controllable clock and a Monitor.
//
// Periods Q1 = days [0, 100) and Q2 = days [100, 200) (day d = d * kMicrosPerDay). Tiers A, B;
// category gift; customers c1 (A), c2 (B), c3 (A). Q1 gift budgets: c1 1000.00, c2 500.00,
// c3 1000.00; Q2: 100.00 each. Actors fin (finance) and mgr (manager). CNY minor units.
#ifndef UPKEEP_TESTS_MONITOR_MONITOR_FIXTURE_H_
#define UPKEEP_TESTS_MONITOR_MONITOR_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "upkeep/ledger.h"
#include "upkeep/monitor.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::monitor::testing {

inline Currency Cny() { return Currency::FromCode("CNY").value(); }
inline int64_t Day(double d) { return static_cast<int64_t>(d * kMicrosPerDay); }
inline ledger::ScopeRef Env(std::string customer, std::string period = "Q1") {
  return {.period = std::move(period),
          .kind = ledger::ScopeKind::kCustomer,
          .key = std::move(customer),
          .category = "gift"};
}

class Book {
 public:
  explicit Book(MonitoringPolicy policy = {}) : monitor({.currency = Cny(), .policy = policy}) {
    ledger = ledger::Ledger::Create(
                 {.currency = Cny(), .journal = &journal, .clock_micros = [this] { return now; }})
                 .value();
    monitor.Attach(ledger.get());
    Ok(ledger->DefineActor("admin", {"fin", ledger::Role::kFinance}));
    Ok(ledger->DefineActor("admin", {"mgr", ledger::Role::kManager}));
    Ok(ledger->DefineTier("admin", "A"));
    Ok(ledger->DefineTier("admin", "B"));
    Ok(ledger->DefineCategory("admin", "gift"));
    Ok(ledger->DefinePeriod("fin", {"Q1", Day(0), Day(100)}));
    Ok(ledger->DefinePeriod("fin", {"Q2", Day(100), Day(200)}));
    Ok(ledger->DefineCustomer("admin", {"c1", "A", "", "north"}));
    Ok(ledger->DefineCustomer("admin", {"c2", "B", "", "south"}));
    Ok(ledger->DefineCustomer("admin", {"c3", "A", "", "north"}));
    Ok(ledger->ApplyAllocation(
        {.op_id = "a1",
         .actor = "fin",
         .period = "Q1",
         .category = "gift",
         .envelopes = {{"c1", "A", 100000}, {"c2", "B", 50000}, {"c3", "A", 100000}}}));
    Ok(ledger->ApplyAllocation(
        {.op_id = "a2",
         .actor = "fin",
         .period = "Q2",
         .category = "gift",
         .envelopes = {{"c1", "A", 10000}, {"c2", "B", 10000}, {"c3", "A", 10000}}}));
  }
  static void Ok(const absl::Status& status) { ASSERT_TRUE(status.ok()) << status; }
  ledger::Outcome Reserve(std::string id, std::string customer, int64_t minor,
                          std::string period = "Q1") {
    auto r = ledger->Reserve({.op_id = id,
                              .actor = "mgr",
                              .period = period,
                              .customer = customer,
                              .category = "gift",
                              .amount = Money::FromMinor(minor, Cny())});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->decision.outcome : ledger::Outcome::kReject;
  }
  void Spend(std::string id, std::string customer, int64_t minor) {
    auto r = ledger->Spend({.op_id = id,
                            .actor = "mgr",
                            .period = "Q1",
                            .customer = customer,
                            .category = "gift",
                            .amount = Money::FromMinor(minor, Cny())});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->decision.outcome, ledger::Outcome::kApprove) << r->decision.Explain();
  }

  int64_t now = 0;
  ledger::MemoryJournal journal;
  Monitor monitor;
  std::unique_ptr<ledger::Ledger> ledger;
};

// Compiles a "monitoring" section given as JSON text.
inline MonitoringPolicy Policy(const char* json) {
  const nlohmann::json doc = nlohmann::json::parse(json);
  return MakeMonitoringFromParams(PolicyParams(doc, "/monitoring"), ForecastRegistry()).value();
}

}  // namespace upkeep::monitor::testing

#endif  // UPKEEP_TESTS_MONITOR_MONITOR_FIXTURE_H_
