// A durable book under many threads: 4 threads reserve, post and spend on a group-commit SQLite
// book, each acknowledging its own operations in batches (StartCommit, then AwaitDurable of the
// batch before), while the book's background thread takes a snapshot every few hundred events
// and a fifth thread takes snapshots on demand. Afterwards every acknowledged operation is in
// the reopened book, the totals are exactly what the threads were told, and the journal's chain
// verifies.
#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/book_fixture.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::store::testing {
namespace {

using ledger::Balance;
using ledger::Outcome;
using ledger::Result;
using ledger::testing::Ask;
using ledger::testing::CompanyScope;
using ::upkeep::testing::IsOk;

constexpr int kWriters = 4;
constexpr int kOperationsPerWriter = 600;
constexpr int kOperationsPerBatch = 25;

// An approved reserve or spend, as it was sent.
struct Sent {
  std::string op_id;
  std::string customer;
  int64_t amount_minor = 0;
  bool spend = false;
};

struct Acknowledged {
  int64_t spent_minor = 0;
  std::vector<Sent> approved;  // durable when the writer ended
};

absl::StatusOr<Result> Send(ledger::Ledger& ledger, const Sent& sent) {
  const ledger::Request request = Ask(sent.op_id, sent.customer, sent.amount_minor);
  return sent.spend ? ledger.Spend(request) : ledger.Reserve(request);
}

// Reserves, posts what it reserved, and spends; after every kOperationsPerBatch operations it
// ends its batch and waits for the batch before (a pipelined host).
void Writer(Book* book, int writer, Acknowledged* acknowledged) {
  std::mt19937_64 random(static_cast<uint64_t>(writer) * 104729 + 7);
  const char* const customers[] = {"c1", "c2", "c3"};
  std::vector<std::pair<std::string, int64_t>> open;  // reservation id, amount
  uint64_t previous_ticket = 0;
  for (int i = 0; i < kOperationsPerWriter; ++i) {
    const std::string id = "w" + std::to_string(writer) + "-" + std::to_string(i);
    const int64_t amount = static_cast<int64_t>(random() % 2000) + 1;
    const char* customer = customers[random() % 3];
    if (!open.empty() && random() % 3 == 0) {
      const auto [reservation, held] = open.back();
      open.pop_back();
      ASSERT_THAT(book->ledger().Post({.op_id = id, .actor = "mgr", .reservation_id = reservation}),
                  IsOk());
      acknowledged->spent_minor += held;
    } else {
      const Sent sent{
          .op_id = id, .customer = customer, .amount_minor = amount, .spend = random() % 2 == 0};
      absl::StatusOr<Result> r = Send(book->ledger(), sent);
      ASSERT_THAT(r, IsOk());
      if (r->decision.outcome == Outcome::kApprove) {
        acknowledged->approved.push_back(sent);
        if (sent.spend) {
          acknowledged->spent_minor += amount;
        } else {
          open.emplace_back(id, amount);
        }
      }
    }
    if ((i + 1) % kOperationsPerBatch == 0) {
      const uint64_t ticket = book->StartCommit();
      ASSERT_THAT(book->AwaitDurable(previous_ticket), IsOk());
      previous_ticket = ticket;
    }
  }
  // The reservations still open at the end are voided: every approved reserve ends settled.
  for (const auto& [reservation, held] : open) {
    ASSERT_THAT(
        book->ledger().Void(
            {.op_id = reservation + "-void", .actor = "mgr", .reservation_id = reservation}),
        IsOk());
  }
  ASSERT_THAT(book->AwaitDurable(book->StartCommit()), IsOk());
}

TEST(BookConcurrencyTest, WritersAndSnapshotsTogetherLoseNothing) {
  TempDir dir;
  const std::string path = dir.File("book.db");
  std::string state_before;
  uint64_t entries_before = 0;
  std::vector<Acknowledged> acknowledged(kWriters);
  {
    std::unique_ptr<Book> book =
        Book::Open(path, Options(Durability::kGroupCommit, /*snapshot_every_events=*/300)).value();
    Populate(book->ledger());
    std::atomic<bool> writing{true};
    std::thread snapshots([&] {
      while (writing.load()) ASSERT_THAT(book->Snapshot().status(), IsOk());
    });
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back(Writer, book.get(), w, &acknowledged[static_cast<size_t>(w)]);
    }
    for (std::thread& writer : writers) writer.join();
    writing = false;
    snapshots.join();

    int64_t spent_minor = 0;
    for (const Acknowledged& a : acknowledged) spent_minor += a.spent_minor;
    const Balance company = ledger::testing::BalanceOf(book->ledger(), CompanyScope());
    EXPECT_EQ(company.spent_minor, spent_minor);
    EXPECT_EQ(company.reserved_minor, 0);
    EXPECT_GT(spent_minor, 0);
    EXPECT_GE(company.available_minor, 0);
    state_before = book->ledger().DumpState();
    entries_before = book->store().size();
    ASSERT_THAT(book->Close(), IsOk());
  }
  std::unique_ptr<Book> reopened = Book::Open(path, Options(Durability::kGroupCommit)).value();
  EXPECT_EQ(reopened->store().size(), entries_before);
  EXPECT_EQ(reopened->ledger().DumpState(), state_before);
  EXPECT_THAT(reopened->Verify(), IsOk());
  // Each acknowledged operation is there: retrying it replays its first result.
  size_t retried = 0;
  for (const Acknowledged& a : acknowledged) {
    for (const Sent& sent : a.approved) {
      absl::StatusOr<Result> again = Send(reopened->ledger(), sent);
      ASSERT_THAT(again, IsOk()) << sent.op_id;
      EXPECT_TRUE(again->replayed) << sent.op_id;
      ++retried;
    }
  }
  EXPECT_GT(retried, 0u);
}

}  // namespace
}  // namespace upkeep::store::testing
