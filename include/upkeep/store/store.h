// upkeep/store/store.h: where a book lives: its journal, its snapshots, and how durable they are.
//
// A Store is a ledger::Journal (the ledger appends every event to it) that also keeps snapshots
// of the ledger's state and decides when appended events become durable:
//
//   kSyncEachCommit (the default): every Append / AppendBatch is its own transaction, synced to
//     stable storage before it returns. A ledger operation that returned OK survives a crash
//     or a power cut. Costs one fsync per operation.
//   kGroupCommit: appended events wait in memory and are written in one transaction when
//     Commit() is called, or on their own when group_events_max events wait. An operation is
//     durable once the Commit() after it returns OK. Many operations share one fsync.
//     Commits are pipelined: a writer thread of the store hashes, inserts and syncs a batch
//     while the ledger goes on applying and encoding the next one. Commit() waits for its batch;
//     a host that acknowledges in batches can instead call StartCommit() at the end of a batch
//     and AwaitDurable() on it later (before acknowledging it), so the sync of one batch
//     overlaps the work of the next.
//
// A store never splits the events of one AppendBatch call (one ledger operation) between
// transactions, so a crash leaves every operation wholly applied or not at all. If a group
// commit fails after its operations were acknowledged in memory, the store refuses further
// writes (kIo "... reopen the book") until it is reopened from what is durable.
//
// Stores are opened by URI:
//   "sqlite:/var/lib/upkeep/book.db"  one SQLite file per book (WAL mode): the embedded default;
//   "/var/lib/upkeep/book.db"         the same (a path without a scheme);
//   "memory:"                         an in-memory store, for tests and throwaway books.
//
//   UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<upkeep::store::Store> store,
//                           upkeep::store::OpenStore("sqlite:/tmp/book.db", {}));
//
// Most hosts use Book (book.h), which opens a store and the ledger on it together.
//
// Beside the journal a store keeps records that are not ledger operations: feedback (outcomes,
// customer feedback, assessments; upkeep/monitor/feedback.h) and the alerts a monitor raised
// (PutRecords / ForEachRecord). Each record has an id; putting the same record again changes
// nothing, a different record under a kept id is kIdempotencyConflict naming the id. A
// PutRecords call is one transaction (all its records or none), durable when it returns.
//
// Ownership: the caller owns the Store; a Ledger journaling into it must not outlive it.
// Thread safety: every method may be called from any thread; calls are serialised inside.
#ifndef UPKEEP_STORE_STORE_H_
#define UPKEEP_STORE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/ledger/observer.h"
#include "upkeep/ledger/types.h"

namespace upkeep::store {

enum class Durability : uint8_t {
  kSyncEachCommit = 0,  // every operation synced before it returns (the default)
  kGroupCommit = 1,     // operations synced together by Commit()
};

struct StoreOptions {
  Durability durability = Durability::kSyncEachCommit;
  // kGroupCommit: commit on its own once this many events wait (at operation boundaries).
  uint32_t group_events_max = 4096;
  // kGroupCommit: appends wait while more than this many bytes of events are handed to the
  // writer but not yet written (back-pressure on a disk that falls behind).
  uint64_t queued_bytes_max = uint64_t{128} << 20;
  // Create the book when the file does not exist; otherwise kNotFound.
  bool create_if_missing = true;
  // The page size of a SQLite book this creates: a power of two from 512 to 65,536, checked on
  // every open of a SQLite book (otherwise kInvalidArgument, and nothing is opened or made; the
  // memory: store has no pages and ignores it). A book keeps the page size it was made with.
  // SQLite's default, 4,096, suits operations synced one at a time (each commit writes whole
  // pages); 16,384 suits writing in bulk (journal blocks and snapshots written with a quarter of
  // the system calls). Figures: docs/store.md, "Page size and checkpoints".
  uint32_t new_book_page_bytes = 4096;
};

// A snapshot of a ledger after the first `seq` journal entries.
struct StoredSnapshot {
  uint64_t seq = 0;
  ledger::Digest head{};  // the journal's chain hash after `seq` entries
  std::string bytes{};    // ledger::Ledger::WriteSnapshot
};

// One row of a book's readable balances table: a scope and its balance.
struct ScopeBalance {
  ledger::ScopeId id = 0;
  ledger::ScopeRef scope{};
  ledger::Balance balance{};
};

// The tables of records kept beside the journal (docs/store.md: feedback, alerts).
enum class RecordTable : uint8_t { kFeedback = 0, kAlerts = 1 };
std::string_view RecordTableName(RecordTable table);  // "feedback" | "alerts"

// One kept record. The store compares and keeps it as given; what the body means is the
// writer's (the command line writes monitor JSON, docs/store.md).
struct KeptRecord {
  std::string id{};       // unique in its table; not empty
  std::string kind{};     // feedback: outcome, customer, account_manager, manager; alerts: kind
  std::string subject{};  // feedback: the customer; alerts: the scope ("FY2026/customer:C1/gift")
  std::string period{};
  std::string body{};  // JSON
  friend bool operator==(const KeptRecord&, const KeptRecord&) = default;
};

// What PutRecords did.
struct PutCounts {
  size_t added = 0;
  size_t unchanged = 0;  // kept already, exactly as given
};

class Store : public ledger::Journal {
 public:
  // Makes every appended event durable. With kSyncEachCommit nothing waits and this is OK.
  // Equivalent to AwaitDurable(StartCommit()).
  virtual absl::Status Commit() = 0;
  // Starts committing every event appended so far and returns at once: the journal size that
  // will then be durable (a ticket for AwaitDurable). With kSyncEachCommit: size().
  virtual uint64_t StartCommit() = 0;
  // Waits until the first `entries` journal entries are durable (starting their commit if it
  // was not started). OK, or the error of the commit that failed (the store is then broken,
  // see above). kInvalidArgument if entries > size().
  virtual absl::Status AwaitDurable(uint64_t entries) = 0;
  // Stores `snapshot`. Events up to snapshot.seq that still wait are committed first, so a
  // snapshot never covers events that are not durable. kInvalidArgument if seq > size() or
  // its head does not match the journal.
  virtual absl::Status SaveSnapshot(const StoredSnapshot& snapshot) = 0;
  // The latest snapshot, or nullopt when there is none; kCorrupt if it does not match the
  // journal. Its stored checksum is checked by Verify(), not here: the bytes carry their own,
  // which whoever reads them checks (Ledger::Restore does), so a large snapshot is hashed once.
  virtual absl::StatusOr<std::optional<StoredSnapshot>> LatestSnapshot() const = 0;
  // Book-level settings kept with the data ("currency", ...). Empty when unset.
  // Brings the book's readable tables (docs/store.md) up to the first `entries` journal
  // entries, and writes `balances`, read from the ledger at that point (Ledger::ReadBalances),
  // in one transaction. Waits until those entries are durable. kInvalidArgument if `entries`
  // is behind the tables already. A store without such tables does nothing.
  virtual absl::Status RefreshTables(uint64_t entries, std::span<const ScopeBalance> balances) = 0;
  // The journal entries the readable tables reflect (0 for a store without them).
  virtual absl::StatusOr<uint64_t> TablesSeq() const = 0;
  // Keeps `records` in `table`, in order, in one transaction, durable before it returns (with
  // either durability). kInvalidArgument for an empty id or an id twice in `records` with
  // different contents; kIdempotencyConflict naming the id when `table` keeps that id with
  // different contents. On error nothing is kept.
  virtual absl::StatusOr<PutCounts> PutRecords(RecordTable table,
                                               std::span<const KeptRecord> records) = 0;
  // Calls `fn` with every record of `table` in the order they were first kept; stops at (and
  // returns) the first error of `fn`.
  virtual absl::Status ForEachRecord(
      RecordTable table, absl::FunctionRef<absl::Status(const KeptRecord&)> fn) const = 0;
  // A value kept under `key` beside the journal, not journaled (a book keeps its currency there,
  // the command line its settings and saved follower). Any bytes, read back exactly as written
  // (text that looks like a number included); "" for a key never set.
  virtual absl::StatusOr<std::string> GetProperty(std::string_view key) const = 0;
  virtual absl::Status SetProperty(std::string_view key, std::string_view value) = 0;
  virtual Durability durability() const = 0;
  // "sqlite:/path/book.db" or "memory:".
  virtual const std::string& uri() const = 0;
};

// Opens (or creates) the store named by `uri` (see above). kInvalidArgument for an unknown
// scheme; kBusy when another writer has the book open; kIo naming the path when the file
// cannot be written (read-only file, full disk); kCorrupt for a damaged file or one that is
// not a book; kUnsupportedVersion for a book written by a newer upkeep.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri, const StoreOptions& options);

}  // namespace upkeep::store

#endif  // UPKEEP_STORE_STORE_H_
