// cli/book_access.h: opening the book a command works on.
//
// A book is a SQLite file (store/book.h); the commands name it with `--book PATH` (default
// `upkeep.db` in the current folder). OpenBook opens an existing book in the currency it was
// created with (read from the book, so commands need no --currency); CreateBook makes a new one
// and refuses to overwrite a file. The ledger's clock is the command's: SetTime stamps the
// operations that follow (an import stamps each row with its date), else the system clock.
// Close takes a snapshot when the command wrote many journal entries (a long import also takes
// one every million, SnapshotIfDue), so that the next command opens the book without replaying
// them, and saves with it what the command line derives from the journal (the directory and the
// monitor's facts, book_follower.h), so that the next command reads them without replaying the
// journal either. The book takes no snapshots of its own (BookOptions.snapshot_every_events 0).
//
//   BookArguments args;            // filled by AddBookOption
//   UPKEEP_ASSIGN_OR_RETURN(OpenedBook opened, OpenBook(args));
//   opened.ledger().Reserve(...);
//   UPKEEP_RETURN_IF_ERROR(opened.Close());
//
// Errors: kNotFound (no book at the path), kCurrencyMismatch (--currency differs from the
// book's), kAlreadyExists (CreateBook on an existing file), and the store's (kBusy, kIo,
// kCorrupt, ...).
// Ownership: an OpenedBook owns its book. Thread safety: one command, one thread.
#ifndef UPKEEP_CLI_BOOK_ACCESS_H_
#define UPKEEP_CLI_BOOK_ACCESS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "book_directory.h"
#include "book_follower.h"
#include "upkeep/currency.h"
#include "upkeep/monitor/facts.h"
#include "upkeep/store.h"

namespace upkeep::cli {

// The admin the book was created with; commands act as it unless --actor says otherwise.
inline constexpr const char* kBookAdmin = "admin";
// The page size of the books CreateBook makes (store::StoreOptions::new_book_page_bytes).
inline constexpr uint32_t kBookPageBytes = 16384;

struct BookArguments {
  std::string path = "upkeep.db";
  std::string currency;  // empty: the book's; otherwise it must be the book's
};

// Adds `--book PATH` and `--currency CODE` to `command`.
void AddBookOption(CLI::App& command, BookArguments& args);

class OpenedBook {
 public:
  // When Close saves the follower, besides with a snapshot.
  enum class FollowerSave : uint8_t {
    kIfRebuilt,  // when it did not continue the journal and was rebuilt
    kAlways,     // the book has none yet (a new book)
    // Also as it is (caught up with the journal, every scope named), for the next reader to
    // read without the ledger (OpenBookToRead); a failure to save it is not the command's.
    kForNextReader,
  };

  // `follower` observes the ledger of `book` (it was among its observers when it opened).
  OpenedBook(std::unique_ptr<BookFollower> follower, std::unique_ptr<store::Book> book,
             std::shared_ptr<int64_t> clock_micros, std::string path, FollowerSave save);
  // A book read through its follower alone (OpenBookToRead): `follower` is current on `store`
  // and names every scope; there is no ledger.
  OpenedBook(std::unique_ptr<BookFollower> follower, std::unique_ptr<store::Store> store,
             Currency currency, std::string path);

  // Journal entries written since the last snapshot before a Close snapshots the book.
  static constexpr uint64_t kSnapshotAfterEntries = 1000;
  // Journal entries written since the last snapshot before SnapshotIfDue takes one.
  static constexpr uint64_t kSnapshotEveryEntries = 1'000'000;

  // Whether the ledger was opened: always, except for OpenBookToRead's book read through its
  // follower alone, whose book() and ledger() must not be called (they abort).
  bool has_ledger() const { return book_ != nullptr; }
  store::Book& book();
  ledger::Ledger& ledger() { return book().ledger(); }
  store::Store& store() { return book_ != nullptr ? book_->store() : *store_; }
  const std::string& path() const { return path_; }
  Currency currency() const { return currency_; }

  // What the book has defined, and the monitor's facts (book_follower.h), up to the last
  // operation; read from the state saved in the book and the journal after it, or, when that
  // state does not continue this journal, by replaying the whole journal (once per command).
  // The pointer is valid as long as the OpenedBook (moves included).
  absl::StatusOr<BookDirectory> Directory();
  absl::StatusOr<const monitor::Facts*> Facts();

  // For a command about to apply about `count` operations, most of them spends (an import):
  // makes room for them in the ledger (Ledger::ReserveOperations) and in the follower's facts
  // in one step each, instead of growing both on the way.
  void ExpectOperations(size_t count);

  // The time of the ledger operations that follow; 0 goes back to the system clock.
  void SetTime(int64_t time_micros) { *clock_micros_ = time_micros; }
  // For long commands (an import): at a point where the book may be snapshotted, snapshots
  // it (and saves the follower) when kSnapshotEveryEntries entries were written since the last
  // snapshot, so that reopening after a crash replays at most about that many.
  absl::Status SnapshotIfDue();
  // Commits what waits (group commit), snapshots if kSnapshotAfterEntries were written since
  // the last snapshot (and then saves the follower), and closes the book.
  absl::Status Close();

 private:
  // Rebuilds the follower from the journal when it is not current.
  absl::Status Follow();
  // Snapshots the book and saves the follower.
  absl::Status Snapshot();
  // Commits, names every scope the follower knows, and returns the chain hash after the entries
  // it covers: what the saved follower is checked against. nullopt when there is nothing to save
  // (the follower is not current, or the book is not a file).
  absl::StatusOr<std::optional<ledger::Digest>> FollowerHead();
  // Writes `saved` (BookFollower::Save) into the book.
  absl::Status WriteFollower(const std::string& saved);
  // FollowerHead, then the follower saved with it.
  absl::Status SaveFollower();

  std::unique_ptr<BookFollower> follower_;  // declared first: it outlives the book's ledger
  // Save the follower at Close even without a snapshot: it is new (a new book) or rebuilt.
  bool save_follower_ = false;
  bool save_for_reader_ = false;  // FollowerSave::kForNextReader
  std::unique_ptr<store::Book> book_;
  std::unique_ptr<store::Store> store_;  // without book_: the store read through the follower
  Currency currency_;
  std::shared_ptr<int64_t> clock_micros_;
  std::string path_;
  uint64_t entries_at_snapshot_ = 0;  // the entries at open, or the last snapshot's
};

enum class Durability { kEachOperation, kGroup };

// The existing book at args.path.
absl::StatusOr<OpenedBook> OpenBook(const BookArguments& args,
                                    Durability durability = Durability::kEachOperation);

// The existing book at args.path, to read what the follower knows (Directory, Facts) and the
// book's settings: when the saved follower covers the whole journal and names every scope, the
// ledger is not opened (no snapshot is loaded and nothing replayed: it answers at once however
// long the journal is), else as OpenBook, and then Close saves the follower caught up with the
// journal, for the next reader. Only ledger-free readers use it (reports of budgets and use);
// has_ledger() says which it is.
absl::StatusOr<OpenedBook> OpenBookToRead(const BookArguments& args);

// A new book at `path` ("memory:" for one that lives as long as the process) in `currency`,
// a SQLite file of kBookPageBytes pages; kAlreadyExists if the file exists.
absl::StatusOr<OpenedBook> CreateBook(const std::string& path, Currency currency,
                                      Durability durability = Durability::kEachOperation);

// Removes the book file at `path` and its companions (-wal, -shm, -journal, -lock).
absl::Status RemoveBookFiles(const std::string& path);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_ACCESS_H_
