// Monitoring benchmarks.
//
//   BM_BudgetReport:      budget-vs-actual by customer over 10,000 customers x 12 monthly
//                         columns from 1,000,000 recorded spends (the facts a Monitor keeps).
//   BM_ReserveWithMonitor: BM_Reserve (ledger_bench.cc) with a Monitor attached and alert rules
//                         on (thresholds, pace, forecast breach, anomaly, under-use), on its own
//                         book of 1,000,000 envelopes: compare with BM_Reserve in the same run.
//
//   upkeep_bench --benchmark_filter='BM_BudgetReport|BM_Reserve'
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "upkeep/ledger.h"
#include "upkeep/monitor.h"

namespace upkeep::monitor {
namespace {

constexpr int kReportCustomers = 10'000;
constexpr int kSpends = 1'000'000;
constexpr int64_t kYearStart = 1'704'067'200'000'000;  // 2024-01-01 UTC
constexpr int64_t kYearMicros = 366 * kMicrosPerDay;

uint64_t Next(uint64_t* x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

// A Monitor fed by hand with the events a ledger would announce.
Monitor& ReportMonitor() {
  static Monitor* monitor = [] {
    auto* m = new Monitor({.currency = Currency::FromCode("CNY").value()});
    m->SetDescriber([](ledger::ScopeId id) -> absl::StatusOr<ledger::ScopeRef> {
      return ledger::ScopeRef{.period = "FY2024",
                              .kind = ledger::ScopeKind::kCustomer,
                              .key = absl::StrCat("c", 100000 + id),
                              .category = "gift"};
    });
    m->OnApplied({.kind = ledger::EventKind::kPeriodDefined,
                  .amount_minor = kYearStart,
                  .amount2_minor = kYearStart + kYearMicros,
                  .args = {"FY2024"}},
                 {});
    std::vector<ledger::Balance> balances(kReportCustomers);
    for (int i = 0; i < kReportCustomers; ++i) {
      m->OnApplied({.kind = ledger::EventKind::kCustomerDefined,
                    .args = {absl::StrCat("c", 100000 + i), absl::StrCat("T", i % 4),
                             absl::StrCat("o", i % 50), absl::StrCat("r", i % 7)}},
                   {});
      balances[static_cast<size_t>(i)].budget_minor = 10'000'000;
      const ledger::ScopeChange change{.scope = static_cast<ledger::ScopeId>(i),
                                       .kind = ledger::ScopeKind::kCustomer,
                                       .balance = balances[static_cast<size_t>(i)]};
      m->OnApplied({.kind = ledger::EventKind::kBudgetSet}, {&change, 1});
    }
    uint64_t x = 88172645463325252ull;
    for (int s = 0; s < kSpends; ++s) {
      const auto i = static_cast<size_t>(Next(&x) % kReportCustomers);
      const auto amount = static_cast<int64_t>(Next(&x) % 10000);
      balances[i].spent_minor += amount;
      const ledger::ScopeChange change{.scope = static_cast<ledger::ScopeId>(i),
                                       .kind = ledger::ScopeKind::kCustomer,
                                       .balance = balances[i]};
      m->OnApplied({.time_micros = kYearStart + static_cast<int64_t>(
                                                    Next(&x) % static_cast<uint64_t>(kYearMicros)),
                    .kind = ledger::EventKind::kSpent},
                   {&change, 1});
    }
    return m;
  }();
  return *monitor;
}

void BM_BudgetReport(benchmark::State& state) {
  Monitor& monitor = ReportMonitor();
  const auto dimension = static_cast<Dimension>(state.range(0));
  for (auto _ : state) {
    monitor.ReadFacts([&](const Facts& facts) {
      absl::StatusOr<BudgetReport> report =
          BudgetVsActual(facts, {.period = "FY2024", .group_by = dimension});
      if (!report.ok() || report->total.actual_minor.size() != 12) {
        state.SkipWithError("report failed");
      }
      benchmark::DoNotOptimize(report);
    });
  }
  state.counters["spends"] = kSpends;
  state.SetLabel(std::string(DimensionName(dimension)));
}
BENCHMARK(BM_BudgetReport)
    ->Arg(static_cast<int>(Dimension::kCustomer))
    ->Arg(static_cast<int>(Dimension::kTier))
    ->Unit(benchmark::kMillisecond);

constexpr int kLedgerCustomers = 1'000'000;

struct AlertBook {
  Currency cny = Currency::FromCode("CNY").value();
  ledger::MemoryJournal journal;
  std::unique_ptr<Monitor> monitor;
  std::unique_ptr<ledger::Ledger> ledger;
  std::vector<std::string> customers;

  AlertBook() {
    const nlohmann::json doc = nlohmann::json::parse(R"({"alerts": [
        {"id": "usage", "type": "threshold", "thresholds_pct": [50, 80, 100]},
        {"id": "pace", "type": "pace", "ahead_pct": 30},
        {"id": "fb", "type": "forecast_breach"},
        {"id": "odd", "type": "anomaly"},
        {"id": "quiet", "type": "under_use", "tiers": ["T0"]}]})");
    monitor = std::make_unique<Monitor>(MonitorOptions{
        .currency = cny,
        .policy = MakeMonitoringFromParams(PolicyParams(doc, "/monitoring"), ForecastRegistry())
                      .value()});
    ledger = ledger::Ledger::Create({.currency = cny, .journal = &journal}).value();
    monitor->Attach(ledger.get());
    Must(ledger->DefineActor("admin", {"fin", ledger::Role::kFinance}));
    Must(ledger->DefineActor("admin", {"mgr", ledger::Role::kManager}));
    Must(ledger->DefineCategory("admin", "gift"));
    Must(ledger->DefinePeriod("fin", {"2025-Q1", 0, INT64_MAX}));
    for (int t = 0; t < 4; ++t) Must(ledger->DefineTier("admin", absl::StrCat("T", t)));
    ledger::AllocationRequest allocation{
        .op_id = "alloc", .actor = "fin", .period = "2025-Q1", .category = "gift"};
    for (int i = 0; i < kLedgerCustomers; ++i) {
      customers.push_back(absl::StrCat("c", 10'000'000 + i));
      const std::string tier = absl::StrCat("T", i % 4);
      Must(ledger->DefineCustomer("admin", {customers.back(), tier, "", ""}));
      allocation.envelopes.push_back({customers.back(), tier, int64_t{1} << 40});
    }
    Must(ledger->ApplyAllocation(allocation));
  }
  static void Must(const absl::Status& status) {
    if (!status.ok()) std::abort();
  }
};

void BM_ReserveWithMonitor(benchmark::State& state) {
  static AlertBook* book = new AlertBook();
  static uint64_t run = 0;
  uint64_t n = (++run) << 40;
  uint64_t random = 0x9E3779B97F4A7C15ull;
  std::string reserve_id, post_id;
  for (auto _ : state) {
    const std::string& customer =
        book->customers[static_cast<size_t>(Next(&random) % kLedgerCustomers)];
    reserve_id = absl::StrCat("r", n);
    post_id = absl::StrCat("p", n);
    ++n;
    absl::StatusOr<ledger::Result> r =
        book->ledger->Reserve({.op_id = reserve_id,
                               .actor = "mgr",
                               .period = "2025-Q1",
                               .customer = customer,
                               .category = "gift",
                               .amount = Money::FromMinor(100, book->cny)});
    absl::Status p =
        book->ledger->Post({.op_id = post_id, .actor = "mgr", .reservation_id = reserve_id});
    if (!r.ok() || r->decision.outcome != ledger::Outcome::kApprove || !p.ok()) {
      state.SkipWithError("reserve or post failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReserveWithMonitor)->UseRealTime();

}  // namespace
}  // namespace upkeep::monitor
