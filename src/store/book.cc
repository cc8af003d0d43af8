#include "upkeep/store/book.h"

#include <atomic>
#include <memory>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "ledger/text.h"
#include "upkeep/shared_mutex.h"
#include "upkeep/status.h"

namespace upkeep::store {
namespace {

using ledger::StrCat;

// The entries a snapshot covers and the chain head after them, from its header.
absl::StatusOr<StoredSnapshot> ToStored(std::string bytes) {
  UPKEEP_ASSIGN_OR_RETURN(const ledger::Ledger::SnapshotInfo info,
                          ledger::Ledger::ReadSnapshotInfo(bytes));
  return StoredSnapshot{.seq = info.entries, .head = info.head, .bytes = std::move(bytes)};
}

}  // namespace

// Wakes the snapshot thread every `every` applied events.
class Book::SnapshotTrigger final : public ledger::LedgerObserver {
 public:
  SnapshotTrigger(Book* book, uint64_t every) : book_(book), every_(every), next_(every) {}
  void StartAfter(uint64_t seq) { next_ = seq + every_; }
  void OnApplied(const ledger::Event& event, std::span<const ledger::ScopeChange>) override {
    if (event.seq + 1 < next_) return;
    next_ = event.seq + 1 + every_;
    absl::MutexLock lock(&book_->loop_mu_);
    book_->snapshot_due_ = true;
  }

 private:
  Book* const book_;
  const uint64_t every_;
  uint64_t next_;  // the ledger calls observers under its write lock, one at a time
};

// Collects the ids of the scopes whose balances changed since the last table refresh.
class Book::TableTracker final : public ledger::LedgerObserver {
 public:
  struct Dirty {
    bool all = false;
    std::vector<ledger::ScopeId> scopes;
  };

  // The ledger calls observers one at a time, under its write lock: marks are set and the
  // table grown only here. Most events change scopes marked already since the last refresh,
  // which this sees without mu_. A mark that Take has just cleared but that reads as set here
  // is safe to skip: Take's refresh reads the balances under the ledger's lock, so after this
  // event (or, if before it, the ledger's lock orders the clearing before this read).
  void OnApplied(const ledger::Event&, std::span<const ledger::ScopeChange> changed) override
      ABSL_NO_THREAD_SAFETY_ANALYSIS {
    bool all_marked = true;
    for (const ledger::ScopeChange& change : changed) {
      all_marked = all_marked && change.scope < marks_size_ &&
                   marks_[change.scope].load(std::memory_order_relaxed);
    }
    if (all_marked) return;
    WriterLock lock(&mu_);
    for (const ledger::ScopeChange& change : changed) {
      if (change.scope >= marks_size_) Grow(size_t{change.scope} * 2 + 64);
      if (marks_[change.scope].load(std::memory_order_relaxed)) continue;
      marks_[change.scope].store(true, std::memory_order_relaxed);
      dirty_.scopes.push_back(change.scope);
    }
  }
  void MarkAll() {
    WriterLock lock(&mu_);
    dirty_.all = true;
  }
  Dirty Take() {
    WriterLock lock(&mu_);
    for (const ledger::ScopeId scope : dirty_.scopes) {
      marks_[scope].store(false, std::memory_order_relaxed);
    }
    return std::exchange(dirty_, Dirty{});
  }

 private:
  void Grow(size_t size) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto grown = std::make_unique<std::atomic<bool>[]>(size);
    for (size_t i = 0; i < marks_size_; ++i) {
      grown[i].store(marks_[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
    }
    marks_ = std::move(grown);
    marks_size_ = size;
  }

  SharedMutex mu_;  // on every applied event: not absl::Mutex (upkeep/shared_mutex.h)
  // Whether each scope is in dirty_.scopes. Read without mu_ by OnApplied; written under it.
  std::unique_ptr<std::atomic<bool>[]> marks_;
  size_t marks_size_ = 0;
  Dirty dirty_ ABSL_GUARDED_BY(mu_);
};

Book::Book(std::unique_ptr<Store> store, uint64_t snapshot_every_events)
    : store_(std::move(store)), snapshot_every_events_(snapshot_every_events) {}

Book::~Book() { Close().IgnoreError(); }

absl::StatusOr<std::unique_ptr<Book>> Book::Open(std::string_view uri, BookOptions options) {
  if (options.ledger.journal != nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "BookOptions.ledger.journal must be null: the book's store is its journal");
  }
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(uri, options.store));
  std::unique_ptr<Book> book(new Book(std::move(store), options.snapshot_every_events));
  UPKEEP_RETURN_IF_ERROR(book->Start(std::move(options.ledger)));
  return book;
}

absl::Status Book::Start(ledger::LedgerOptions options) {
  Store& store = *store_;
  const std::string_view currency = options.currency.code();
  UPKEEP_ASSIGN_OR_RETURN(const std::string stored_currency, store.GetProperty("currency"));
  if (!stored_currency.empty() && stored_currency != currency) {
    return MakeError(ErrorCode::kCurrencyMismatch,
                     StrCat(store.uri(), ": the book is in ", stored_currency, ", not ", currency));
  }
  if (stored_currency.empty()) UPKEEP_RETURN_IF_ERROR(store.SetProperty("currency", currency));
  ledger::LedgerOptions rebuild_options = options;  // without our observers
  options.journal = &store;
  tracker_ = std::make_unique<TableTracker>();
  options.observers.push_back(tracker_.get());
  if (snapshot_every_events_ > 0) {
    trigger_ = std::make_unique<SnapshotTrigger>(this, snapshot_every_events_);
    options.observers.push_back(trigger_.get());
  }

  if (store.size() == 0) {
    UPKEEP_ASSIGN_OR_RETURN(ledger_, ledger::Ledger::Create(std::move(options)));
    UPKEEP_RETURN_IF_ERROR(Snapshot().status());
  } else {
    UPKEEP_ASSIGN_OR_RETURN(std::optional<StoredSnapshot> latest, store.LatestSnapshot());
    if (!latest.has_value()) {
      // No snapshot survived (or the book crashed right after it was created): rebuild one
      // from the whole journal.
      ledger::MemoryJournal scratch;
      rebuild_options.journal = &scratch;
      UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> rebuilt,
                              ledger::Ledger::Replay(store, std::move(rebuild_options)));
      UPKEEP_ASSIGN_OR_RETURN(std::string bytes, rebuilt->WriteSnapshot());
      UPKEEP_ASSIGN_OR_RETURN(latest, ToStored(std::move(bytes)));
      UPKEEP_RETURN_IF_ERROR(store.SaveSnapshot(*latest));
    }
    if (trigger_ != nullptr) trigger_->StartAfter(latest->seq);
    // The replayed tail marks the scopes it changes; tables behind the snapshot need them all.
    UPKEEP_ASSIGN_OR_RETURN(const uint64_t tables_seq, store.TablesSeq());
    if (tables_seq > store.size()) {
      return MakeError(ErrorCode::kCorrupt,
                       StrCat(store.uri(), ": meta.tables_seq (", tables_seq,
                              ") is past the end of the journal (", store.size(), " entries)"));
    }
    if (tables_seq < latest->seq) tracker_->MarkAll();
    absl::StatusOr<std::unique_ptr<ledger::Ledger>> restored =
        ledger::Ledger::Restore(latest->bytes, std::move(options));
    if (!restored.ok()) {
      return MakeError(ErrorCodeOf(restored.status()),
                       StrCat(store.uri(), ": snapshot at seq ", latest->seq, ": ",
                              ledger::FromAbsl(restored.status().message())));
    }
    ledger_ = *std::move(restored);
    if (tables_seq >= store.size()) tracker_->Take();  // the tables have the tail already
  }
  if (snapshot_every_events_ > 0) snapshot_thread_ = std::thread([this] { SnapshotLoop(); });
  return absl::OkStatus();
}

void Book::SnapshotLoop() {
  for (;;) {
    {
      absl::MutexLock lock(&loop_mu_);
      loop_mu_.Await(absl::Condition(
          +[](Book* book) ABSL_EXCLUSIVE_LOCKS_REQUIRED(book->loop_mu_) {
            return book->snapshot_due_ || book->stopping_;
          },
          this));
      if (stopping_) return;
      snapshot_due_ = false;
    }
    absl::Status taken = Snapshot().status();
    if (!taken.ok()) {
      absl::MutexLock lock(&loop_mu_);
      background_error_ = MakeError(
          ErrorCodeOf(taken), StrCat("background snapshot: ", ledger::FromAbsl(taken.message())));
    }
  }
}

void Book::StopSnapshots() {
  {
    absl::MutexLock lock(&loop_mu_);
    stopping_ = true;
  }
  if (snapshot_thread_.joinable()) snapshot_thread_.join();
}

absl::Status Book::Commit() {
  {
    absl::MutexLock lock(&loop_mu_);
    UPKEEP_RETURN_IF_ERROR(std::exchange(background_error_, absl::OkStatus()));
  }
  return store_->Commit();
}

absl::StatusOr<uint64_t> Book::Snapshot() {
  absl::MutexLock lock(&snapshot_mu_);
  // The readable tables are refreshed on a second thread while this one encodes and saves the
  // ledger's state: both read the ledger under its shared lock, and the store serialises their
  // writes. snapshot_mu_ stays held until the refresh is joined.
  absl::Status refreshed;
  std::thread refresh([this, &refreshed]()
                          ABSL_NO_THREAD_SAFETY_ANALYSIS { refreshed = RefreshTables(); });
  absl::StatusOr<StoredSnapshot> snapshot = [&]() -> absl::StatusOr<StoredSnapshot> {
    UPKEEP_ASSIGN_OR_RETURN(std::string bytes, ledger_->WriteSnapshot());
    UPKEEP_ASSIGN_OR_RETURN(StoredSnapshot stored, ToStored(std::move(bytes)));
    UPKEEP_RETURN_IF_ERROR(store_->SaveSnapshot(stored));
    return stored;
  }();
  refresh.join();
  UPKEEP_RETURN_IF_ERROR(snapshot.status());
  UPKEEP_RETURN_IF_ERROR(refreshed);
  return snapshot->seq;
}

absl::Status Book::RefreshTables() {
  TableTracker::Dirty dirty = tracker_->Take();
  std::vector<ledger::ScopeChange> changes;
  absl::StatusOr<uint64_t> entries =
      dirty.all ? ledger_->ReadBalances(std::nullopt, &changes)
                : ledger_->ReadBalances(std::span<const ledger::ScopeId>(dirty.scopes), &changes);
  std::vector<ScopeBalance> rows;
  rows.reserve(changes.size());
  for (const ledger::ScopeChange& change : changes) {
    if (!entries.ok()) break;
    absl::StatusOr<ledger::ScopeRef> scope = ledger_->DescribeScope(change.scope);
    if (!scope.ok()) entries = scope.status();
    if (entries.ok()) rows.push_back({change.scope, *std::move(scope), change.balance});
  }
  absl::Status refreshed = entries.status();
  if (refreshed.ok()) refreshed = store_->RefreshTables(*entries, rows);
  if (!refreshed.ok()) tracker_->MarkAll();  // the next refresh writes every balance
  return refreshed;
}

absl::Status Book::Verify() const { return store_->Verify(); }

absl::Status Book::Close() {
  StopSnapshots();
  if (store_ == nullptr) return absl::OkStatus();
  UPKEEP_RETURN_IF_ERROR(store_->Commit());
  if (ledger_ == nullptr) return absl::OkStatus();
  absl::MutexLock lock(&snapshot_mu_);
  return RefreshTables();
}

}  // namespace upkeep::store
