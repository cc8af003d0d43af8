#include "book_access.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <optional>
#include <system_error>
#include <utility>

#include "base/second_thread.h"
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
                                std::unique_ptr<BookFollower> follower,
                                OpenedBook::FollowerSave save) {
  auto clock_micros = std::make_shared<int64_t>(0);
  store::BookOptions options;
  options.ledger.observers.push_back(follower.get());
  options.store = store_options;
  // The command snapshots itself (OpenedBook::SnapshotIfDue, Close): a background snapshot
  // would take a second one of about the same entries as Close's.
  options.snapshot_every_events = 0;
  options.ledger.currency = currency;
  options.ledger.bootstrap_admin = kBookAdmin;
  options.ledger.clock_micros = [clock_micros] {
    return *clock_micros != 0 ? *clock_micros : NowMicros();
  };
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::Book> book,
                          store::Book::Open(UriOf(path), std::move(options)));
  UPKEEP_RETURN_IF_ERROR(follower->CheckHead(book->store()));
  return OpenedBook(std::move(follower), std::move(book), std::move(clock_micros), path, save);
}

// What OpenBook reads from a book before it opens the ledger in it.
struct Peeked {
  std::unique_ptr<store::Store> store;
  Currency currency;
  std::string saved_follower;
};

absl::StatusOr<Peeked> Peek(const BookArguments& args, const store::StoreOptions& options) {
  Peeked peeked;
  UPKEEP_ASSIGN_OR_RETURN(peeked.store, store::OpenStore(UriOf(args.path), options));
  UPKEEP_ASSIGN_OR_RETURN(const std::string stored_currency, peeked.store->GetProperty("currency"));
  if (stored_currency.empty()) {
    return MakeError(ErrorCode::kCorrupt, args.path + ": the book has no currency");
  }
  if (!args.currency.empty() && args.currency != stored_currency) {
    return MakeError(ErrorCode::kCurrencyMismatch,
                     args.path + ": the book is in " + stored_currency + ", not " + args.currency);
  }
  UPKEEP_ASSIGN_OR_RETURN(peeked.currency, Currency::FromCode(stored_currency));
  UPKEEP_ASSIGN_OR_RETURN(peeked.saved_follower, peeked.store->GetProperty(kFollowerProperty));
  return peeked;
}

store::StoreOptions ExistingBook(Durability durability) {
  store::StoreOptions options;
  options.create_if_missing = false;
  if (durability == Durability::kGroup) options.durability = store::Durability::kGroupCommit;
  return options;
}

}  // namespace

OpenedBook::OpenedBook(std::unique_ptr<BookFollower> follower, std::unique_ptr<store::Book> book,
                       std::shared_ptr<int64_t> clock_micros, std::string path, FollowerSave save)
    : follower_(std::move(follower)),
      save_follower_(save == FollowerSave::kAlways),
      save_for_reader_(save == FollowerSave::kForNextReader),
      book_(std::move(book)),
      currency_(book_->ledger().currency()),
      clock_micros_(std::move(clock_micros)),
      path_(std::move(path)),
      entries_at_snapshot_(book_->store().size()) {}

OpenedBook::OpenedBook(std::unique_ptr<BookFollower> follower, std::unique_ptr<store::Store> store,
                       Currency currency, std::string path)
    : follower_(std::move(follower)),
      store_(std::move(store)),
      currency_(currency),
      clock_micros_(std::make_shared<int64_t>(0)),
      path_(std::move(path)),
      entries_at_snapshot_(store_->size()) {}

store::Book& OpenedBook::book() {
  if (book_ == nullptr) {
    std::fprintf(stderr, "upkeep: internal error: %s was opened without its ledger\n",
                 path_.c_str());
    std::abort();
  }
  return *book_;
}

absl::Status OpenedBook::Follow() {
  if (follower_->current(store().size())) return absl::OkStatus();
  UPKEEP_RETURN_IF_ERROR(follower_->Rebuild(store(), currency()));
  save_follower_ = true;
  return absl::OkStatus();
}

absl::StatusOr<BookDirectory> OpenedBook::Directory() {
  UPKEEP_RETURN_IF_ERROR(Follow());
  return follower_->directory();
}

absl::StatusOr<const monitor::Facts*> OpenedBook::Facts() {
  UPKEEP_RETURN_IF_ERROR(Follow());
  if (book_ == nullptr) return follower_->named_facts();  // current and named (OpenBookToRead)
  return &follower_->facts(book_->ledger());
}

absl::Status OpenedBook::Snapshot() {
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<ledger::Digest> head, FollowerHead());
  // The follower is encoded and hashed on a second thread while the book snapshots (both only
  // read; nothing is applied meanwhile). It is written after the snapshot, the one it is of use
  // with: the next command opens the book there and would otherwise replay what this one wrote.
  // Without a head the (deferred) work is never asked for.
  std::future<std::string> saved =
      OnSecondThreadIf(head.has_value(), [&] { return follower_->Save(*head); });
  UPKEEP_ASSIGN_OR_RETURN(entries_at_snapshot_, book_->Snapshot());
  return head ? WriteFollower(saved.get()) : absl::OkStatus();
}

void OpenedBook::ExpectOperations(size_t count) {
  ledger().ReserveOperations(count);
  follower_->ReserveSpends(count);
}

absl::Status OpenedBook::SnapshotIfDue() {
  if (book_->store().size() < entries_at_snapshot_ + kSnapshotEveryEntries) {
    return absl::OkStatus();
  }
  return Snapshot();
}

absl::StatusOr<std::optional<ledger::Digest>> OpenedBook::FollowerHead() {
  store::Store& store = book_->store();
  if (path_ == "memory:" || !follower_->current(store.size())) return std::nullopt;
  // Saved only once what it covers is durable.
  UPKEEP_RETURN_IF_ERROR(book_->Commit());
  follower_->facts(book_->ledger());  // names every scope before it is saved
  return store.HeadAt(follower_->entries());
}

absl::Status OpenedBook::WriteFollower(const std::string& saved) {
  UPKEEP_RETURN_IF_ERROR(book_->store().SetProperty(kFollowerProperty, saved));
  save_follower_ = false;
  return absl::OkStatus();
}

absl::Status OpenedBook::SaveFollower() {
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<ledger::Digest> head, FollowerHead());
  return head ? WriteFollower(follower_->Save(*head)) : absl::OkStatus();
}

absl::Status OpenedBook::Close() {
  if (book_ == nullptr) {  // read through the follower: nothing was written
    store_.reset();
    return absl::OkStatus();
  }
  if (book_->store().size() >= entries_at_snapshot_ + kSnapshotAfterEntries) {
    UPKEEP_RETURN_IF_ERROR(Snapshot());
  } else if (save_follower_) {  // new (a new book) or rebuilt: the book has none that fits
    UPKEEP_RETURN_IF_ERROR(SaveFollower());
  } else if (save_for_reader_) {
    // For the next reader only: what this command answered does not depend on it.
    SaveFollower().IgnoreError();
  }
  return book_->Close();
}

void AddBookOption(CLI::App& command, BookArguments& args) {
  command.add_option("--book", args.path, "the book (a SQLite file)")->capture_default_str();
  command.add_option("--currency", args.currency,
                     "the currency the book must be in (default: the book's)");
}

absl::StatusOr<OpenedBook> OpenBook(const BookArguments& args, Durability durability) {
  const store::StoreOptions options = ExistingBook(durability);
  // The book knows its currency; read it (and the saved follower, which must observe the
  // journal tail the book replays as it opens) before opening the ledger in it.
  UPKEEP_ASSIGN_OR_RETURN(Peeked peeked, Peek(args, options));
  peeked.store.reset();
  return Open(args.path, peeked.currency, options,
              std::make_unique<BookFollower>(BookFollower::FromSaved(peeked.saved_follower)),
              OpenedBook::FollowerSave::kIfRebuilt);
}

absl::StatusOr<OpenedBook> OpenBookToRead(const BookArguments& args) {
  const store::StoreOptions options = ExistingBook(Durability::kEachOperation);
  UPKEEP_ASSIGN_OR_RETURN(Peeked peeked, Peek(args, options));
  auto follower = std::make_unique<BookFollower>(BookFollower::FromSaved(peeked.saved_follower));
  UPKEEP_RETURN_IF_ERROR(follower->CheckHead(*peeked.store));
  if (follower->current(peeked.store->size()) && follower->named_facts() != nullptr) {
    return OpenedBook(std::move(follower), std::move(peeked.store), peeked.currency, args.path);
  }
  peeked.store.reset();  // the follower, checked already, observes the ledger as it opens
  return Open(args.path, peeked.currency, options, std::move(follower),
              OpenedBook::FollowerSave::kForNextReader);
}

absl::StatusOr<OpenedBook> CreateBook(const std::string& path, Currency currency,
                                      Durability durability) {
  std::error_code error;
  if (path != "memory:" && std::filesystem::exists(path, error)) {
    return MakeError(ErrorCode::kAlreadyExists, path + " exists; choose another --book PATH");
  }
  store::StoreOptions store_options;
  if (durability == Durability::kGroup) store_options.durability = store::Durability::kGroupCommit;
  // A book the command line makes is written in bulk (imports, allocations) and reopened from
  // snapshots of megabytes: larger pages (store::StoreOptions::new_book_page_bytes;
  // docs/store.md). A command that makes one operation synced on its own (`upkeep spend`)
  // writes a few pages more per commit, next to opening the book and loading its snapshot.
  store_options.new_book_page_bytes = kBookPageBytes;
  return Open(path, currency, store_options, std::make_unique<BookFollower>(),
              OpenedBook::FollowerSave::kAlways);
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
