#include "store/memory_store.h"

#include "base/status_macros.h"
#include "ledger/text.h"
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
