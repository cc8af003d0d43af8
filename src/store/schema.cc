#include "store/schema.h"

#include "base/status_macros.h"
#include "ledger/text.h"
#include "upkeep/ledger/event.h"
#include "upkeep/status.h"

namespace upkeep::store {
namespace {

using ledger::StrCat;

// Version 1: the journal, its snapshots, and the book's metadata.
constexpr char kVersion1[] = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value ANY) WITHOUT ROWID;
CREATE TABLE journal(
  seq   INTEGER PRIMARY KEY,  -- 0, 1, 2, ... with no gaps
  kind  INTEGER NOT NULL,     -- upkeep::ledger::EventKind
  bytes BLOB NOT NULL,        -- the encoded event (upkeep/ledger/event.h)
  hash  BLOB NOT NULL         -- SHA-256(hash of seq - 1 || bytes); 32 zero bytes before seq 0
);
CREATE TABLE snapshots(
  seq          INTEGER PRIMARY KEY,  -- the snapshot covers journal entries [0, seq)
  head_hash    BLOB NOT NULL,        -- journal.hash of entry seq - 1
  checksum     BLOB NOT NULL,        -- SHA-256 of bytes
  taken_micros INTEGER NOT NULL,
  bytes        BLOB NOT NULL         -- upkeep::ledger::Ledger::WriteSnapshot
);
)sql";

// Version 2: names for the shell, and tables that show the book's contents as of its latest
// snapshot (filled when a snapshot is taken).
constexpr char kVersion2[] = R"sql(
CREATE TABLE event_kinds(kind INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW journal_entries AS
  SELECT j.seq, k.name AS kind, length(j.bytes) AS size_bytes, hex(j.hash) AS hash
  FROM journal AS j LEFT JOIN event_kinds AS k USING (kind);
CREATE TABLE customers(id TEXT PRIMARY KEY, tier TEXT, owner TEXT, region TEXT,
                       defined_seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE policy_versions(version INTEGER PRIMARY KEY, document TEXT NOT NULL,
                             set_by TEXT, seq INTEGER NOT NULL);
CREATE TABLE balances(scope TEXT PRIMARY KEY, budget_minor INTEGER, reserved_minor INTEGER,
                      spent_minor INTEGER, available_minor INTEGER, budget_version INTEGER,
                      as_of_seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE reservations(op_id TEXT PRIMARY KEY, scope TEXT, amount_minor INTEGER,
                          status TEXT, posted_minor INTEGER, actor TEXT,
                          seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE approvals(approval_id TEXT PRIMARY KEY, scope TEXT, amount_minor INTEGER,
                       status TEXT, requester TEXT, decided_by TEXT,
                       seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE feedback(id TEXT PRIMARY KEY, customer TEXT, body TEXT, seq INTEGER)
  WITHOUT ROWID;
CREATE TABLE alerts(id TEXT PRIMARY KEY, scope TEXT, body TEXT, seq INTEGER) WITHOUT ROWID;
)sql";

// Version 3: the readable tables filled (docs/store.md: when and from what). The version-2
// placeholders were always empty; they are replaced by the tables below. decisions is new.
// feedback and alerts stay as they were.
constexpr char kVersion3[] = R"sql(
DROP TABLE customers;
DROP TABLE policy_versions;
DROP TABLE balances;
DROP TABLE reservations;
DROP TABLE approvals;
CREATE TABLE customers(
  id          TEXT PRIMARY KEY,
  tier        TEXT NOT NULL,
  owner       TEXT NOT NULL,     -- the account manager's actor id, or ''
  region      TEXT NOT NULL,     -- or ''
  defined_seq INTEGER NOT NULL   -- the journal entry that defined it
) WITHOUT ROWID;
CREATE TABLE policy_versions(
  version    INTEGER PRIMARY KEY,  -- 1, 2, ...
  document   TEXT NOT NULL,        -- the policy document (JSON)
  set_by     TEXT NOT NULL,
  set_micros INTEGER NOT NULL,
  seq        INTEGER NOT NULL
);
CREATE TABLE balances(
  scope_id        INTEGER PRIMARY KEY,  -- the ledger's ScopeId
  period          TEXT NOT NULL,
  level           TEXT NOT NULL,        -- company, tier, customer, owner, region
  key             TEXT NOT NULL,        -- '' for the company
  category        TEXT NOT NULL,
  budget_minor    INTEGER NOT NULL,
  reserved_minor  INTEGER NOT NULL,
  spent_minor     INTEGER NOT NULL,
  available_minor INTEGER NOT NULL,
  budget_version  INTEGER NOT NULL
);
CREATE TABLE reservations(
  op_id          TEXT PRIMARY KEY,
  period         TEXT NOT NULL,
  customer       TEXT NOT NULL,
  category       TEXT NOT NULL,
  amount_minor   INTEGER NOT NULL,
  status         TEXT NOT NULL,     -- open, posted, voided, expired
  posted_minor   INTEGER NOT NULL,
  refunded_minor INTEGER NOT NULL,
  expiry_micros  INTEGER NOT NULL,  -- 0: never
  actor          TEXT NOT NULL,
  reserved_seq   INTEGER NOT NULL,
  resolved_seq   INTEGER            -- NULL while open
) WITHOUT ROWID;
CREATE TABLE approvals(
  approval_id   TEXT PRIMARY KEY,   -- the op id of the request that needs approval
  request       TEXT NOT NULL,      -- reserve or spend
  period        TEXT NOT NULL,
  customer      TEXT NOT NULL,
  category      TEXT NOT NULL,
  amount_minor  INTEGER NOT NULL,
  status        TEXT NOT NULL,      -- pending, granted, rejected, withdrawn
  requester     TEXT NOT NULL,
  decided_by    TEXT,
  reason        TEXT,
  requested_seq INTEGER NOT NULL,
  decided_seq   INTEGER
) WITHOUT ROWID;
CREATE TABLE decisions(
  seq     INTEGER PRIMARY KEY,  -- the journal entry that applied it
  op_id   TEXT NOT NULL,
  request TEXT NOT NULL,        -- reserve or spend
  outcome TEXT NOT NULL,        -- approve, approve with warning, needs approval
  reasons TEXT NOT NULL         -- JSON array of the reasons journaled with it
);
CREATE INDEX decisions_by_op ON decisions(op_id);
INSERT OR REPLACE INTO meta VALUES('tables_seq', 0);
)sql";

// Version 4: the feedback and alerts tables get their columns and are filled (Store::PutRecords;
// docs/store.md). The version-2 placeholders were always empty.
constexpr char kVersion4[] = R"sql(
DROP TABLE feedback;
DROP TABLE alerts;
CREATE TABLE feedback(
  seq         INTEGER PRIMARY KEY,   -- the order kept: 1, 2, ...
  id          TEXT NOT NULL UNIQUE,  -- the record's id
  kind        TEXT NOT NULL,         -- outcome, customer, account_manager, manager
  customer    TEXT NOT NULL,
  period      TEXT NOT NULL,
  body        TEXT NOT NULL,         -- the record (JSON)
  kept_micros INTEGER NOT NULL
);
CREATE INDEX feedback_by_customer ON feedback(customer, period);
CREATE TABLE alerts(
  seq         INTEGER PRIMARY KEY,   -- the order kept: 1, 2, ...
  id          TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,         -- the alert kind (threshold, pace, ...)
  scope       TEXT NOT NULL,         -- "FY2026/customer:C1/gift"
  period      TEXT NOT NULL,
  body        TEXT NOT NULL,         -- the alert (JSON)
  kept_micros INTEGER NOT NULL
);
CREATE INDEX alerts_by_period ON alerts(period);
)sql";

// Version 5: the journal is kept in blocks of consecutive entries, one row per block
// (store/journal_blocks.h), so a commit pays SQLite's cost per row once per block. Each entry
// of a version-4 book becomes a block of one. journal_entries still lists entries one by one.
constexpr char kVersion5[] = R"sql(
CREATE TABLE journal_blocks(
  first_seq INTEGER PRIMARY KEY,  -- the seq of its first entry; the blocks follow with no gaps
  entries   TEXT NOT NULL,        -- JSON array: [kind, size_bytes] of each entry, in order
  bytes     BLOB NOT NULL,        -- the encoded entries (upkeep/ledger/event.h) back to back
  hashes    BLOB NOT NULL         -- 32 bytes per entry: SHA-256(hash of seq - 1 || entry)
);
INSERT INTO journal_blocks(first_seq, entries, bytes, hashes)
  SELECT seq, json_array(json_array(kind, length(bytes))), bytes, hash FROM journal ORDER BY seq;
DROP VIEW journal_entries;
DROP TABLE journal;
CREATE VIEW journal_entries AS
  SELECT b.first_seq + e.key AS seq, k.name AS kind, e.value ->> 1 AS size_bytes,
         hex(substr(b.hashes, 32 * e.key + 1, 32)) AS hash
  FROM journal_blocks AS b, json_each(b.entries) AS e
  LEFT JOIN event_kinds AS k ON k.kind = e.value ->> 0;
)sql";

// Version 6: meta becomes a rowid table (its key index beside it), with no type affinity.
// - In the WITHOUT ROWID table a large value (the saved follower, megabytes) sat in the key's
//   b-tree, and SQLite read the whole record to compare a key with it; in a rowid table a value
//   is read only when asked for, and a property straight into its reader's buffer (ReadBlob).
// - `value ANY` had NUMERIC affinity: a property whose text looked like a number was kept as
//   one ("1e5" read back as "100000", "0042" as "42"). Such values are turned back into text
//   here (what they were is lost); new ones are kept as written.
// A user's views over meta are kept (legacy_alter_table: the rename does not re-check them while
// meta is missing); triggers on it go with the old table.
constexpr char kVersion6[] = R"sql(
CREATE TABLE meta_by_rowid(key TEXT PRIMARY KEY NOT NULL, value);
INSERT INTO meta_by_rowid(key, value)
  SELECT key, CASE WHEN key GLOB 'property.*' AND typeof(value) IN ('integer', 'real')
                   THEN CAST(value AS TEXT) ELSE value END
  FROM meta;
PRAGMA legacy_alter_table = ON;
DROP TABLE meta;
ALTER TABLE meta_by_rowid RENAME TO meta;
PRAGMA legacy_alter_table = OFF;
)sql";

// Version 7: a new block keeps the first 8 bytes of the chain hash after each entry but its last
// and the whole hash after the last (store/journal_blocks.h), a quarter of the hash bytes per
// entry; the blocks already written keep a whole hash per entry and are read as they are.
// journal_entries shows what is kept: the whole hash, or the 8-byte tag.
constexpr char kVersion7[] = R"sql(
DROP VIEW journal_entries;
CREATE VIEW journal_entries AS
  SELECT b.first_seq + e.key AS seq, k.name AS kind, e.value ->> 1 AS size_bytes,
         hex(CASE WHEN length(b.hashes) = 32 * b.n THEN substr(b.hashes, 32 * e.key + 1, 32)
                  WHEN e.key + 1 = b.n THEN substr(b.hashes, -32)
                  ELSE substr(b.hashes, 8 * e.key + 1, 8) END) AS hash
  FROM (SELECT first_seq, entries, hashes, json_array_length(entries) AS n
        FROM journal_blocks ORDER BY first_seq LIMIT -1) AS b,  -- counted once a block
       json_each(b.entries) AS e
  LEFT JOIN event_kinds AS k ON k.kind = e.value ->> 0;
)sql";

constexpr const char* kMigrations[kSchemaVersion] = {kVersion1, kVersion2, kVersion3, kVersion4,
                                                     kVersion5, kVersion6, kVersion7};

absl::Status FillEventKinds(SqliteDb& db) {
  UPKEEP_ASSIGN_OR_RETURN(Statement insert,
                          db.Prepare("INSERT OR REPLACE INTO event_kinds VALUES(?1, ?2)"));
  for (int kind = 1; kind < 256; ++kind) {
    const std::string_view name = ledger::EventKindName(static_cast<ledger::EventKind>(kind));
    if (name.empty() || name == "unknown") continue;
    insert.BindInt(1, kind);
    insert.BindText(2, name);
    UPKEEP_RETURN_IF_ERROR(insert.Run("fill event_kinds"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> StoredVersion(SqliteDb& db) {
  UPKEEP_ASSIGN_OR_RETURN(const int64_t application_id, db.PragmaInt("application_id"));
  UPKEEP_ASSIGN_OR_RETURN(Statement tables, db.Prepare("SELECT count(*) FROM sqlite_master"));
  UPKEEP_ASSIGN_OR_RETURN(const bool counted, tables.Step("read the schema"));
  if (counted && tables.ColumnInt(0) == 0 && application_id == 0) return 0;
  if (application_id != kApplicationId) {
    return MakeError(
        ErrorCode::kCorrupt,
        StrCat("sqlite:", db.path(), ": not an upkeep book (application_id ", application_id, ")"));
  }
  UPKEEP_ASSIGN_OR_RETURN(Statement version,
                          db.Prepare("SELECT value FROM meta WHERE key = 'schema_version'"));
  UPKEEP_ASSIGN_OR_RETURN(const bool found, version.Step("read meta.schema_version"));
  if (!found) {
    return MakeError(ErrorCode::kCorrupt,
                     StrCat("sqlite:", db.path(), ": meta.schema_version is missing"));
  }
  return version.ColumnInt(0);
}

}  // namespace

absl::Status Migrate(SqliteDb& db, int from, int to) {
  for (int version = from; version < to; ++version) {
    UPKEEP_RETURN_IF_ERROR(
        db.Exec(kMigrations[version], StrCat("migrate to version ", version + 1)));
  }
  return absl::OkStatus();
}

absl::Status PrepareSchema(SqliteDb& db, std::string_view created_by) {
  UPKEEP_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE", "begin the schema check"));
  absl::Status status = [&]() -> absl::Status {
    UPKEEP_ASSIGN_OR_RETURN(const int64_t version, StoredVersion(db));
    if (version > kSchemaVersion) {
      return MakeError(ErrorCode::kUnsupportedVersion,
                       StrCat("sqlite:", db.path(), ": the book has schema version ", version,
                              ", newer than the ", kSchemaVersion, " this upkeep reads"));
    }
    if (version == kSchemaVersion) return absl::OkStatus();
    UPKEEP_RETURN_IF_ERROR(Migrate(db, static_cast<int>(version), kSchemaVersion));
    UPKEEP_RETURN_IF_ERROR(FillEventKinds(db));
    UPKEEP_ASSIGN_OR_RETURN(Statement meta,
                            db.Prepare("INSERT OR REPLACE INTO meta VALUES(?1, ?2)"));
    if (version == 0) {
      meta.BindText(1, "created_by");
      meta.BindText(2, created_by);
      UPKEEP_RETURN_IF_ERROR(meta.Run("write meta.created_by"));
    }
    meta.BindText(1, "schema_version");
    meta.BindInt(2, kSchemaVersion);
    UPKEEP_RETURN_IF_ERROR(meta.Run("write meta.schema_version"));
    return db.Exec(StrCat("PRAGMA application_id = ", kApplicationId,
                          "; PRAGMA user_version = ", kSchemaVersion)
                       .c_str(),
                   "mark the book");
  }();
  if (!status.ok()) {
    db.Exec("ROLLBACK", "roll back the schema change").IgnoreError();
    return status;
  }
  return db.Exec("COMMIT", "commit the schema");
}

}  // namespace upkeep::store
