// cli/book_access.h: opening the book a command works on.
//
// A book is a SQLite file (store/book.h); the commands name it with `--book PATH` (default
// `upkeep.db` in the current folder). OpenBook opens an existing book in the currency it was
// created with (read from the book, so commands need no --currency); CreateBook makes a new one
// and refuses to overwrite a file. The ledger's clock is the command's: SetTime stamps the
// operations that follow (an import stamps each row with its date), else the system clock.
// Close takes a snapshot when the command wrote many journal entries, so that the next command
// opens the book without replaying them, and saves with it what the command line derives from
// the journal (the directory and the monitor's facts, book_follower.h), so that the next
// command reads them without replaying the journal either.
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

struct BookArguments {
  std::string path = "upkeep.db";
  std::string currency;  // empty: the book's; otherwise it must be the book's
};

// Adds `--book PATH` and `--currency CODE` to `command`.
void AddBookOption(CLI::App& command, BookArguments& args);

class OpenedBook {
 public:
  // `follower` observes the ledger of `book` (it was among its observers when it opened);
  // `new_follower`: the book has no saved one yet (a new book), so Close saves it.
  OpenedBook(std::unique_ptr<BookFollower> follower, std::unique_ptr<store::Book> book,
             std::shared_ptr<int64_t> clock_micros, std::string path, bool new_follower);

  // Journal entries written before a Close snapshots the book.
  static constexpr uint64_t kSnapshotAfterEntries = 1000;

  store::Book& book() { return *book_; }
  ledger::Ledger& ledger() { return book_->ledger(); }
  store::Store& store() { return book_->store(); }
  const std::string& path() const { return path_; }
  Currency currency() const { return book_->ledger().currency(); }

  // What the book has defined, and the monitor's facts (book_follower.h), up to the last
  // operation; read from the state saved in the book and the journal after it, or, when that
  // state does not continue this journal, by replaying the whole journal (once per command).
  // The pointer is valid as long as the OpenedBook (moves included).
  absl::StatusOr<BookDirectory> Directory();
  absl::StatusOr<const monitor::Facts*> Facts();

  // The time of the ledger operations that follow; 0 goes back to the system clock.
  void SetTime(int64_t time_micros) { *clock_micros_ = time_micros; }
  // Commits what waits (group commit), snapshots if due (and then saves the follower), and
  // closes the book.
  absl::Status Close();

 private:
  // Rebuilds the follower from the journal when it is not current.
  absl::Status Follow();

  std::unique_ptr<BookFollower> follower_;  // declared first: it outlives the book's ledger
  // Save the follower at Close even without a snapshot: it is new (a new book) or rebuilt.
  bool save_follower_ = false;
  std::unique_ptr<store::Book> book_;
  std::shared_ptr<int64_t> clock_micros_;
  std::string path_;
  uint64_t entries_at_open_ = 0;
};

enum class Durability { kEachOperation, kGroup };

// The existing book at args.path.
absl::StatusOr<OpenedBook> OpenBook(const BookArguments& args,
                                    Durability durability = Durability::kEachOperation);

// A new book at `path` ("memory:" for one that lives as long as the process) in `currency`;
// kAlreadyExists if the file exists.
absl::StatusOr<OpenedBook> CreateBook(const std::string& path, Currency currency,
                                      Durability durability = Durability::kEachOperation);

// Removes the book file at `path` and its companions (-wal, -shm, -journal, -lock).
absl::Status RemoveBookFiles(const std::string& path);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_ACCESS_H_
