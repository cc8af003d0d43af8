#include "book_access.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "base/status_macros.h"
#include "command.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

std::string UriOf(const std::string& path) { return path == "memory:" ? path : "sqlite:" + path; }

// The property that holds the saved follower (book_settings.h).
constexpr const char* kFollowerProperty = "follower";

absl::StatusOr<OpenedBook> Open(const std::string& path, Currency currency,
                                store::StoreOptions store_options,
                                std::unique_ptr<BookFollower> follower, bool new_follower) {
  auto clock_micros = std::make_shared<int64_t>(0);
  store::BookOptions options;
  options.ledger.observers.push_back(follower.get());
  options.store = store_options;
  options.ledger.currency = currency;
  options.ledger.bootstrap_admin = kBookAdmin;
  options.ledger.clock_micros = [clock_micros] {
    return *clock_micros != 0 ? *clock_micros : NowMicros();
  };
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::Book> book,
                          store::Book::Open(UriOf(path), std::move(options)));
  UPKEEP_RETURN_IF_ERROR(follower->CheckHead(book->store()));
  return OpenedBook(std::move(follower), std::move(book), std::move(clock_micros), path,
                    new_follower);
}

}  // namespace

OpenedBook::OpenedBook(std::unique_ptr<BookFollower> follower, std::unique_ptr<store::Book> book,
                       std::shared_ptr<int64_t> clock_micros, std::string path, bool new_follower)
    : follower_(std::move(follower)),
      save_follower_(new_follower),
      book_(std::move(book)),
      clock_micros_(std::move(clock_micros)),
      path_(std::move(path)),
      entries_at_open_(book_->store().size()) {}

absl::Status OpenedBook::Follow() {
  if (follower_->current(book_->store().size())) return absl::OkStatus();
  UPKEEP_RETURN_IF_ERROR(follower_->Rebuild(book_->store(), currency()));
  save_follower_ = true;
  return absl::OkStatus();
}

absl::StatusOr<BookDirectory> OpenedBook::Directory() {
  UPKEEP_RETURN_IF_ERROR(Follow());
  return follower_->directory();
}

absl::StatusOr<const monitor::Facts*> OpenedBook::Facts() {
  UPKEEP_RETURN_IF_ERROR(Follow());
  return &follower_->facts(book_->ledger());
}

absl::Status OpenedBook::Close() {
  store::Store& store = book_->store();
  const bool snapshot = store.size() >= entries_at_open_ + kSnapshotAfterEntries;
  if (snapshot) UPKEEP_RETURN_IF_ERROR(book_->Snapshot().status());
  // Saved only once what it covers is durable, and only when it is of use: a snapshot was
  // taken (the next command would otherwise replay what this one wrote), or it is new or was
  // rebuilt (the book has none that continues its journal).
  if ((snapshot || save_follower_) && path_ != "memory:" && follower_->current(store.size())) {
    UPKEEP_RETURN_IF_ERROR(book_->Commit());
    follower_->facts(book_->ledger());  // names every scope before it is saved
    UPKEEP_ASSIGN_OR_RETURN(const ledger::Digest head, store.HeadAt(follower_->entries()));
    UPKEEP_RETURN_IF_ERROR(store.SetProperty(kFollowerProperty, follower_->Save(head)));
  }
  return book_->Close();
}

void AddBookOption(CLI::App& command, BookArguments& args) {
  command.add_option("--book", args.path, "the book (a SQLite file)")->capture_default_str();
  command.add_option("--currency", args.currency,
                     "the currency the book must be in (default: the book's)");
}

absl::StatusOr<OpenedBook> OpenBook(const BookArguments& args, Durability durability) {
  store::StoreOptions store_options;
  store_options.create_if_missing = false;
  std::string stored_currency;
  std::string saved_follower;
  {  // The book knows its currency; read it (and the saved follower, which must observe the
     // journal tail the book replays as it opens) before opening the ledger in it.
    UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> peek,
                            store::OpenStore(UriOf(args.path), store_options));
    UPKEEP_ASSIGN_OR_RETURN(stored_currency, peek->GetProperty("currency"));
    UPKEEP_ASSIGN_OR_RETURN(saved_follower, peek->GetProperty(kFollowerProperty));
  }
  if (stored_currency.empty()) {
    return MakeError(ErrorCode::kCorrupt, args.path + ": the book has no currency");
  }
  if (!args.currency.empty() && args.currency != stored_currency) {
    return MakeError(ErrorCode::kCurrencyMismatch,
                     args.path + ": the book is in " + stored_currency + ", not " + args.currency);
  }
  UPKEEP_ASSIGN_OR_RETURN(const Currency currency, Currency::FromCode(stored_currency));
  if (durability == Durability::kGroup) store_options.durability = store::Durability::kGroupCommit;
  return Open(args.path, currency, store_options,
              std::make_unique<BookFollower>(BookFollower::FromSaved(saved_follower)),
              /*new_follower=*/false);
}

absl::StatusOr<OpenedBook> CreateBook(const std::string& path, Currency currency,
                                      Durability durability) {
  std::error_code error;
  if (path != "memory:" && std::filesystem::exists(path, error)) {
    return MakeError(ErrorCode::kAlreadyExists, path + " exists; choose another --book PATH");
  }
  store::StoreOptions store_options;
  if (durability == Durability::kGroup) store_options.durability = store::Durability::kGroupCommit;
  return Open(path, currency, store_options, std::make_unique<BookFollower>(),
              /*new_follower=*/true);
}

absl::Status RemoveBookFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", "-lock"}) {
    std::error_code error;
    std::filesystem::remove(path + suffix, error);
    if (error) return MakeError(ErrorCode::kIo, path + suffix + ": " + error.message());
  }
  return absl::OkStatus();
}

}  // namespace upkeep::cli
