// store/sqlite_db.h: a thin RAII layer over one SQLite connection and its statements (internal).
//
// Every SQLite result code becomes an upkeep status that names the book's path and what was
// being done: SQLITE_BUSY/LOCKED -> kBusy, SQLITE_CORRUPT/NOTADB -> kCorrupt, SQLITE_FULL,
// SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM -> kIo, anything else -> kInternal.
//
//   UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path, flags));
//   UPKEEP_ASSIGN_OR_RETURN(Statement insert, db->Prepare("INSERT INTO t VALUES(?1)"));
//   insert.BindInt(1, 42);
//   UPKEEP_RETURN_IF_ERROR(insert.Run("insert into t"));
//
// Thread safety: none; the owner serialises access (SqliteStore holds a mutex).
#ifndef UPKEEP_SRC_STORE_SQLITE_DB_H_
#define UPKEEP_SRC_STORE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace upkeep::store {

class SqliteDb;

// One prepared statement; Reset() after each use so it can be bound again.
class Statement {
 public:
  Statement() = default;
  Statement(SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  void BindInt(int index, int64_t value);
  // Not copied: the bytes must stay until the statement is reset. An empty view binds an empty
  // value, never NULL (SQLite takes a null pointer for NULL).
  void BindBlob(int index, std::string_view bytes);
  void BindText(int index, std::string_view text);
  // Steps once: true with a row, false when done; an error names `what`.
  absl::StatusOr<bool> Step(std::string_view what);
  // Steps to the end (a statement without rows) and resets.
  absl::Status Run(std::string_view what);
  void Reset();

  int64_t ColumnInt(int index) const;
  // Valid until the next Step or Reset.
  std::string_view ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  SqliteDb* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` (SQLITE_OPEN_*).
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path, int flags);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  absl::StatusOr<Statement> Prepare(std::string_view sql);
  // Prepare into `*out` (for filling a struct of statements).
  absl::Status PrepareInto(Statement* out, std::string_view sql);
  // Runs one or more statements without results.
  absl::Status Exec(const char* sql, std::string_view what);
  // The integer value of `PRAGMA name` (0 when the pragma gives no row). `name` is pasted into
  // the SQL as it is: a constant of the caller's, never input.
  absl::StatusOr<int64_t> PragmaInt(std::string_view name);
  // Reads the blob in `column` of row `rowid` of `table` straight into `out` (no copy through
  // SQLite's own buffer: for large blobs such as snapshots).
  absl::Status ReadBlob(const char* table, const char* column, int64_t rowid, std::string* out);
  // Overwrites the blob in `column` of row `rowid` of `table` with `bytes`, which must be as
  // long as it (kInvalidArgument otherwise). In place: an UPDATE would write the whole row
  // again, large blobs beside it included.
  absl::Status OverwriteBlob(const char* table, const char* column, int64_t rowid,
                             std::string_view bytes);
  // The status for result code `rc` while doing `what`, with SQLite's message.
  absl::Status Error(int rc, std::string_view what) const;
  bool read_only() const;
  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_SQLITE_DB_H_
