#include "store/sqlite_store.h"

#include <pthread.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <future>
#include <utility>

#include "absl/time/clock.h"
#include "base/second_thread.h"
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

// The journal's damage, named the same way wherever it is found.
absl::Status MalformedBlock(const std::string& uri, uint64_t first_seq) {
  return Corrupt(uri, StrCat("journal block at entry ", first_seq,
                             " altered: its entries, bytes and hashes do not fit together"));
}
absl::Status OverlappingBlock(const std::string& uri, uint64_t first_seq) {
  return Corrupt(uri,
                 StrCat("journal block at entry ", first_seq, " overlaps the entries before it"));
}
// Entries `expected` up to `next` (not included) are missing.
absl::Status RemovedBefore(const std::string& uri, uint64_t expected, uint64_t next) {
  return Corrupt(uri, next - expected == 1
                          ? StrCat("journal entry ", expected, " removed (the next is ", next, ")")
                          : StrCat("journal entries ", expected, "..", next - 1,
                                   " removed (the next is ", next, ")"));
}
absl::Status BrokenChain(const std::string& uri, uint64_t seq) {
  return Corrupt(uri, StrCat("journal entry ", seq, " altered: its hash does not match the chain"));
}

// A ScanLocked visitor for a scan that only checks.
absl::Status VisitNothing(uint64_t /*seq*/, std::string_view /*bytes*/) { return absl::OkStatus(); }

// The seqs of `events` must follow `next`.
absl::Status CheckSeqs(std::span<const Event> events, uint64_t next) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].seq != next + i) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          StrCat("journal append: event seq ", events[i].seq, " but the next is ", next + i));
    }
  }
  return absl::OkStatus();
}

absl::Status BrokenBy(const std::string& uri, const absl::Status& error) {
  return MakeError(
      ErrorCode::kIo,
      StrCat(uri, ": a group commit failed, reopen the book: ", FromAbsl(error.message())));
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
  if (options.durability == Durability::kGroupCommit) {
    store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  }
  return store;
}

SqliteStore::SqliteStore(FileLock lock, std::unique_ptr<SqliteDb> db, const StoreOptions& options)
    : lock_(std::move(lock)),
      db_(std::move(db)),
      options_(options),
      uri_(StrCat("sqlite:", db_->path())) {}

SqliteStore::~SqliteStore() {
  {
    absl::MutexLock lock(&mu_);
    if (broken_.ok()) SealLocked();
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();  // it commits every sealed batch first
}

absl::Status SqliteStore::Init() {
  absl::MutexLock lock(&db_mu_);
  SqliteDb& db = *db_;
  // Only a new, empty file takes a page size; an existing book ignores it.
  UPKEEP_RETURN_IF_ERROR(db.Exec(StrCat("PRAGMA page_size=", options_.new_book_page_bytes).c_str(),
                                 "set the page size"));
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
  UPKEEP_ASSIGN_OR_RETURN(const int64_t page_bytes, db.PragmaInt("page_size"));
  UPKEEP_RETURN_IF_ERROR(db.Exec(
      StrCat("PRAGMA wal_autocheckpoint=", kCheckpointWalBytes / std::max<int64_t>(page_bytes, 1))
          .c_str(),
      "set the checkpoint interval"));
  UPKEEP_RETURN_IF_ERROR(PrepareSchema(db, "upkeep " UPKEEP_STORE_VERSION));
  UPKEEP_RETURN_IF_ERROR(PrepareStatements());
  return CheckRecordedHead();
}

absl::Status SqliteStore::PrepareStatements() {
  SqliteDb& db = *db_;
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st_.begin, "BEGIN IMMEDIATE"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st_.commit, "COMMIT"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st_.rollback, "ROLLBACK"));
  // From the block holding entry ?1 on (or from the first block, when none starts at or before it).
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(
      &st_.scan_blocks,
      "SELECT first_seq, entries, bytes, hashes FROM journal_blocks WHERE first_seq >= "
      "coalesce((SELECT max(first_seq) FROM journal_blocks WHERE first_seq <= ?1), 0) "
      "ORDER BY first_seq"));
  // The block that should hold entry ?1, then the block before it.
  UPKEEP_RETURN_IF_ERROR(
      db.PrepareInto(&st_.blocks_to_entry,
                     "SELECT first_seq, entries, bytes, hashes FROM journal_blocks "
                     "WHERE first_seq <= ?1 ORDER BY first_seq DESC LIMIT 2"));
  UPKEEP_RETURN_IF_ERROR(
      db.PrepareInto(&st_.last_block,
                     "SELECT first_seq, entries, bytes, hashes FROM journal_blocks "
                     "ORDER BY first_seq DESC LIMIT 1"));
  UPKEEP_RETURN_IF_ERROR(
      db.PrepareInto(&st_.insert_snapshot,
                     "INSERT OR REPLACE INTO snapshots(seq, head_hash, checksum, "
                     "taken_micros, bytes) VALUES(?1,?2,?3,?4,?5)"));
  // Keeps the latest two: the older one is a fallback for manual recovery.
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st_.prune_snapshots,
                                        "DELETE FROM snapshots WHERE seq NOT IN "
                                        "(SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 2)"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(
      &st_.latest_snapshot, "SELECT seq, head_hash FROM snapshots ORDER BY seq DESC LIMIT 1"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(
      &st_.all_snapshots, "SELECT seq, head_hash, checksum, bytes FROM snapshots ORDER BY seq"));
  UPKEEP_RETURN_IF_ERROR(db.PrepareInto(&st_.get_meta, "SELECT value FROM meta WHERE key = ?1"));
  // typeof() reads no overflow page: a large value is not loaded here.
  UPKEEP_RETURN_IF_ERROR(
      db.PrepareInto(&st_.find_property,
                     "SELECT rowid, CASE WHEN typeof(value) IN ('text', 'blob') THEN NULL "
                     "ELSE coalesce(CAST(value AS TEXT), '') END FROM meta WHERE key = ?1"));
  UPKEEP_RETURN_IF_ERROR(
      db.PrepareInto(&st_.set_meta, "INSERT OR REPLACE INTO meta VALUES(?1, ?2)"));
  UPKEEP_ASSIGN_OR_RETURN(blocks_, JournalBlockWriter::Prepare(db));
  UPKEEP_ASSIGN_OR_RETURN(tables_, TableWriter::Prepare(db));
  UPKEEP_ASSIGN_OR_RETURN(records_, RecordRows::Prepare(db));
  return absl::OkStatus();
}

absl::Status SqliteStore::CheckRecordedHead() {
  // The last entry must be the head the last commit recorded: a missing tail or an extra entry
  // means the file was changed outside upkeep.
  Statement& last = st_.last_block;
  UPKEEP_ASSIGN_OR_RETURN(const bool has_rows, last.Step("read the journal head"));
  uint64_t rows = 0;
  Digest last_hash{};
  if (has_rows) {
    const auto first_seq = static_cast<uint64_t>(last.ColumnInt(0));
    JournalBlock block;
    if (!ReadJournalBlock(first_seq, last.ColumnBlob(1), last.ColumnBlob(2), last.ColumnBlob(3),
                          &block)) {
      last.Reset();
      return MalformedBlock(uri_, first_seq);
    }
    ToDigest(block.WholeHash(block.size() - 1), &last_hash);
    rows = block.end_seq();
  }
  last.Reset();
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
  absl::MutexLock lock(&mu_);
  durable_size_ = rows;
  durable_head_ = last_hash;
  StartOpenBatchAt(rows);
  table_seqs_from_ = rows;
  return absl::OkStatus();
}

absl::Status SqliteStore::Append(const Event& event) {
  return AppendBatch(std::span<const Event>(&event, 1));
}

absl::Status SqliteStore::AppendBatch(std::span<const Event> events) {
  if (options_.durability == Durability::kSyncEachCommit) return AppendDurably(events);
  if (broken_seen_.load(std::memory_order_acquire)) {
    absl::MutexLock lock(&mu_);
    return broken_;
  }
  bool full = false;
  {
    WriterLock open(&open_mu_);
    UPKEEP_RETURN_IF_ERROR(CheckSeqs(events, open_.end_seq()));
    for (const Event& event : events) open_.Add(event);
    NoteTableEventsLocked(events);
    full = open_.size() >= options_.group_events_max || open_.bytes.size() >= kSealBytes;
  }
  if (!full && !queue_over_.load(std::memory_order_acquire)) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  if (full) SealLocked();
  // Back-pressure: the writer is far behind.
  mu_.Await(absl::Condition(
      +[](SqliteStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
        return s->sealed_bytes_ <= s->options_.queued_bytes_max || !s->broken_.ok();
      },
      this));
  return absl::OkStatus();
}

absl::Status SqliteStore::AppendDurably(std::span<const Event> events) {
  absl::MutexLock db_lock(&db_mu_);
  JournalBatch batch;
  {
    absl::MutexLock lock(&mu_);
    UPKEEP_RETURN_IF_ERROR(broken_);
    UPKEEP_RETURN_IF_ERROR(CheckSeqs(events, SizeLocked()));
    batch.first_seq = SizeLocked();
  }
  for (const Event& event : events) batch.Add(event);
  const JournalBatch* const batches[] = {&batch};
  // On failure nothing was written: the ledger does not apply this operation.
  UPKEEP_RETURN_IF_ERROR(WriteDurably(batches));
  absl::MutexLock lock(&mu_);
  WriterLock open(&open_mu_);
  open_.first_seq = durable_size_;
  NoteTableEventsLocked(events);
  return absl::OkStatus();
}

void SqliteStore::NoteTableEventsLocked(std::span<const Event> events) {
  for (const Event& event : events) {
    if (TableWriter::Concerns(event)) table_seqs_.push_back(event.seq);
  }
}

absl::Status SqliteStore::WriteDurably(std::span<const JournalBatch* const> batches) {
  uint64_t end = 0;
  Digest head{};
  {
    absl::MutexLock lock(&mu_);
    end = durable_size_;
    head = durable_head_;
  }
  UPKEEP_RETURN_IF_ERROR(st_.begin.Run("begin a commit"));
  absl::Status written;
  for (const JournalBatch* batch : batches) {
    if (!written.ok()) break;
    written = batch->first_seq == end
                  ? blocks_->Write(*batch, &head)
                  : MakeError(ErrorCode::kInternal, StrCat(uri_, ": batch at ", batch->first_seq,
                                                           " does not follow ", end));
    end = batch->end_seq();
  }
  if (written.ok()) {
    Statement& meta = st_.set_meta;
    meta.BindText(1, "head_count");
    meta.BindInt(2, static_cast<int64_t>(end));
    written = meta.Run("write meta.head_count");
  }
  if (written.ok()) {
    st_.set_meta.BindText(1, "head_hash");
    st_.set_meta.BindBlob(2, AsBytes(head));
    written = st_.set_meta.Run("write meta.head_hash");
  }
  if (written.ok()) written = st_.commit.Run("commit");
  if (!written.ok()) {
    if (!sqlite3_get_autocommit(db_->get())) st_.rollback.Run("roll back").IgnoreError();
    return written;
  }
  absl::MutexLock lock(&mu_);
  durable_size_ = end;
  durable_head_ = head;
  return absl::OkStatus();
}

void SqliteStore::WriterLoop() {
  pthread_setname_np(pthread_self(), "upkeep-writer");  // for top, perf and debuggers
  for (;;) {
    std::vector<SealedBatch> batches;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](SqliteStore* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
            return !s->sealed_.empty() || s->stopping_;
          },
          this));
      if (sealed_.empty()) return;  // stopping, and everything sealed is committed
      for (const SealedBatch& batch : sealed_) batches.push_back(batch);
    }
    std::vector<const JournalBatch*> raw;
    size_t bytes = 0;
    for (const SealedBatch& batch : batches) {
      raw.push_back(batch.get());
      bytes += batch->bytes.size();
    }
    absl::Status written;
    {
      absl::MutexLock db_lock(&db_mu_);
      {
        absl::MutexLock lock(&mu_);
        written = broken_;
      }
      if (written.ok()) written = WriteDurably(raw);
    }
    absl::MutexLock lock(&mu_);
    // These operations were acknowledged in memory: if they cannot be made durable, memory is
    // ahead of the file for good.
    if (!written.ok() && broken_.ok()) {
      broken_ = BrokenBy(uri_, written);
      broken_seen_.store(true, std::memory_order_release);
    }
    sealed_.erase(sealed_.begin(), sealed_.begin() + static_cast<ptrdiff_t>(batches.size()));
    sealed_bytes_ -= bytes;
    queue_over_.store(sealed_bytes_ > options_.queued_bytes_max, std::memory_order_release);
  }
}

uint64_t SqliteStore::SealLocked() {
  WriterLock open(&open_mu_);
  const uint64_t end = open_.end_seq();
  if (!open_.empty()) {
    sealed_bytes_ += open_.bytes.size();
    queue_over_.store(sealed_bytes_ > options_.queued_bytes_max, std::memory_order_release);
    sealed_.push_back(std::make_shared<const JournalBatch>(std::move(open_)));
    open_ = JournalBatch{};
    open_.first_seq = end;
  }
  return end;
}

uint64_t SqliteStore::size() const {
  absl::MutexLock lock(&mu_);
  return SizeLocked();
}

uint64_t SqliteStore::StartCommit() {
  absl::MutexLock lock(&mu_);
  return SealLocked();
}

absl::Status SqliteStore::AwaitDurableLocked(uint64_t entries) {
  if (entries > SizeLocked()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(uri_, ": await entry ", entries, " of ", SizeLocked()));
  }
  if (entries > OpenBatchStartLocked()) SealLocked();
  struct Wanted {
    SqliteStore* store;
    uint64_t entries;
  } wanted{this, entries};
  mu_.Await(absl::Condition(
      +[](Wanted* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return w->store->durable_size_ >= w->entries || !w->store->broken_.ok();
      },
      &wanted));
  return durable_size_ >= entries ? absl::OkStatus() : broken_;
}

absl::Status SqliteStore::AwaitDurable(uint64_t entries) {
  absl::MutexLock lock(&mu_);
  return AwaitDurableLocked(entries);
}

absl::Status SqliteStore::Commit() {
  absl::MutexLock lock(&mu_);
  UPKEEP_RETURN_IF_ERROR(broken_);
  return AwaitDurableLocked(SizeLocked());
}

ledger::Digest SqliteStore::Seal() {
  absl::MutexLock lock(&mu_);
  AwaitDurableLocked(SizeLocked()).IgnoreError();  // a failure breaks the store; later calls say so
  return durable_head_;
}

absl::StatusOr<Digest> SqliteStore::DurableHeadAtLocked(uint64_t count) const {
  if (count == 0) return Digest{};
  {
    absl::MutexLock lock(&mu_);
    if (count == durable_size_) return durable_head_;
  }
  // The block holding entry count - 1 keeps its whole hash if that entry ends the block (or the
  // block is from before schema version 7); else the chain is run on through the block's entries
  // from the whole hash ending the block before, each checked against its tag (ScanLocked).
  const uint64_t entry = count - 1;
  Statement& query = st_.blocks_to_entry;
  query.BindInt(1, static_cast<int64_t>(entry));
  absl::StatusOr<Digest> head = [&]() -> absl::StatusOr<Digest> {
    UPKEEP_ASSIGN_OR_RETURN(bool found, query.Step("read a chain hash"));
    if (!found) return Corrupt(uri_, StrCat("journal entry ", entry, " removed"));
    const auto first_seq = static_cast<uint64_t>(query.ColumnInt(0));
    JournalBlock block;
    if (!ReadJournalBlock(first_seq, query.ColumnBlob(1), query.ColumnBlob(2), query.ColumnBlob(3),
                          &block)) {
      return MalformedBlock(uri_, first_seq);
    }
    if (entry >= block.end_seq()) return Corrupt(uri_, StrCat("journal entry ", entry, " removed"));
    const size_t last = entry - first_seq;
    Digest hash{};
    if (ToDigest(block.WholeHash(last), &hash)) return hash;
    if (first_seq > 0) {
      UPKEEP_ASSIGN_OR_RETURN(found, query.Step("read a chain hash"));
      if (!found) return RemovedBefore(uri_, 0, first_seq);
      const auto before_seq = static_cast<uint64_t>(query.ColumnInt(0));
      JournalBlock before;
      if (!ReadJournalBlock(before_seq, query.ColumnBlob(1), query.ColumnBlob(2),
                            query.ColumnBlob(3), &before)) {
        return MalformedBlock(uri_, before_seq);
      }
      if (before.end_seq() < first_seq) return RemovedBefore(uri_, before.end_seq(), first_seq);
      if (before.end_seq() > first_seq) return OverlappingBlock(uri_, first_seq);
      ToDigest(before.WholeHash(before.size() - 1), &hash);
    }
    UPKEEP_RETURN_IF_ERROR(
        ScanLocked(first_seq, count, hash, /*check_chain=*/true, VisitNothing, &hash));
    return hash;
  }();
  query.Reset();
  return head;
}

absl::StatusOr<Digest> SqliteStore::HeadAt(uint64_t count) {
  {
    absl::MutexLock lock(&mu_);
    UPKEEP_RETURN_IF_ERROR(AwaitDurableLocked(count));
  }
  absl::MutexLock db_lock(&db_mu_);
  return DurableHeadAtLocked(count);
}

absl::Status SqliteStore::ScanLocked(
    uint64_t from_seq, uint64_t to_seq, Digest previous, bool check_chain,
    absl::FunctionRef<absl::Status(uint64_t, std::string_view)> visit, Digest* head) const {
  Statement& scan = st_.scan_blocks;
  scan.BindInt(1, static_cast<int64_t>(from_seq));
  uint64_t expected = from_seq;
  JournalBlock block;
  absl::Status status;
  while (status.ok() && expected < to_seq) {
    absl::StatusOr<bool> row = scan.Step("read the journal");
    if (!row.ok() || !*row) {
      status = row.ok() ? Corrupt(uri_, StrCat("journal truncated: entries ", expected, "..",
                                               to_seq - 1, " are missing"))
                        : row.status();
      break;
    }
    const uint64_t first_seq = static_cast<uint64_t>(scan.ColumnInt(0));
    if (first_seq > expected) {
      status = RemovedBefore(uri_, expected, first_seq);
      break;
    }
    if (!ReadJournalBlock(first_seq, scan.ColumnBlob(1), scan.ColumnBlob(2), scan.ColumnBlob(3),
                          &block)) {
      status = MalformedBlock(uri_, first_seq);
      break;
    }
    // Only the block holding from_seq may start before it: a later one overlaps its predecessor.
    if (first_seq < expected && expected != from_seq) {
      status = OverlappingBlock(uri_, first_seq);
      break;
    }
    for (size_t i = expected - first_seq; i < block.size() && expected < to_seq; ++i) {
      const std::string_view bytes = block.Entry(i);
      // The kind recorded beside the entry (for the sqlite3 shell) must be the one in it.
      if (bytes.size() < 2 || static_cast<uint8_t>(bytes[1]) != block.kinds[i]) {
        status = Corrupt(uri_, StrCat("journal entry ", expected,
                                      " altered: its recorded kind does not match its bytes"));
        break;
      }
      if (check_chain) {
        previous = ledger::ChainHash(previous, bytes);
        if (!block.Keeps(i, previous)) {
          status = BrokenChain(uri_, expected);
          break;
        }
      }
      status = visit(expected, bytes);
      if (!status.ok()) break;
      ++expected;
    }
  }
  scan.Reset();
  if (status.ok() && head != nullptr) *head = previous;
  return status;
}

absl::Status SqliteStore::ForEach(uint64_t from_seq,
                                  absl::FunctionRef<absl::Status(const Event&)> fn) const {
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
  // What is not durable yet is read from the batches in memory: the sealed ones (kept alive
  // here while the writer commits them) and a copy of the open one.
  uint64_t durable = 0;
  std::vector<SealedBatch> waiting;
  {
    absl::MutexLock lock(&mu_);
    durable = durable_size_;
    for (const SealedBatch& batch : sealed_) waiting.push_back(batch);
    ReaderLock open(&open_mu_);
    if (!open_.empty()) waiting.push_back(std::make_shared<const JournalBatch>(open_));
  }
  if (from_seq < durable) {
    absl::MutexLock db_lock(&db_mu_);
    UPKEEP_ASSIGN_OR_RETURN(const Digest previous, DurableHeadAtLocked(from_seq));
    UPKEEP_RETURN_IF_ERROR(ScanLocked(from_seq, durable, previous, /*check_chain=*/true, deliver));
  }
  for (const SealedBatch& batch : waiting) {
    for (size_t i = 0; i < batch->size(); ++i) {
      const uint64_t seq = batch->first_seq + i;
      // The writer may have made some durable since `durable` was read: those were scanned.
      if (seq < std::max(from_seq, durable)) continue;
      UPKEEP_RETURN_IF_ERROR(deliver(seq, batch->Entry(i)));
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Verify() const {
  absl::MutexLock db_lock(&db_mu_);
  uint64_t durable = 0;
  {
    absl::MutexLock lock(&mu_);
    durable = durable_size_;
  }
  UPKEEP_RETURN_IF_ERROR(ScanLocked(0, durable, Digest{}, /*check_chain=*/true, VisitNothing));
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
    } else if (seq > durable) {
      status = Corrupt(uri_, StrCat("journal truncated: snapshot at seq ", seq,
                                    " but the journal has ", durable, " entries"));
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
  {
    absl::MutexLock lock(&mu_);
    UPKEEP_RETURN_IF_ERROR(broken_);
    if (snapshot.seq > SizeLocked()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat(uri_, ": snapshot at seq ", snapshot.seq, " but the journal has ",
                              SizeLocked(), " entries"));
    }
    // A snapshot never covers events that are not durable.
    UPKEEP_RETURN_IF_ERROR(AwaitDurableLocked(snapshot.seq));
  }
  // A large snapshot is hashed on a second thread while SQLite copies it into the book (each
  // takes tens of milliseconds for a million operations); the row gets its checksum before the
  // commit.
  std::future<Digest> checksum =
      OnSecondThreadIf(snapshot.bytes.size() >= kHashAsideBytes,
                       [&snapshot] { return ledger::Sha256Of(snapshot.bytes); });
  absl::MutexLock db_lock(&db_mu_);
  UPKEEP_ASSIGN_OR_RETURN(const Digest there, DurableHeadAtLocked(snapshot.seq));
  if (there != snapshot.head) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(uri_, ": snapshot at seq ", snapshot.seq,
                            " does not match the journal's head there"));
  }
  UPKEEP_RETURN_IF_ERROR(st_.begin.Run("begin a snapshot"));
  Statement& put = st_.insert_snapshot;
  put.BindInt(1, static_cast<int64_t>(snapshot.seq));
  put.BindBlob(2, AsBytes(snapshot.head));
  const Digest placeholder{};  // of the checksum's size: overwritten in place once hashed
  put.BindBlob(3, AsBytes(placeholder));
  put.BindInt(4, absl::ToUnixMicros(absl::Now()));
  put.BindBlob(5, snapshot.bytes);
  absl::Status written = put.Run("save a snapshot");
  const Digest sum = checksum.get();
  if (written.ok()) {  // seq is the row's rowid (INTEGER PRIMARY KEY)
    written = db_->OverwriteBlob("snapshots", "checksum", static_cast<int64_t>(snapshot.seq),
                                 AsBytes(sum));
  }
  if (written.ok()) written = st_.prune_snapshots.Run("prune old snapshots");
  if (written.ok()) written = st_.commit.Run("commit a snapshot");
  if (!written.ok() && !sqlite3_get_autocommit(db_->get())) {
    st_.rollback.Run("roll back").IgnoreError();
  }
  return written;
}

absl::StatusOr<std::optional<StoredSnapshot>> SqliteStore::LatestSnapshot() const {
  absl::MutexLock db_lock(&db_mu_);
  Statement& query = st_.latest_snapshot;
  absl::StatusOr<bool> row = query.Step("read the latest snapshot");
  if (!row.ok() || !*row) {
    query.Reset();
    UPKEEP_RETURN_IF_ERROR(row.status());
    return std::nullopt;
  }
  StoredSnapshot snapshot;
  snapshot.seq = static_cast<uint64_t>(query.ColumnInt(0));
  const bool well_formed = ToDigest(query.ColumnBlob(1), &snapshot.head);
  query.Reset();
  if (!well_formed) {
    return Corrupt(
        uri_, StrCat("snapshot at seq ", snapshot.seq, " altered: its head_hash is not a hash"));
  }
  // The checksum column is checked by Verify(), not here: the bytes carry their own checksum
  // (a ledger snapshot ends with a SHA-256 of its body), which Ledger::Restore checks while it
  // reads them. Checking both would hash a large snapshot twice on every open.
  UPKEEP_RETURN_IF_ERROR(
      db_->ReadBlob("snapshots", "bytes", static_cast<int64_t>(snapshot.seq), &snapshot.bytes));
  uint64_t durable = 0;
  {
    absl::MutexLock lock(&mu_);
    durable = durable_size_;
  }
  if (snapshot.seq > durable) {
    return Corrupt(uri_, StrCat("journal truncated: snapshot at seq ", snapshot.seq,
                                " but the journal has ", durable, " entries"));
  }
  UPKEEP_ASSIGN_OR_RETURN(const Digest there, DurableHeadAtLocked(snapshot.seq));
  if (there != snapshot.head) {
    return Corrupt(uri_, StrCat("snapshot at seq ", snapshot.seq, " does not match journal entry ",
                                snapshot.seq - 1));
  }
  return snapshot;
}

absl::StatusOr<uint64_t> SqliteStore::TablesSeq() const {
  absl::MutexLock db_lock(&db_mu_);
  Statement& query = st_.get_meta;
  query.BindText(1, "tables_seq");
  absl::StatusOr<bool> row = query.Step("read meta.tables_seq");
  const int64_t seq = row.ok() && *row ? query.ColumnInt(0) : 0;
  query.Reset();
  UPKEEP_RETURN_IF_ERROR(row.status());
  return static_cast<uint64_t>(seq);
}

absl::Status SqliteStore::RefreshTables(uint64_t entries, std::span<const ScopeBalance> balances) {
  UPKEEP_ASSIGN_OR_RETURN(const uint64_t from, TablesSeq());
  if (entries < from) {
    return MakeError(ErrorCode::kInvalidArgument,
                     StrCat(uri_, ": the tables are at entry ", from, ", not behind at ", entries));
  }
  if (entries == from && balances.empty()) return absl::OkStatus();
  UPKEEP_RETURN_IF_ERROR(AwaitDurable(entries));
  // From listed_from on, only the entries in `wanted` concern the tables.
  uint64_t listed_from = 0;
  std::vector<uint64_t> wanted;
  {
    absl::MutexLock lock(&mu_);
    listed_from = table_seqs_from_;
    ReaderLock open(&open_mu_);
    wanted.assign(table_seqs_.begin(),
                  std::lower_bound(table_seqs_.begin(), table_seqs_.end(), entries));
  }
  auto next_wanted = std::lower_bound(wanted.begin(), wanted.end(), from);
  const auto apply = [&](uint64_t seq, std::string_view bytes) -> absl::Status {
    if (seq >= listed_from) {
      if (next_wanted == wanted.end() || *next_wanted != seq) return absl::OkStatus();
      ++next_wanted;
    }
    absl::StatusOr<Event> event = ledger::DecodeEvent(bytes);
    if (!event.ok()) {
      return Corrupt(uri_, StrCat("journal entry ", seq, ": ", FromAbsl(event.status().message())));
    }
    return tables_->Apply(*event);
  };
  absl::MutexLock db_lock(&db_mu_);
  UPKEEP_RETURN_IF_ERROR(st_.begin.Run("begin a tables refresh"));
  // Read: every entry before listed_from, then the stretches that hold wanted ones (two less
  // than a block apart are read as one). A long import of spends reads no block at all.
  absl::Status written;
  uint64_t scan_from = from;
  uint64_t scan_to = std::min(entries, std::max(from, listed_from));
  for (auto later = next_wanted; written.ok();) {
    if (later != wanted.end() && *later < scan_to + JournalBlockWriter::kEntriesMax) {
      scan_to = std::max(scan_to, *later++ + 1);
      continue;
    }
    if (scan_from < scan_to) {
      written = ScanLocked(scan_from, scan_to, Digest{}, /*check_chain=*/false, apply);
    }
    if (later == wanted.end()) break;
    scan_from = *later;
    scan_to = *later++ + 1;
  }
  for (const ScopeBalance& row : balances) {
    if (!written.ok()) break;
    written = tables_->PutBalance(row);
  }
  if (written.ok()) {
    st_.set_meta.BindText(1, "tables_seq");
    st_.set_meta.BindInt(2, static_cast<int64_t>(entries));
    written = st_.set_meta.Run("write meta.tables_seq");
  }
  if (written.ok()) written = st_.commit.Run("commit a tables refresh");
  if (!written.ok()) {
    if (!sqlite3_get_autocommit(db_->get())) st_.rollback.Run("roll back").IgnoreError();
    return written;
  }
  WriterLock open(&open_mu_);
  table_seqs_.erase(table_seqs_.begin(),
                    std::lower_bound(table_seqs_.begin(), table_seqs_.end(), entries));
  return absl::OkStatus();
}

absl::StatusOr<PutCounts> SqliteStore::PutRecords(RecordTable table,
                                                  std::span<const KeptRecord> records) {
  absl::MutexLock db_lock(&db_mu_);
  {
    absl::MutexLock lock(&mu_);
    UPKEEP_RETURN_IF_ERROR(broken_);
  }
  UPKEEP_RETURN_IF_ERROR(st_.begin.Run(StrCat("begin keeping ", RecordTableName(table))));
  const int64_t now_micros = absl::ToUnixMicros(absl::Now());
  absl::StatusOr<PutPlan> plan =
      PlanPut(uri_, table, records, [&](std::string_view id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return records_->Find(table, id);
      });
  absl::Status written = plan.status();
  if (written.ok()) {
    for (const KeptRecord* record : plan->to_add) {
      written = records_->Insert(table, *record, now_micros);
      if (!written.ok()) break;
    }
  }
  if (written.ok()) written = st_.commit.Run(StrCat("commit ", RecordTableName(table)));
  if (!written.ok()) {
    if (!sqlite3_get_autocommit(db_->get())) st_.rollback.Run("roll back").IgnoreError();
    return written;
  }
  return PutCounts{plan->to_add.size(), plan->unchanged};
}

absl::Status SqliteStore::ForEachRecord(
    RecordTable table, absl::FunctionRef<absl::Status(const KeptRecord&)> fn) const {
  std::vector<KeptRecord> kept;  // read first: `fn` may call the store
  {
    absl::MutexLock db_lock(&db_mu_);
    UPKEEP_RETURN_IF_ERROR(records_->ForEach(table, [&](const KeptRecord& record) {
      kept.push_back(record);
      return absl::OkStatus();
    }));
  }
  for (const KeptRecord& record : kept) UPKEEP_RETURN_IF_ERROR(fn(record));
  return absl::OkStatus();
}

absl::StatusOr<std::string> SqliteStore::GetProperty(std::string_view key) const {
  absl::MutexLock db_lock(&db_mu_);
  Statement& find = st_.find_property;
  const std::string name = StrCat("property.", key);  // bound without a copy
  find.BindText(1, name);
  absl::StatusOr<bool> found = find.Step("find a property");
  std::string value;
  if (found.ok() && *found) {
    if (find.ColumnIsNull(1)) {
      // Text or a blob (all SetProperty writes): read straight into the result, within the
      // find's read (a saved follower is megabytes).
      const absl::Status read = db_->ReadBlob("meta", "value", find.ColumnInt(0), &value);
      if (!read.ok()) {
        found = MakeError(ErrorCodeOf(read), StrCat("property ", key, ": ", read.message()));
      }
    } else {
      value = std::string(find.ColumnBlob(1));  // a number or NULL a user wrote, as text
    }
  }
  find.Reset();
  UPKEEP_RETURN_IF_ERROR(found.status());
  return value;
}

absl::Status SqliteStore::SetProperty(std::string_view key, std::string_view value) {
  absl::MutexLock db_lock(&db_mu_);
  {
    absl::MutexLock lock(&mu_);
    UPKEEP_RETURN_IF_ERROR(broken_);
  }
  const std::string name = StrCat("property.", key);  // bound without a copy
  st_.set_meta.BindText(1, name);
  st_.set_meta.BindText(2, value);
  return st_.set_meta.Run(StrCat("write property ", key));
}

}  // namespace upkeep::store
