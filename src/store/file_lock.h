// store/file_lock.h: the one-writer lock of a book file (internal).
//
// A book has one writer at a time. The writer holds an exclusive flock(2) on "<book>-lock" for as
// long as it is open; a second writer, in this process or another, gets kBusy at once instead of
// waiting or interleaving commits. The kernel drops the lock when the process dies (even by
// SIGKILL), so a crash never leaves a stale lock behind. The lock is a separate file because
// closing any descriptor of the book file itself would drop the POSIX locks SQLite holds on it.
// Readers (the sqlite3 shell) never take it.
//
//   UPKEEP_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire("/data/book.db-lock"));
//
// Thread safety: a FileLock is owned by one object; it is movable, not copyable.
#ifndef UPKEEP_SRC_STORE_FILE_LOCK_H_
#define UPKEEP_SRC_STORE_FILE_LOCK_H_

#include <string>

#include "absl/status/statusor.h"

namespace upkeep::store {

class FileLock {
 public:
  // Locks `path`, creating it if needed. kBusy when another writer holds it; kIo (naming the
  // path) when it cannot be opened or created.
  static absl::StatusOr<FileLock> Acquire(const std::string& path);

  FileLock() = default;
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_FILE_LOCK_H_
