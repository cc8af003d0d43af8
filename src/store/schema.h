// store/schema.h: the tables of a SQLite book, their version, and forward migrations (internal).
//
// docs/store.md documents every table for sqlite3 shell users. The version lives in
// meta.schema_version (and PRAGMA user_version); PRAGMA application_id marks the file as a book.
// Each migration takes a book from version v to v + 1; opening an older book runs the missing
// ones in one transaction. A book from a newer version is refused with kUnsupportedVersion.
//
//   UPKEEP_RETURN_IF_ERROR(PrepareSchema(db, "upkeep 0.1.0"));
//
// Thread safety: none; called once while a store opens.
#ifndef UPKEEP_SRC_STORE_SCHEMA_H_
#define UPKEEP_SRC_STORE_SCHEMA_H_

#include <string_view>

#include "absl/status/status.h"
#include "store/sqlite_db.h"

namespace upkeep::store {

// The schema version this build writes.
inline constexpr int kSchemaVersion = 7;
// PRAGMA application_id of a book: "UPKP".
inline constexpr int kApplicationId = 0x55504b50;

// Creates the schema in an empty file, or migrates an older book to kSchemaVersion.
// kUnsupportedVersion for a newer book; kCorrupt for a SQLite file that is not a book.
absl::Status PrepareSchema(SqliteDb& db, std::string_view created_by);

// Runs the migrations from version `from` up to `to` on `db` (in the caller's transaction);
// version 0 is an empty file. Exposed for the migration tests.
absl::Status Migrate(SqliteDb& db, int from, int to);

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_SCHEMA_H_
