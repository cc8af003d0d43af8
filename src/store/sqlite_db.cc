#include "store/sqlite_db.h"

#include <utility>

#include "base/status_macros.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::store {
namespace {

using ledger::StrCat;

ErrorCode CodeOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kBusy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kCorrupt;
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return ErrorCode::kIo;
    default:
      return ErrorCode::kInternal;
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::BindInt(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

namespace {

// The bytes of `view`, never a null pointer.
const char* NonNull(std::string_view view) { return view.data() != nullptr ? view.data() : ""; }

}  // namespace

void Statement::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, NonNull(bytes), bytes.size(), SQLITE_STATIC);
}

void Statement::BindText(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, NonNull(text), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

absl::StatusOr<bool> Statement::Step(std::string_view what) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  absl::Status error = db_->Error(rc, what);
  sqlite3_reset(stmt_);
  return error;
}

absl::Status Statement::Run(std::string_view what) {
  absl::StatusOr<bool> row = Step(what);
  while (row.ok() && *row) row = Step(what);
  Reset();
  return row.status();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string_view Statement::ColumnBlob(int index) const {
  const void* data = sqlite3_column_blob(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  if (data == nullptr) return {};
  return std::string_view(static_cast<const char*>(data), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

absl::StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteDb> out(new SqliteDb(db, path));
  if (rc != SQLITE_OK) return out->Error(rc, "open");
  sqlite3_extended_result_codes(db, 1);
  return out;
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

absl::StatusOr<Statement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, StrCat("prepare \"", sql, "\""));
  return Statement(this, stmt);
}

absl::Status SqliteDb::PrepareInto(Statement* out, std::string_view sql) {
  absl::StatusOr<Statement> prepared = Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  *out = *std::move(prepared);
  return absl::OkStatus();
}

absl::Status SqliteDb::Exec(const char* sql, std::string_view what) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? absl::OkStatus() : Error(rc, what);
}

absl::StatusOr<int64_t> SqliteDb::PragmaInt(std::string_view name) {
  UPKEEP_ASSIGN_OR_RETURN(Statement query, Prepare(StrCat("PRAGMA ", name)));
  UPKEEP_ASSIGN_OR_RETURN(const bool row, query.Step(StrCat("read PRAGMA ", name)));
  return row ? query.ColumnInt(0) : 0;
}

absl::Status SqliteDb::ReadBlob(const char* table, const char* column, int64_t rowid,
                                std::string* out) {
  sqlite3_blob* blob = nullptr;
  int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 0, &blob);
  if (rc == SQLITE_OK) {
    out->resize(static_cast<size_t>(sqlite3_blob_bytes(blob)));
    rc = sqlite3_blob_read(blob, out->data(), static_cast<int>(out->size()), 0);
  }
  // The message is taken before the close, which may replace it.
  absl::Status read =
      rc == SQLITE_OK ? absl::OkStatus() : Error(rc, StrCat("read ", table, ".", column));
  sqlite3_blob_close(blob);
  return read;
}

absl::Status SqliteDb::OverwriteBlob(const char* table, const char* column, int64_t rowid,
                                     std::string_view bytes) {
  sqlite3_blob* blob = nullptr;
  int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 1, &blob);
  const int size = rc == SQLITE_OK ? sqlite3_blob_bytes(blob) : 0;
  const bool fits = static_cast<size_t>(size) == bytes.size();
  if (rc == SQLITE_OK && fits) rc = sqlite3_blob_write(blob, bytes.data(), size, 0);
  // The message is taken before the close, which may replace it.
  absl::Status written =
      rc == SQLITE_OK ? absl::OkStatus() : Error(rc, StrCat("write ", table, ".", column));
  sqlite3_blob_close(blob);
  UPKEEP_RETURN_IF_ERROR(written);
  if (!fits) {
    return MakeError(ErrorCode::kInvalidArgument, StrCat("write ", table, ".", column, ": ",
                                                         bytes.size(), " bytes into ", size));
  }
  return absl::OkStatus();
}

absl::Status SqliteDb::Error(int rc, std::string_view what) const {
  const char* detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  std::string message = StrCat("sqlite:", path_, ": ", what, ": ", detail);
  if ((rc & 0xff) == SQLITE_FULL) message += " (disk full)";
  return MakeError(CodeOf(rc), message);
}

bool SqliteDb::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }

}  // namespace upkeep::store
