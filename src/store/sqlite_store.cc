#include "store/sqlite_store.h"

#include <sys/stat.h>

#include <cstring>
#include <utility>

#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "ledger/sha256.h"
#include "ledger/text.h"
#include "store/schema.h"
#include "upkeep/status.h"

namespace upkeep::store {
namespace {

using ledger::Digest;
using ledger::Event;
using ledger::FromAbsl;
using ledger::StrCat;

Digest ChainHash(const Digest& previous, std::string_view entry) {
  ledger::Sha256 h;
  h.Update(previous);
  h.Update(entry);
  return h.Finish();
}

std::string_view AsBytes(const Digest& digest) {
  return std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
}

bool ToDigest(std::string_view bytes, Digest* out) {
  if (bytes.size() != out->size()) return false;
  std::memcpy(out->data(), bytes.data(), out->size());
  return true;
}

absl::Status Corrupt(const std::string& uri, std::string_view problem) {
  return MakeError(ErrorCode::kCorrupt, StrCat(uri, ": ", problem));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                               const StoreOptions& options) {
  struct stat info;
  const bool exists = ::stat(path.c_str(), &info) == 0;
  if (!exists && !options.create_if_missing) {
    return MakeError(ErrorCode::kNotFound, StrCat("sqlite:", path, ": no such book"));
  }
  UPKEEP_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(path + "-lock"));
  UPKEEP_ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteDb> db,
      SqliteDb::Open(path, SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE)));
  if (db->read_only()) {
    return MakeError(ErrorCode::kIo, StrCat("sqlite:", path, ": the book file is read-only"));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(lock), std::move(db), options));
  UPKEEP_RETURN_IF_ERROR(store->Init());
  return store;
}

SqliteStore::SqliteStore(FileLock lock, std::unique_ptr<SqliteDb> db, const StoreOptions& options)
    : lock_(std::move(lock)),
      db_(std::move(db)),
      options_(options),
      uri_(StrCat("sqlite:", db_->path())) {}

SqliteStore::~SqliteStore() {
  absl::MutexLock lock(&mu_);
  if (broken_.ok()) WriteLocked(nullptr).IgnoreError();
}

absl::Status SqliteStore::Init() {
  absl::MutexLock lock(&mu_);
  SqliteDb& db = *db_;
  // journal_mode=WAL reports the mode it ended up in; anything else means it could not switch.
  UPKEEP_ASSIGN_OR_RETURN(Statement wal, db.Prepare("PRAGMA journal_mode=WAL"));
  UPKEEP_ASSIGN_OR_RETURN(const bool switched, wal.Step("switch to WAL mode"));
  const bool in_wal = switched && wal.ColumnBlob(0) == "wal";
  wal.Reset();
  if (!in_wal) {
    return MakeError(ErrorCode::kIo, StrCat(uri_, ": cannot use WAL mode"));
  }
  UPKEEP_RETURN_IF_ERROR(db.Exec(
      "PRAGMA synchronous=FULL; PRAGMA busy_timeout=2000; PRAGMA cache_size=-32768;", "configure"));
  UPKEEP_RETURN_IF_ERROR(PrepareSchema(db, "upkeep " UPKEEP_STORE_VERSION));

  const auto prepare = [&](Statement* out, std::string_view sql) -> absl::Status {
    UPKEEP_ASSIGN_OR_RETURN(*out, db.Prepare(sql));
    return absl::OkStatus();
  };
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.begin, "BEGIN IMMEDIATE"));
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.commit, "COMMIT"));
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.rollback, "ROLLBACK"));
  UPKEEP_RETURN_IF_ERROR(prepare(
      &st_.insert_entry, "INSERT INTO journal(seq, kind, bytes, hash) VALUES(?1,?2,?3,?4)"));
  UPKEEP_RETURN_IF_ERROR(prepare(
      &st_.scan_entries, "SELECT seq, bytes, hash FROM journal WHERE seq >= ?1 ORDER BY seq"));
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.hash_of_entry, "SELECT hash FROM journal WHERE seq = ?1"));
  UPKEEP_RETURN_IF_ERROR(
      prepare(&st_.last_entry, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"));
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.insert_snapshot,
                                 "INSERT OR REPLACE INTO snapshots(seq, head_hash, checksum, "
                                 "taken_micros, bytes) VALUES(?1,?2,?3,?4,?5)"));
  // Keeps the latest two: the older one is a fallback for manual recovery.
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.prune_snapshots,
                                 "DELETE FROM snapshots WHERE seq NOT IN "
                                 "(SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 2)"));
  UPKEEP_RETURN_IF_ERROR(
      prepare(&st_.latest_snapshot,
              "SELECT seq, head_hash, checksum, bytes FROM snapshots ORDER BY seq DESC LIMIT 1"));
  UPKEEP_RETURN_IF_ERROR(prepare(
      &st_.all_snapshots, "SELECT seq, head_hash, checksum, bytes FROM snapshots ORDER BY seq"));
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.get_meta, "SELECT value FROM meta WHERE key = ?1"));
  UPKEEP_RETURN_IF_ERROR(prepare(&st_.set_meta, "INSERT OR REPLACE INTO meta VALUES(?1, ?2)"));

  // The last row must be the head the last commit recorded: a missing tail or an extra row
  // means the file was changed outside upkeep.
  UPKEEP_ASSIGN_OR_RETURN(const bool has_rows, st_.last_entry.Step("read the journal head"));
  uint64_t rows = 0;
  Digest last_hash{};
  if (has_rows) {
    rows = static_cast<uint64_t>(st_.last_entry.ColumnInt(0)) + 1;
    if (!ToDigest(st_.last_entry.ColumnBlob(1), &last_hash)) {
      st_.last_entry.Reset();
      return Corrupt(uri_, StrCat("journal entry ", rows - 1, " has a malformed hash"));
    }
  }
  st_.last_entry.Reset();
  st_.get_meta.BindText(1, "head_count");
  UPKEEP_ASSIGN_OR_RETURN(const bool has_head, st_.get_meta.Step("read meta.head_count"));
  const uint64_t head_count = has_head ? static_cast<uint64_t>(st_.get_meta.ColumnInt(0)) : 0;
  st_.get_meta.Reset();
  Digest head_hash{};
  st_.get_meta.BindText(1, "head_hash");
  UPKEEP_ASSIGN_OR_RETURN(const bool has_hash, st_.get_meta.Step("read meta.head_hash"));
  if (has_hash) ToDigest(st_.get_meta.ColumnBlob(0), &head_hash);
  st_.get_meta.Reset();
  if (rows < head_count) {
    return Corrupt(uri_, StrCat("journal truncated: entries ", rows, "..", head_count - 1,
                                " were committed but are missing"));
  }
  if (rows > head_count) {
    return Corrupt(
        uri_, StrCat("journal entry ", head_count,
                     " was never committed by upkeep (the head records ", head_count, " entries)"));
  }
  if (head_hash != last_hash) {
    return Corrupt(uri_, StrCat("journal entry ", rows - 1,
                                " altered: its hash does not match the recorded head"));
  }
  durable_size_ = rows;
  durable_head_ = last_hash;
  return absl::OkStatus();
}

std::string_view SqliteStore::PendingLocked(size_t index) const {
  const size_t begin = index == 0 ? 0 : pending_ends_[index - 1];
  return std::string_view(pending_bytes_).substr(begin, pending_ends_[index] - begin);
}

absl::Status SqliteStore::Append(const Event& event) {
  return AppendBatch(std::span<const Event>(&event, 1));
}

absl::Status SqliteStore::AppendBatch(std::span<const Event> events) {
  absl::MutexLock lock(&mu_);
  UPKEEP_RETURN_IF_ERROR(broken_);
  const uint64_t next = SizeLocked();
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].seq != next + i) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          StrCat("journal append: event seq ", events[i].seq, " but the next is ", next + i));
    }
  }
  const size_t waiting_before = pending_ends_.size();
  for (const Event& event : events) {
    ledger::EncodeEvent(event, &pending_bytes_);
    pending_ends_.push_back(pending_bytes_.size());
    pending_kinds_.push_back(static_cast<uint8_t>(event.kind));
  }
  if (options_.durability == Durability::kGroupCommit &&
      pending_ends_.size() < options_.group_events_max) {
    return absl::OkStatus();
  }
  absl::Status written = WriteLocked(nullptr);
  if (written.ok()) return written;
  if (waiting_before == 0) {
    // Only this operation's events were lost: the ledger will not apply them.
    pending_bytes_.clear();
    pending_ends_.clear();
    pending_kinds_.clear();
    return written;
  }
  broken_ = MakeError(
      ErrorCode::kIo,
      StrCat(uri_, ": a group commit failed, reopen the book: ", FromAbsl(written.message())));
  return written;
}

uint64_t SqliteStore::size() const {
  absl::MutexLock lock(&mu_);
  return SizeLocked();
}

absl::Status SqliteStore::WriteLocked(const StoredSnapshot* snapshot) {
  if (pending_ends_.empty() && snapshot == nullptr) return absl::OkStatus();
  UPKEEP_RETURN_IF_ERROR(st_.begin.Run("begin a commit"));
  Digest head = durable_head_;
  absl::Status written = WriteRowsLocked(snapshot, &head);
  if (written.ok()) written = st_.commit.Run("commit");
  if (!written.ok()) {
    if (!sqlite3_get_autocommit(db_->get())) st_.rollback.Run("roll back").IgnoreError();
    return written;
  }
  durable_size_ += pending_ends_.size();
  durable_head_ = head;
  pending_bytes_.clear();
  pending_ends_.clear();
  pending_kinds_.clear();
  return absl::OkStatus();
}

absl::Status SqliteStore::WriteRowsLocked(const StoredSnapshot* snapshot, Digest* head) {
  std::optional<Digest> snapshot_head;
  if (snapshot != nullptr && snapshot->seq <= durable_size_) {
    UPKEEP_ASSIGN_OR_RETURN(snapshot_head, DurableHeadAtLocked(snapshot->seq));
  }
  Statement& insert = st_.insert_entry;
  for (size_t i = 0; i < pending_ends_.size(); ++i) {
    const std::string_view bytes = PendingLocked(i);
    *head = ChainHash(*head, bytes);
    const uint64_t seq = durable_size_ + i;
    if (snapshot != nullptr && snapshot->seq == seq + 1) snapshot_head = *head;
    insert.BindInt(1, static_cast<int64_t>(seq));
    insert.BindInt(2, pending_kinds_[i]);
    insert.BindBlob(3, bytes);
    insert.BindBlob(4, AsBytes(*head));
    UPKEEP_RETURN_IF_ERROR(insert.Run("append to the journal"));
  }
  if (!pending_ends_.empty()) {
    Statement& meta = st_.set_meta;
    meta.BindText(1, "head_count");
    meta.BindInt(2, static_cast<int64_t>(durable_size_ + pending_ends_.size()));
    UPKEEP_RETURN_IF_ERROR(meta.Run("write meta.head_count"));
    meta.BindText(1, "head_hash");
    meta.BindBlob(2, AsBytes(*head));
    UPKEEP_RETURN_IF_ERROR(meta.Run("write meta.head_hash"));
  }
  if (snapshot == nullptr) return absl::OkStatus();
  if (snapshot_head != snapshot->head) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(uri_, ": snapshot at seq ", snapshot->seq,
                            " does not match the journal's head there"));
  }
  Statement& put = st_.insert_snapshot;
  const Digest checksum = ledger::Sha256Of(snapshot->bytes);
  put.BindInt(1, static_cast<int64_t>(snapshot->seq));
  put.BindBlob(2, AsBytes(snapshot->head));
  put.BindBlob(3, AsBytes(checksum));
  put.BindInt(4, absl::ToUnixMicros(absl::Now()));
  put.BindBlob(5, snapshot->bytes);
  UPKEEP_RETURN_IF_ERROR(put.Run("save a snapshot"));
  return st_.prune_snapshots.Run("prune old snapshots");
}

absl::Status SqliteStore::CommitAcknowledgedLocked() {
  UPKEEP_RETURN_IF_ERROR(broken_);
  absl::Status written = WriteLocked(nullptr);
  if (!written.ok() && !pending_ends_.empty()) {
    broken_ = MakeError(
        ErrorCode::kIo,
        StrCat(uri_, ": a group commit failed, reopen the book: ", FromAbsl(written.message())));
  }
  return written;
}

absl::Status SqliteStore::Commit() {
  absl::MutexLock lock(&mu_);
  return CommitAcknowledgedLocked();
}

ledger::Digest SqliteStore::Seal() {
  absl::MutexLock lock(&mu_);
  CommitAcknowledgedLocked().IgnoreError();  // a failure breaks the store; later calls say so
  return durable_head_;
}

absl::StatusOr<Digest> SqliteStore::DurableHeadAtLocked(uint64_t count) const {
  if (count == 0) return Digest{};
  if (count == durable_size_) return durable_head_;
  Statement& query = st_.hash_of_entry;
  query.BindInt(1, static_cast<int64_t>(count - 1));
  absl::StatusOr<bool> found = query.Step("read a chain hash");
  Digest hash{};
  const bool ok = found.ok() && *found && ToDigest(query.ColumnBlob(0), &hash);
  query.Reset();
  UPKEEP_RETURN_IF_ERROR(found.status());
  if (!ok) return Corrupt(uri_, StrCat("journal entry ", count - 1, " removed"));
  return hash;
}

absl::StatusOr<Digest> SqliteStore::HeadAt(uint64_t count) {
  absl::MutexLock lock(&mu_);
  if (count > SizeLocked()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat("journal head at ", count, ": only ", SizeLocked(), " entries"));
  }
  if (count > durable_size_) UPKEEP_RETURN_IF_ERROR(CommitAcknowledgedLocked());
  return DurableHeadAtLocked(count);
}

absl::Status SqliteStore::ScanLocked(
    uint64_t from_seq, Digest previous,
    absl::FunctionRef<absl::Status(uint64_t, std::string_view)> visit) const {
  Statement& scan = st_.scan_entries;
  scan.BindInt(1, static_cast<int64_t>(from_seq));
  uint64_t expected = from_seq;
  absl::Status status;
  while (status.ok() && expected < durable_size_) {
    absl::StatusOr<bool> row = scan.Step("read the journal");
    if (!row.ok() || !*row) {
      status = row.ok() ? Corrupt(uri_, StrCat("journal truncated: entries ", expected, "..",
                                               durable_size_ - 1, " are missing"))
                        : row.status();
      break;
    }
    const int64_t seq = scan.ColumnInt(0);
    if (seq != static_cast<int64_t>(expected)) {
      status =
          Corrupt(uri_, StrCat("journal entry ", expected, " removed (the next is ", seq, ")"));
      break;
    }
    const std::string_view bytes = scan.ColumnBlob(1);
    Digest stored{};
    previous = ChainHash(previous, bytes);
    if (!ToDigest(scan.ColumnBlob(2), &stored) || stored != previous) {
      status = Corrupt(
          uri_, StrCat("journal entry ", expected, " altered: its hash does not match the chain"));
      break;
    }
    status = visit(expected, bytes);
    ++expected;
  }
  scan.Reset();
  return status;
}

absl::Status SqliteStore::ForEach(uint64_t from_seq,
                                  absl::FunctionRef<absl::Status(const Event&)> fn) const {
  absl::MutexLock lock(&mu_);
  const auto deliver = [&](uint64_t seq, std::string_view bytes) -> absl::Status {
    absl::StatusOr<Event> event = ledger::DecodeEvent(bytes);
    if (!event.ok()) {
      return Corrupt(uri_, StrCat("journal entry ", seq, ": ", FromAbsl(event.status().message())));
    }
    if (event->seq != seq) {
      return Corrupt(uri_, StrCat("journal entry ", seq, " holds event seq ", event->seq));
    }
    return fn(*event);
  };
  if (from_seq < durable_size_) {
    UPKEEP_ASSIGN_OR_RETURN(const Digest previous, DurableHeadAtLocked(from_seq));
    UPKEEP_RETURN_IF_ERROR(ScanLocked(from_seq, previous, deliver));
  }
  for (uint64_t seq = std::max(from_seq, durable_size_); seq < SizeLocked(); ++seq) {
    UPKEEP_RETURN_IF_ERROR(deliver(seq, PendingLocked(seq - durable_size_)));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Verify() const {
  absl::MutexLock lock(&mu_);
  UPKEEP_RETURN_IF_ERROR(
      ScanLocked(0, Digest{}, [](uint64_t, std::string_view) { return absl::OkStatus(); }));
  Statement& snapshots = st_.all_snapshots;
  absl::Status status;
  while (status.ok()) {
    absl::StatusOr<bool> row = snapshots.Step("read the snapshots");
    if (!row.ok() || !*row) {
      status = row.status();
      break;
    }
    const uint64_t seq = static_cast<uint64_t>(snapshots.ColumnInt(0));
    Digest head{}, checksum{};
    ToDigest(snapshots.ColumnBlob(1), &head);
    ToDigest(snapshots.ColumnBlob(2), &checksum);
    if (ledger::Sha256Of(snapshots.ColumnBlob(3)) != checksum) {
      status = Corrupt(uri_, StrCat("snapshot at seq ", seq, " altered: checksum mismatch"));
    } else if (seq > durable_size_) {
      status = Corrupt(uri_, StrCat("journal truncated: snapshot at seq ", seq,
                                    " but the journal has ", durable_size_, " entries"));
    } else {
      absl::StatusOr<Digest> there = DurableHeadAtLocked(seq);
      if (!there.ok()) {
        status = there.status();
      } else if (*there != head) {
        status = Corrupt(
            uri_, StrCat("snapshot at seq ", seq, " does not match journal entry ", seq - 1));
      }
    }
  }
  snapshots.Reset();
  return status;
}

absl::Status SqliteStore::SaveSnapshot(const StoredSnapshot& snapshot) {
  absl::MutexLock lock(&mu_);
  UPKEEP_RETURN_IF_ERROR(broken_);
  if (snapshot.seq > SizeLocked()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(uri_, ": snapshot at seq ", snapshot.seq, " but the journal has ",
                            SizeLocked(), " entries"));
  }
  const bool had_waiting = !pending_ends_.empty();
  absl::Status written = WriteLocked(&snapshot);
  if (!written.ok() && had_waiting && ErrorCodeOf(written) != ErrorCode::kInvalidArgument) {
    broken_ = MakeError(
        ErrorCode::kIo,
        StrCat(uri_, ": a group commit failed, reopen the book: ", FromAbsl(written.message())));
  }
  return written;
}

absl::StatusOr<std::optional<StoredSnapshot>> SqliteStore::LatestSnapshot() const {
  absl::MutexLock lock(&mu_);
  Statement& query = st_.latest_snapshot;
  absl::StatusOr<bool> row = query.Step("read the latest snapshot");
  if (!row.ok() || !*row) {
    query.Reset();
    UPKEEP_RETURN_IF_ERROR(row.status());
    return std::nullopt;
  }
  StoredSnapshot snapshot;
  snapshot.seq = static_cast<uint64_t>(query.ColumnInt(0));
  Digest checksum{};
  const bool well_formed =
      ToDigest(query.ColumnBlob(1), &snapshot.head) && ToDigest(query.ColumnBlob(2), &checksum);
  snapshot.bytes = std::string(query.ColumnBlob(3));
  query.Reset();
  if (!well_formed || ledger::Sha256Of(snapshot.bytes) != checksum) {
    return Corrupt(uri_, StrCat("snapshot at seq ", snapshot.seq, " altered: checksum mismatch"));
  }
  if (snapshot.seq > durable_size_) {
    return Corrupt(uri_, StrCat("journal truncated: snapshot at seq ", snapshot.seq,
                                " but the journal has ", durable_size_, " entries"));
  }
  UPKEEP_ASSIGN_OR_RETURN(const Digest there, DurableHeadAtLocked(snapshot.seq));
  if (there != snapshot.head) {
    return Corrupt(uri_, StrCat("snapshot at seq ", snapshot.seq, " does not match journal entry ",
                                snapshot.seq - 1));
  }
  return snapshot;
}

absl::StatusOr<std::string> SqliteStore::GetProperty(std::string_view key) const {
  absl::MutexLock lock(&mu_);
  Statement& query = st_.get_meta;
  const std::string name = StrCat("property.", key);  // bound without a copy
  query.BindText(1, name);
  absl::StatusOr<bool> row = query.Step("read a property");
  std::string value;
  if (row.ok() && *row) value = std::string(query.ColumnBlob(0));
  query.Reset();
  UPKEEP_RETURN_IF_ERROR(row.status());
  return value;
}

absl::Status SqliteStore::SetProperty(std::string_view key, std::string_view value) {
  absl::MutexLock lock(&mu_);
  UPKEEP_RETURN_IF_ERROR(broken_);
  const std::string name = StrCat("property.", key);  // bound without a copy
  st_.set_meta.BindText(1, name);
  st_.set_meta.BindText(2, value);
  return st_.set_meta.Run(StrCat("write property ", key));
}

}  // namespace upkeep::store
