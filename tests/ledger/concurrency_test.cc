// Many threads: 8 threads of random reserve / post / void / spend (and checks, retries and
// reads) against small budgets. Afterwards: no scope below zero, parents are the sums of their
// children, the totals are exactly what the threads were told, and replay gives the same state.
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ledger_fixture.h"

namespace upkeep::ledger::testing {
namespace {

struct Totals {
  int64_t spent_minor = 0;
  int64_t reserved_minor = 0;  // still open at the end
  int64_t approved = 0;
  int64_t rejected = 0;
};

void Worker(Ledger* ledger, int thread, int operations, Totals* totals) {
  std::mt19937_64 random(static_cast<uint64_t>(thread) * 7919 + 1);
  const char* const customers[] = {"c1", "c2", "c3"};
  std::vector<std::pair<std::string, int64_t>> open;  // reservation id, amount
  for (int i = 0; i < operations; ++i) {
    const std::string id = "t" + std::to_string(thread) + "-" + std::to_string(i);
    const char* customer = customers[random() % 3];
    const int64_t amount = static_cast<int64_t>(random() % 3000) + 1;
    switch (random() % 5) {
      case 0:
      case 1: {
        absl::StatusOr<Result> r = ledger->Reserve(Ask(id, customer, amount));
        ASSERT_TRUE(r.ok()) << r.status();
        if (r->decision.outcome == Outcome::kApprove) {
          open.emplace_back(id, amount);
          ++totals->approved;
          // A retry, as a client would after a timeout, changes nothing.
          absl::StatusOr<Result> again = ledger->Reserve(Ask(id, customer, amount));
          ASSERT_TRUE(again.ok() && again->replayed);
        } else {
          ++totals->rejected;
        }
        break;
      }
      case 2: {
        absl::StatusOr<Result> r = ledger->Spend(Ask(id, customer, amount));
        ASSERT_TRUE(r.ok()) << r.status();
        if (r->decision.outcome == Outcome::kApprove) {
          totals->spent_minor += amount;
          ++totals->approved;
        } else {
          ++totals->rejected;
        }
        break;
      }
      case 3: {
        if (open.empty()) break;
        const auto [reservation, held] = open.back();
        open.pop_back();
        const int64_t posted = static_cast<int64_t>(random() % static_cast<uint64_t>(held)) + 1;
        ASSERT_TRUE(ledger
                        ->Post({.op_id = id,
                                .actor = "mgr",
                                .reservation_id = reservation,
                                .amount = Cny(posted)})
                        .ok());
        totals->spent_minor += posted;
        break;
      }
      default: {
        if (open.empty()) {
          ASSERT_TRUE(ledger->Check(Ask(id, customer, amount)).ok());
          break;
        }
        const std::string reservation = open.front().first;
        open.erase(open.begin());
        ASSERT_TRUE(
            ledger->Void({.op_id = id, .actor = "mgr", .reservation_id = reservation}).ok());
        break;
      }
    }
  }
  for (const auto& [reservation, held] : open) totals->reserved_minor += held;
}

TEST(LedgerConcurrencyTest, EightThreadsKeepExactTotalsAndNeverGoBelowZero) {
  MemoryJournal journal;
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
  constexpr int kThreads = 8;
  constexpr int kOperations = 1500;
  std::vector<Totals> totals(kThreads);
  std::vector<std::thread> threads;
  std::atomic<bool> reading{true};
  std::thread reader([&] {
    while (reading.load()) {
      const Balance b = BalanceOf(*ledger, CompanyScope());
      ASSERT_GE(b.available_minor, 0);
      ASSERT_EQ(b.available_minor, b.budget_minor - b.reserved_minor - b.spent_minor);
    }
  });
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back(Worker, ledger.get(), t, kOperations, &totals[static_cast<size_t>(t)]);
  }
  for (std::thread& thread : threads) thread.join();
  reading = false;
  reader.join();

  Totals sum;
  for (const Totals& t : totals) {
    sum.spent_minor += t.spent_minor;
    sum.reserved_minor += t.reserved_minor;
    sum.approved += t.approved;
    sum.rejected += t.rejected;
  }
  const Balance company = BalanceOf(*ledger, CompanyScope());
  EXPECT_EQ(company.spent_minor, sum.spent_minor);
  EXPECT_EQ(company.reserved_minor, sum.reserved_minor);
  EXPECT_GT(sum.rejected, 0);  // the budgets were small enough to run out
  EXPECT_GT(sum.approved, 0);
  EXPECT_EQ(InvariantViolations(*ledger), "");
  for (const ScopeSnapshot& s : ledger->Scopes()) {
    EXPECT_GE(s.balance.available_minor, 0) << s.scope.ToString();
  }
  EXPECT_EQ(ReplayedDump(journal), ledger->DumpState());
}

// A long check batch takes the shared lock in turns: a spend from another thread goes ahead in
// the middle of it instead of waiting for the whole batch, and the checks after it see it. Each
// check asks for all that c1's envelope has, so the answers turn from approve to something else
// where the spend landed; with the lock held for the whole batch they could only all be the
// same. (On a busy machine the spend may land before the batch takes the lock or after it
// ends: several attempts.)
TEST(LedgerConcurrencyTest, ASpendGoesAheadInTheMiddleOfALongCheckBatch) {
  constexpr size_t kChecks = 64 * 1024;  // about ten milliseconds: 64 turns
  constexpr int kAttempts = 20;
  bool landed_in_the_middle = false;
  for (int attempt = 0; attempt < kAttempts && !landed_in_the_middle; ++attempt) {
    MemoryJournal journal;
    std::unique_ptr<Ledger> ledger = MakeLedger(&journal);
    const int64_t available_minor = BalanceOf(*ledger, Envelope("c1")).available_minor;
    const std::vector<Request> checks(kChecks, Ask("k", "c1", available_minor));
    std::atomic<bool> started{false};
    std::vector<absl::StatusOr<Result>> results;
    std::thread checker([&] {
      started = true;
      results = ledger->CheckBatch(checks, /*as_spend=*/true);
    });
    while (!started.load()) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    const absl::StatusOr<Result> spent = ledger->Spend(Ask("s", "c1", 1));
    checker.join();
    ASSERT_TRUE(spent.ok()) << spent.status();
    ASSERT_EQ(spent->decision.outcome, Outcome::kApprove);
    ASSERT_EQ(results.size(), kChecks);
    size_t approved = 0;  // the answers before the spend landed
    while (approved < kChecks && results[approved].ok() &&
           results[approved]->decision.outcome == Outcome::kApprove) {
      ++approved;
    }
    for (size_t i = approved; i < kChecks; ++i) {  // after it: none fits
      ASSERT_TRUE(results[i].ok()) << results[i].status();
      ASSERT_NE(results[i]->decision.outcome, Outcome::kApprove) << i;
    }
    landed_in_the_middle = approved > 0 && approved < kChecks;
  }
  EXPECT_TRUE(landed_in_the_middle);
}

}  // namespace
}  // namespace upkeep::ledger::testing
