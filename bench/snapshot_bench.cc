// Snapshot benchmarks: the state of a ledger after 1,000,000 spends, what the command line's
// import writes when it closes its book and what opening that book reads.
//
//   BM_WriteSnapshot:   Ledger::WriteSnapshot of that state (the bytes and their checksum).
//   BM_RestoreSnapshot: Ledger::Restore from those bytes (nothing journaled after them).
// The book: 10,000 customers with an envelope each in one period, spends of 1.00-100.00 by one
// of 50 account managers in id order ("S0000001", ...), a month apart every 85,000, as the
// import's sample data has them. Counter: snapshot bytes per operation.
//
//   upkeep_bench --benchmark_filter='BM_WriteSnapshot|BM_RestoreSnapshot'
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "upkeep/currency.h"
#include "upkeep/ledger.h"
#include "upkeep/money.h"

namespace upkeep::ledger {
namespace {

constexpr int kCustomers = 10'000;
constexpr int kManagers = 50;
constexpr int kSpends = 1'000'000;
constexpr int kSpendsPerMonth = 85'000;
constexpr size_t kBatch = 1'000;
constexpr int64_t kFirstDayMicros = 1'767'225'600'000'000;  // 2026-01-01
constexpr int64_t kMonthMicros = int64_t{31} * 24 * 3600 * 1'000'000;

void Must(const absl::Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "snapshot_bench: %s\n", std::string(status.message()).c_str());
    std::abort();
  }
}

struct SpentBook {
  Currency cny = Currency::FromCode("CNY").value();
  MemoryJournal journal;
  std::shared_ptr<int64_t> now = std::make_shared<int64_t>(kFirstDayMicros);
  std::unique_ptr<Ledger> ledger;

  SpentBook() {
    ledger =
        Ledger::Create(
            {.currency = cny, .journal = &journal, .clock_micros = [now = now] { return *now; }})
            .value();
    Must(ledger->DefineActor("admin", {"fin", Role::kFinance}));
    std::vector<std::string> managers;
    for (int m = 0; m < kManagers; ++m) {
      managers.push_back(absl::StrCat("am", m));
      Must(ledger->DefineActor("admin", {managers.back(), Role::kAccountManager}));
    }
    Must(ledger->DefineCategory("admin", "fee"));
    Must(ledger->DefineTier("admin", "A"));
    Must(ledger->DefinePeriod("fin",
                              {"FY2026", kFirstDayMicros, kFirstDayMicros + 13 * kMonthMicros}));
    AllocationRequest allocation{
        .op_id = "alloc", .actor = "fin", .period = "FY2026", .category = "fee"};
    std::vector<std::string> customers;
    for (int i = 0; i < kCustomers; ++i) {
      customers.push_back(absl::StrFormat("C%05d", i));
      Must(ledger->DefineCustomer("admin",
                                  {customers.back(), "A", absl::StrCat("am", i % kManagers), ""}));
      allocation.envelopes.push_back({customers.back(), "A", int64_t{1} << 40});
    }
    Must(ledger->ApplyAllocation(allocation));
    std::vector<std::string> ids(kBatch);
    std::vector<Request> batch(kBatch);
    uint64_t random = 0x2545F4914F6CDD1D;
    for (int first = 0; first < kSpends; first += static_cast<int>(kBatch)) {
      *now = kFirstDayMicros + first / kSpendsPerMonth * kMonthMicros;
      for (size_t k = 0; k < kBatch; ++k) {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        const auto customer = static_cast<size_t>(random % kCustomers);
        ids[k] = absl::StrFormat("S%07d", static_cast<size_t>(first) + k + 1);
        batch[k] = {.op_id = ids[k],
                    .actor = managers[customer % kManagers],
                    .period = "FY2026",
                    .customer = customers[customer],
                    .category = "fee",
                    .amount = Money::FromMinor(100 + static_cast<int64_t>(random % 9'900), cny)};
      }
      for (const absl::StatusOr<Result>& result : ledger->SpendBatch(batch)) {
        Must(result.status());
      }
    }
  }
};

SpentBook& TheSpentBook() {
  static SpentBook* book = new SpentBook();
  return *book;
}

void BM_WriteSnapshot(benchmark::State& state) {
  const SpentBook& book = TheSpentBook();
  size_t bytes = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> snapshot = book.ledger->WriteSnapshot();
    Must(snapshot.status());
    bytes = snapshot->size();
  }
  state.counters["bytes_per_op"] = static_cast<double>(bytes) / kSpends;
}
BENCHMARK(BM_WriteSnapshot)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_RestoreSnapshot(benchmark::State& state) {
  SpentBook& book = TheSpentBook();
  const std::string snapshot = book.ledger->WriteSnapshot().value();
  for (auto _ : state) {
    absl::StatusOr<std::unique_ptr<Ledger>> restored =
        Ledger::Restore(snapshot, {.currency = book.cny, .journal = &book.journal});
    Must(restored.status());
    benchmark::DoNotOptimize(restored->get());
    state.PauseTiming();  // what is timed is the loading, not the freeing
    restored->reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_RestoreSnapshot)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace
}  // namespace upkeep::ledger
