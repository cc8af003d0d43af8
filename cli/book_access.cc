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

absl::StatusOr<OpenedBook> Open(const std::string& path, Currency currency,
                                store::StoreOptions store_options) {
  auto clock_micros = std::make_shared<int64_t>(0);
  store::BookOptions options;
  options.store = store_options;
  options.ledger.currency = currency;
  options.ledger.bootstrap_admin = kBookAdmin;
  options.ledger.clock_micros = [clock_micros] {
    return *clock_micros != 0 ? *clock_micros : NowMicros();
  };
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::Book> book,
                          store::Book::Open(UriOf(path), std::move(options)));
  return OpenedBook(std::move(book), std::move(clock_micros), path);
}

}  // namespace

OpenedBook::OpenedBook(std::unique_ptr<store::Book> book, std::shared_ptr<int64_t> clock_micros,
                       std::string path)
    : book_(std::move(book)),
      clock_micros_(std::move(clock_micros)),
      path_(std::move(path)),
      entries_at_open_(book_->store().size()) {}

absl::Status OpenedBook::Close() {
  if (book_->store().size() >= entries_at_open_ + kSnapshotAfterEntries) {
    UPKEEP_RETURN_IF_ERROR(book_->Snapshot().status());
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
  {  // The book knows its currency; read it before opening the ledger in it.
    UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> peek,
                            store::OpenStore(UriOf(args.path), store_options));
    UPKEEP_ASSIGN_OR_RETURN(stored_currency, peek->GetProperty("currency"));
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
  return Open(args.path, currency, store_options);
}

absl::StatusOr<OpenedBook> CreateBook(const std::string& path, Currency currency,
                                      Durability durability) {
  std::error_code error;
  if (path != "memory:" && std::filesystem::exists(path, error)) {
    return MakeError(ErrorCode::kAlreadyExists, path + " exists; choose another --book PATH");
  }
  store::StoreOptions store_options;
  if (durability == Durability::kGroup) store_options.durability = store::Durability::kGroupCommit;
  return Open(path, currency, store_options);
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
