#include "store/memory_store.h"

#include "base/status_macros.h"
#include "ledger/text.h"
#include "store/kept_records.h"
#include "upkeep/status.h"

namespace upkeep::store {

using ledger::StrCat;

absl::Status MemoryStore::AwaitDurable(uint64_t entries) {
  if (entries > journal_.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat("memory: await entry ", entries, " of ", journal_.size()));
  }
  return absl::OkStatus();
}

absl::Status MemoryStore::SaveSnapshot(const StoredSnapshot& snapshot) {
  UPKEEP_ASSIGN_OR_RETURN(const ledger::Digest head, journal_.HeadAt(snapshot.seq));
  if (head != snapshot.head) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat("memory: snapshot at seq ", snapshot.seq,
                            " does not match the journal's head there"));
  }
  absl::MutexLock lock(&mu_);
  latest_ = snapshot;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<StoredSnapshot>> MemoryStore::LatestSnapshot() const {
  absl::MutexLock lock(&mu_);
  return latest_;
}

absl::StatusOr<PutCounts> MemoryStore::PutRecords(RecordTable table,
                                                  std::span<const KeptRecord> records) {
  absl::MutexLock lock(&mu_);
  const auto t = static_cast<size_t>(table);
  UPKEEP_ASSIGN_OR_RETURN(
      const PutPlan plan,
      PlanPut(uri_, table, records,
              [&](std::string_view id) -> absl::StatusOr<std::optional<KeptRecord>> {
                const auto it = record_index_[t].find(id);
                if (it == record_index_[t].end()) return std::nullopt;
                return records_[t][it->second];
              }));
  for (const KeptRecord* record : plan.to_add) {
    record_index_[t].emplace(record->id, records_[t].size());
    records_[t].push_back(*record);
  }
  return PutCounts{plan.to_add.size(), plan.unchanged};
}

absl::Status MemoryStore::ForEachRecord(
    RecordTable table, absl::FunctionRef<absl::Status(const KeptRecord&)> fn) const {
  std::vector<KeptRecord> records;
  {
    absl::MutexLock lock(&mu_);
    records = records_[static_cast<size_t>(table)];
  }
  for (const KeptRecord& record : records) UPKEEP_RETURN_IF_ERROR(fn(record));
  return absl::OkStatus();
}

absl::StatusOr<std::string> MemoryStore::GetProperty(std::string_view key) const {
  absl::MutexLock lock(&mu_);
  auto it = properties_.find(key);
  return it == properties_.end() ? std::string() : it->second;
}

absl::Status MemoryStore::SetProperty(std::string_view key, std::string_view value) {
  absl::MutexLock lock(&mu_);
  properties_[std::string(key)] = std::string(value);
  return absl::OkStatus();
}

}  // namespace upkeep::store
