#include "upkeep/store/book.h"

#include <utility>

#include "base/status_macros.h"
#include "ledger/text.h"
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
  ledger::LedgerOptions rebuild_options = options;  // without our trigger
  options.journal = &store;
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
    UPKEEP_ASSIGN_OR_RETURN(ledger_, ledger::Ledger::Restore(latest->bytes, std::move(options)));
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
  UPKEEP_ASSIGN_OR_RETURN(std::string bytes, ledger_->WriteSnapshot());
  UPKEEP_ASSIGN_OR_RETURN(StoredSnapshot snapshot, ToStored(std::move(bytes)));
  UPKEEP_RETURN_IF_ERROR(store_->SaveSnapshot(snapshot));
  return snapshot.seq;
}

absl::Status Book::Verify() const { return store_->Verify(); }

absl::Status Book::Close() {
  StopSnapshots();
  return store_ == nullptr ? absl::OkStatus() : store_->Commit();
}

}  // namespace upkeep::store
