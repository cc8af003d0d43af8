// store/sqlite_store.h: the SQLite store, one WAL-mode file per book (internal; see store.h).
//
// A commit writes its events as journal blocks (journal_blocks.h: a row per block of entries,
// with each entry's chain hash) and the new head (meta.head_count, meta.head_hash) in one
// transaction, with synchronous=FULL, so a commit
// that returned is on stable storage and a torn one is rolled back by SQLite on the next open.
//
// kSyncEachCommit: AppendBatch writes and syncs its events itself before it returns.
// kGroupCommit: AppendBatch encodes the events into the open batch and returns; StartCommit
// seals the open batch and hands it to the writer thread, which commits every sealed batch
// it finds in one transaction (so concurrent committers share a sync) while appends go on
// into the next open batch. The open batch is sealed on its own at group_events_max events or
// kSealBytes bytes; appends wait while more than StoreOptions::queued_bytes_max bytes are sealed
// but not yet durable (back-pressure).
//
// Reading the journal (ForEach) checks the chain, the seqs and the shape of the blocks it reads,
// so replay names the first altered or missing entry; Verify checks all of it, the head and every
// snapshot. Opening checks that the last row is the head the last commit recorded.
//
// PutRecords writes feedback and alert records in a transaction of its own (kept_records.h).
//
// RefreshTables derives the readable tables from the journal entries after meta.tables_seq and
// writes the balances it is given, in one transaction (tables.h). It decodes only the entries
// that concern the tables when it knows which those are (the ones appended since the store
// opened: it reads only the stretches of the journal that hold them), and every entry before.
//
// Thread safety: every method may be called from any thread. Three locks: db_mu_ guards the
// connection (held by the writer while it commits, and by reads), mu_ the sealed batches and the
// durable head, open_mu_ the open batch; they are taken in that order, never the other way. In
// kGroupCommit an append takes only open_mu_ (an upkeep::SharedMutex), and mu_ too only when it
// fills the batch, when the queue is over queued_bytes_max or when the store is broken: with
// Debian's Abseil an absl::Mutex lock and unlock cost more than encoding the event
// (upkeep/shared_mutex.h).
#ifndef UPKEEP_SRC_STORE_SQLITE_STORE_H_
#define UPKEEP_SRC_STORE_SQLITE_STORE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "store/file_lock.h"
#include "store/journal_batch.h"
#include "store/journal_blocks.h"
#include "store/kept_records.h"
#include "store/sqlite_db.h"
#include "store/tables.h"
#include "upkeep/shared_mutex.h"
#include "upkeep/store/store.h"

namespace upkeep::store {

class SqliteStore final : public Store {
 public:
  static constexpr size_t kSealBytes = size_t{16} << 20;
  // The WAL is checkpointed (copied into the book) each time it grows by about this much, the
  // same for every page size: SQLite counts pages (1,000 unless told, so 4 MB of 4 KiB pages).
  static constexpr int64_t kCheckpointWalBytes = 1000 * 4096;

  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           const StoreOptions& options);
  // Commits what waits and stops the writer (errors are lost; call Commit first to see them).
  ~SqliteStore() override;

  absl::Status Append(const ledger::Event& event) override;
  absl::Status AppendBatch(std::span<const ledger::Event> events) override;
  uint64_t size() const override;
  absl::Status ForEach(uint64_t from_seq,
                       absl::FunctionRef<absl::Status(const ledger::Event&)> fn) const override;
  ledger::Digest Seal() override;
  absl::Status Verify() const override;
  absl::StatusOr<ledger::Digest> HeadAt(uint64_t count) override;

  absl::Status Commit() override;
  uint64_t StartCommit() override;
  absl::Status AwaitDurable(uint64_t entries) override;
  absl::Status SaveSnapshot(const StoredSnapshot& snapshot) override;
  absl::StatusOr<std::optional<StoredSnapshot>> LatestSnapshot() const override;
  absl::Status RefreshTables(uint64_t entries, std::span<const ScopeBalance> balances) override;
  absl::StatusOr<uint64_t> TablesSeq() const override;
  absl::StatusOr<PutCounts> PutRecords(RecordTable table,
                                       std::span<const KeptRecord> records) override;
  absl::Status ForEachRecord(RecordTable table,
                             absl::FunctionRef<absl::Status(const KeptRecord&)> fn) const override;
  absl::StatusOr<std::string> GetProperty(std::string_view key) const override;
  absl::Status SetProperty(std::string_view key, std::string_view value) override;
  Durability durability() const override { return options_.durability; }
  const std::string& uri() const override { return uri_; }

 private:
  struct Statements {
    Statement begin, commit, rollback;
    Statement scan_blocks, blocks_to_entry, last_block;
    Statement insert_snapshot, prune_snapshots, latest_snapshot, all_snapshots;
    Statement get_meta, set_meta, find_property;
  };
  using SealedBatch = std::shared_ptr<const JournalBatch>;

  SqliteStore(FileLock lock, std::unique_ptr<SqliteDb> db, const StoreOptions& options);
  absl::Status Init();
  absl::Status PrepareStatements() ABSL_EXCLUSIVE_LOCKS_REQUIRED(db_mu_);
  absl::Status CheckRecordedHead() ABSL_EXCLUSIVE_LOCKS_REQUIRED(db_mu_);

  // kSyncEachCommit: writes and syncs `events` before returning.
  absl::Status AppendDurably(std::span<const ledger::Event> events);
  // Writes `batches` (consecutive, from durable_size_) in one transaction and makes them the
  // durable head. On failure nothing is written.
  absl::Status WriteDurably(std::span<const JournalBatch* const> batches)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(db_mu_);
  void WriterLoop();
  // Hands the open batch to the writer; returns the size that will then be durable.
  uint64_t SealLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AwaitDurableLocked(uint64_t entries) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Notes which of `events` (just appended) concern the readable tables.
  void NoteTableEventsLocked(std::span<const ledger::Event> events)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(open_mu_);
  // The journal's size: where the open batch ends.
  uint64_t SizeLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    ReaderLock open(&open_mu_);
    return open_.end_seq();
  }
  // Where the open batch starts.
  uint64_t OpenBatchStartLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    ReaderLock open(&open_mu_);
    return open_.first_seq;
  }
  // Makes the open batch (empty) start at `seq`.
  void StartOpenBatchAt(uint64_t seq) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    WriterLock open(&open_mu_);
    open_.first_seq = seq;
  }
  // The stored chain hash after `count` durable entries.
  absl::StatusOr<ledger::Digest> DurableHeadAtLocked(uint64_t count) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(db_mu_);
  // Reads durable entries [from_seq, to_seq) checking seqs and the chain from `previous`;
  // calls `visit(seq, bytes)` for each, and sets `*head` (if given) to the chain hash after the
  // last. With check_chain false the hashes are not checked (`previous` is unused).
  absl::Status ScanLocked(uint64_t from_seq, uint64_t to_seq, ledger::Digest previous,
                          bool check_chain,
                          absl::FunctionRef<absl::Status(uint64_t, std::string_view)> visit,
                          ledger::Digest* head = nullptr) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(db_mu_);

  FileLock lock_;  // declared before db_: released only after the connection closes
  std::unique_ptr<SqliteDb> db_;
  const StoreOptions options_;
  const std::string uri_;

  mutable absl::Mutex db_mu_ ABSL_ACQUIRED_BEFORE(mu_, open_mu_);
  mutable Statements st_ ABSL_GUARDED_BY(db_mu_);
  std::optional<JournalBlockWriter> blocks_ ABSL_GUARDED_BY(db_mu_);
  std::optional<TableWriter> tables_ ABSL_GUARDED_BY(db_mu_);
  mutable std::optional<RecordRows> records_ ABSL_GUARDED_BY(db_mu_);

  mutable absl::Mutex mu_ ABSL_ACQUIRED_BEFORE(open_mu_);
  uint64_t durable_size_ ABSL_GUARDED_BY(mu_) = 0;
  ledger::Digest durable_head_ ABSL_GUARDED_BY(mu_){};
  mutable SharedMutex open_mu_;
  // Events appended and not yet sealed (kGroupCommit); first_seq is where it starts.
  JournalBatch open_ ABSL_GUARDED_BY(open_mu_);
  // Sealed batches not yet durable, in seq order; the writer commits them.
  std::deque<SealedBatch> sealed_ ABSL_GUARDED_BY(mu_);
  size_t sealed_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  // The seqs of the events appended since the store opened that concern the readable tables
  // (TableWriter::Concerns), not yet refreshed, and the first seq the list covers (the journal's
  // size at open): RefreshTables decodes only these from there, and every entry before it.
  // 8 bytes per such event between refreshes (a Book refreshes at every snapshot, by default
  // every 1,000,000 events).
  std::vector<uint64_t> table_seqs_ ABSL_GUARDED_BY(open_mu_);
  uint64_t table_seqs_from_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Set when a commit of acknowledged events failed: memory is ahead of the file.
  absl::Status broken_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> broken_seen_{false};  // broken_ is set (read by appends without mu_)
  // sealed_bytes_ > options_.queued_bytes_max: appends wait (read by appends without mu_).
  std::atomic<bool> queue_over_{false};
  std::thread writer_;  // kGroupCommit only
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_SQLITE_STORE_H_
