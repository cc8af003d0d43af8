// store/kept_records.h: the records a store keeps beside its journal (feedback, alerts; see
// store.h), as both stores check them and as SQLite holds them (internal).
//
// PlanPut sorts a PutRecords batch out against what a table keeps, so both stores give the
// same answers: the records to add (in order, exact repeats once), how many are kept already,
// and the errors of store.h (kInvalidArgument, kIdempotencyConflict naming the id).
// RecordRows reads and writes the feedback and alerts tables of a SQLite book (docs/store.md);
// the caller holds the connection and the transaction.
//
// Thread safety: none; used under the store's lock.
#ifndef UPKEEP_SRC_STORE_KEPT_RECORDS_H_
#define UPKEEP_SRC_STORE_KEPT_RECORDS_H_

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/sqlite_db.h"
#include "upkeep/store/store.h"

namespace upkeep::store {

struct PutPlan {
  std::vector<const KeptRecord*> to_add;
  size_t unchanged = 0;
};

// `find(id)`: the record `table` keeps under `id`, if any.
absl::StatusOr<PutPlan> PlanPut(
    std::string_view uri, RecordTable table, std::span<const KeptRecord> records,
    absl::FunctionRef<absl::StatusOr<std::optional<KeptRecord>>(std::string_view id)> find);

class RecordRows {
 public:
  static absl::StatusOr<RecordRows> Prepare(SqliteDb& db);

  absl::StatusOr<std::optional<KeptRecord>> Find(RecordTable table, std::string_view id);
  absl::Status Insert(RecordTable table, const KeptRecord& record, int64_t kept_micros);
  absl::Status ForEach(RecordTable table, absl::FunctionRef<absl::Status(const KeptRecord&)> fn);

 private:
  struct Statements {
    Statement find, insert, scan;
  };
  explicit RecordRows(std::array<Statements, 2> st) : st_(std::move(st)) {}
  Statements& Of(RecordTable table) { return st_[static_cast<size_t>(table)]; }

  std::array<Statements, 2> st_;
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_KEPT_RECORDS_H_
