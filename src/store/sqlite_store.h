// store/sqlite_store.h: the SQLite store, one WAL-mode file per book (internal; see store.h).
//
// Commits write the waiting events as journal rows (seq, kind, bytes, chain hash) and the new
// head (meta.head_count, meta.head_hash) in one transaction, with synchronous=FULL, so a commit
// that returned is on stable storage and a torn one is rolled back by SQLite on the next open.
// Reading the journal (ForEach) checks the chain and the seqs as it goes, so replay names the
// first altered or missing entry; Verify checks all of it, the head and every snapshot.
//
// Thread safety: all methods lock one mutex; the SQLite connection is used under it only.
#ifndef UPKEEP_SRC_STORE_SQLITE_STORE_H_
#define UPKEEP_SRC_STORE_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "store/file_lock.h"
#include "store/sqlite_db.h"
#include "upkeep/store/store.h"

namespace upkeep::store {

class SqliteStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                           const StoreOptions& options);
  // Commits what waits (errors are lost; call Commit first to see them).
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
  absl::Status SaveSnapshot(const StoredSnapshot& snapshot) override;
  absl::StatusOr<std::optional<StoredSnapshot>> LatestSnapshot() const override;
  absl::StatusOr<std::string> GetProperty(std::string_view key) const override;
  absl::Status SetProperty(std::string_view key, std::string_view value) override;
  Durability durability() const override { return options_.durability; }
  const std::string& uri() const override { return uri_; }

 private:
  struct Statements {
    Statement begin, commit, rollback;
    Statement insert_entry, scan_entries, hash_of_entry, last_entry;
    Statement insert_snapshot, prune_snapshots, latest_snapshot, all_snapshots;
    Statement get_meta, set_meta;
  };

  SqliteStore(FileLock lock, std::unique_ptr<SqliteDb> db, const StoreOptions& options);
  absl::Status Init();

  // Writes the waiting events (and `snapshot`, if any) in one transaction.
  absl::Status WriteLocked(const StoredSnapshot* snapshot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status WriteRowsLocked(const StoredSnapshot* snapshot, ledger::Digest* head)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // WriteLocked for events the ledger has already applied: a failure breaks the store.
  absl::Status CommitAcknowledgedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  uint64_t SizeLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return durable_size_ + pending_ends_.size();
  }
  std::string_view PendingLocked(size_t index) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The stored chain hash after `count` durable entries.
  absl::StatusOr<ledger::Digest> DurableHeadAtLocked(uint64_t count) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Reads durable entries [from_seq, durable_size_) checking seqs and the chain from
  // `previous`; calls `visit(seq, bytes)` for each.
  absl::Status ScanLocked(uint64_t from_seq, ledger::Digest previous,
                          absl::FunctionRef<absl::Status(uint64_t, std::string_view)> visit) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  FileLock lock_;  // declared before db_: released only after the connection closes
  std::unique_ptr<SqliteDb> db_;
  mutable Statements st_ ABSL_GUARDED_BY(mu_);
  const StoreOptions options_;
  const std::string uri_;
  uint64_t durable_size_ ABSL_GUARDED_BY(mu_) = 0;
  ledger::Digest durable_head_ ABSL_GUARDED_BY(mu_){};
  // Events appended but not committed (kGroupCommit), back to back.
  std::string pending_bytes_ ABSL_GUARDED_BY(mu_);
  std::vector<size_t> pending_ends_ ABSL_GUARDED_BY(mu_);
  std::vector<uint8_t> pending_kinds_ ABSL_GUARDED_BY(mu_);
  // Set when a commit of acknowledged events failed: memory is ahead of the file.
  absl::Status broken_ ABSL_GUARDED_BY(mu_);
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_SQLITE_STORE_H_
