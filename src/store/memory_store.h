// store/memory_store.h: the in-memory store ("memory:"), for tests and throwaway books
// (internal; see store.h). Nothing survives the process; Commit has nothing to do.
//
// Thread safety: all methods may be called concurrently.
#ifndef UPKEEP_SRC_STORE_MEMORY_STORE_H_
#define UPKEEP_SRC_STORE_MEMORY_STORE_H_

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/store/store.h"

namespace upkeep::store {

class MemoryStore final : public Store {
 public:
  MemoryStore() = default;

  absl::Status Append(const ledger::Event& event) override { return journal_.Append(event); }
  absl::Status AppendBatch(std::span<const ledger::Event> events) override {
    return journal_.AppendBatch(events);
  }
  uint64_t size() const override { return journal_.size(); }
  absl::Status ForEach(uint64_t from_seq,
                       absl::FunctionRef<absl::Status(const ledger::Event&)> fn) const override {
    return journal_.ForEach(from_seq, fn);
  }
  ledger::Digest Seal() override { return journal_.Seal(); }
  absl::Status Verify() const override { return journal_.Verify(); }
  absl::StatusOr<ledger::Digest> HeadAt(uint64_t count) override { return journal_.HeadAt(count); }

  absl::Status Commit() override { return absl::OkStatus(); }
  uint64_t StartCommit() override { return journal_.size(); }
  absl::Status AwaitDurable(uint64_t entries) override;
  absl::Status SaveSnapshot(const StoredSnapshot& snapshot) override;
  absl::StatusOr<std::optional<StoredSnapshot>> LatestSnapshot() const override;
  absl::Status RefreshTables(uint64_t, std::span<const ScopeBalance>) override {
    return absl::OkStatus();
  }
  absl::StatusOr<uint64_t> TablesSeq() const override { return 0; }
  absl::StatusOr<PutCounts> PutRecords(RecordTable table,
                                       std::span<const KeptRecord> records) override;
  absl::Status ForEachRecord(RecordTable table,
                             absl::FunctionRef<absl::Status(const KeptRecord&)> fn) const override;
  absl::StatusOr<std::string> GetProperty(std::string_view key) const override;
  absl::Status SetProperty(std::string_view key, std::string_view value) override;
  Durability durability() const override { return Durability::kSyncEachCommit; }
  const std::string& uri() const override { return uri_; }

 private:
  ledger::MemoryJournal journal_;
  const std::string uri_ = "memory:";
  mutable absl::Mutex mu_;
  std::optional<StoredSnapshot> latest_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string, std::less<>> properties_ ABSL_GUARDED_BY(mu_);
  // Per RecordTable: the records in the order kept, and where each id is.
  std::array<std::vector<KeptRecord>, 2> records_ ABSL_GUARDED_BY(mu_);
  std::array<std::map<std::string, size_t, std::less<>>, 2> record_index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_MEMORY_STORE_H_
