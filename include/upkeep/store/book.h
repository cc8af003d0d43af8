// upkeep/store/book.h: a durable book: a Ledger journaling into a Store, reopened after a crash.
//
// Book::Open opens (or creates) the store named by a URI and gives back the ledger on it. A new
// book is created with its first snapshot. Reopening loads the latest snapshot and replays the
// journal entries after it (Ledger::Restore), checking their hash chain; the state is exactly
// the state of the last durable operation. A book whose snapshots are all gone is rebuilt from
// its whole journal.
//
//   upkeep::store::BookOptions options;
//   options.ledger.currency = upkeep::Currency::FromCode("CNY").value();
//   auto book = upkeep::store::Book::Open("sqlite:/var/lib/upkeep/book.db", options).value();
//   upkeep::ledger::Ledger& ledger = book->ledger();
//   ledger.Reserve({...});  // kSyncEachCommit: durable when it returns
//   book->Close();          // reports a failed final commit
//
// Durability is the store's (store.h): the default, kSyncEachCommit, makes every operation
// durable before it returns, because a book holds other people's money and a host that forgets
// to commit must not lose acknowledged operations. Hosts that acknowledge in batches choose
// kGroupCommit and call Commit() (or StartCommit() and later AwaitDurable()) at their
// acknowledgement points (about 1,000x the throughput).
//
// Snapshots: every snapshot_every_events events a background thread of the book writes one
// (the ledger keeps serving; writers wait while the state is encoded); Snapshot() takes one now.
// A failed background snapshot is reported by the next Commit().
//
// Readable tables (SQLite books; docs/store.md): customers, policy versions, balances,
// reservations, approvals and decisions, for users of the sqlite3 shell. They are brought up
// to date with every snapshot and by Close(), never on the operation path; meta.tables_seq
// says which journal entries they reflect.
//
// Ownership: the Book owns its store and its ledger; references from ledger() and store() are
// valid until the Book is destroyed.
// Thread safety: the ledger is thread-safe (ledger.h); Commit, Snapshot and Verify may be
// called from any thread. Close and the destructor must not race with other calls.
#ifndef UPKEEP_STORE_BOOK_H_
#define UPKEEP_STORE_BOOK_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/store/store.h"

namespace upkeep::store {

struct BookOptions {
  StoreOptions store{};
  // The ledger's options. currency: for a new book; an existing book must have the same one
  // (kCurrencyMismatch). journal must be left null: the book's store is the journal.
  ledger::LedgerOptions ledger{};
  // A snapshot every this many journal events (0: only on Snapshot()).
  uint64_t snapshot_every_events = 1'000'000;
};

class Book {
 public:
  // Opens the book at `uri` ("sqlite:/path/book.db", a path, or "memory:"); see OpenStore for
  // the errors of the store, plus kCorrupt naming the first damaged journal entry or snapshot.
  static absl::StatusOr<std::unique_ptr<Book>> Open(std::string_view uri, BookOptions options);
  // Stops the snapshot thread and commits what waits (errors are lost: call Close first).
  ~Book();
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;

  ledger::Ledger& ledger() { return *ledger_; }
  Store& store() { return *store_; }

  // Makes every operation so far durable (kGroupCommit; with kSyncEachCommit they already are).
  // Also reports a failed background snapshot.
  absl::Status Commit();
  // Pipelined group commit (store.h): StartCommit ends the batch of every operation so far and
  // returns at once with a ticket; AwaitDurable(ticket) returns once that batch is durable.
  // A host that acknowledges in batches acknowledges batch k after AwaitDurable(ticket k),
  // applying batch k + 1 in the meantime.
  uint64_t StartCommit() { return store_->StartCommit(); }
  absl::Status AwaitDurable(uint64_t ticket) { return store_->AwaitDurable(ticket); }
  // Writes a snapshot of the current state and brings the readable tables up to date; returns
  // the number of journal entries the snapshot covers.
  absl::StatusOr<uint64_t> Snapshot();
  // Checks the whole journal's hash chain, the recorded head and every snapshot; kCorrupt
  // naming the first damaged entry.
  absl::Status Verify() const;
  // Stops the snapshot thread, commits and brings the readable tables up to date; the book
  // must not be used afterwards except to be destroyed.
  absl::Status Close();

 private:
  class SnapshotTrigger;
  class TableTracker;

  Book(std::unique_ptr<Store> store, uint64_t snapshot_every_events);
  absl::Status Start(ledger::LedgerOptions options);
  void SnapshotLoop();
  void StopSnapshots();
  // Writes the balances changed since the last refresh and the tables derived from the journal.
  absl::Status RefreshTables() ABSL_EXCLUSIVE_LOCKS_REQUIRED(snapshot_mu_);

  std::unique_ptr<Store> store_;
  std::unique_ptr<SnapshotTrigger> trigger_;
  std::unique_ptr<TableTracker> tracker_;
  std::unique_ptr<ledger::Ledger> ledger_;
  const uint64_t snapshot_every_events_;
  absl::Mutex snapshot_mu_;  // serialises snapshots
  absl::Mutex loop_mu_;
  bool snapshot_due_ ABSL_GUARDED_BY(loop_mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(loop_mu_) = false;
  absl::Status background_error_ ABSL_GUARDED_BY(loop_mu_);
  std::thread snapshot_thread_;
};

}  // namespace upkeep::store

#endif  // UPKEEP_STORE_BOOK_H_
