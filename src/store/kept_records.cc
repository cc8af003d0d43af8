#include "store/kept_records.h"

#include <string>

#include "absl/container/flat_hash_map.h"
#include "base/status_macros.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::store {
namespace {

using ledger::StrCat;

// The column that names a record's subject, per table.
constexpr std::array<std::string_view, 2> kSubjectColumn = {"customer", "scope"};

// Reads a record from columns id, kind, subject, period, body.
KeptRecord RecordAt(const Statement& row) {
  return KeptRecord{std::string(row.ColumnBlob(0)), std::string(row.ColumnBlob(1)),
                    std::string(row.ColumnBlob(2)), std::string(row.ColumnBlob(3)),
                    std::string(row.ColumnBlob(4))};
}

}  // namespace

std::string_view RecordTableName(RecordTable table) {
  return table == RecordTable::kFeedback ? "feedback" : "alerts";
}

absl::StatusOr<PutPlan> PlanPut(
    std::string_view uri, RecordTable table, std::span<const KeptRecord> records,
    absl::FunctionRef<absl::StatusOr<std::optional<KeptRecord>>(std::string_view id)> find) {
  PutPlan plan;
  absl::flat_hash_map<std::string_view, const KeptRecord*> given;
  for (const KeptRecord& record : records) {
    if (record.id.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat(uri, ": a ", RecordTableName(table), " record without an id"));
    }
    const auto [it, added] = given.try_emplace(record.id, &record);
    if (!added) {
      if (*it->second == record) continue;
      return MakeError(ErrorCode::kInvalidArgument,
                       StrCat(uri, ": ", RecordTableName(table), " record ", record.id,
                              " is given twice with different contents"));
    }
    UPKEEP_ASSIGN_OR_RETURN(const std::optional<KeptRecord> kept, find(record.id));
    if (!kept.has_value()) {
      plan.to_add.push_back(&record);
    } else if (*kept == record) {
      ++plan.unchanged;
    } else {
      return MakeError(ErrorCode::kIdempotencyConflict,
                       StrCat(uri, ": ", RecordTableName(table), " record ", record.id,
                              " is kept already with different contents"));
    }
  }
  return plan;
}

absl::StatusOr<RecordRows> RecordRows::Prepare(SqliteDb& db) {
  std::array<Statements, 2> st;
  for (const RecordTable table : {RecordTable::kFeedback, RecordTable::kAlerts}) {
    Statements& s = st[static_cast<size_t>(table)];
    const std::string_view name = RecordTableName(table);
    const std::string_view subject = kSubjectColumn[static_cast<size_t>(table)];
    const std::string columns = StrCat("id, kind, ", subject, ", period, body");
    UPKEEP_RETURN_IF_ERROR(
        db.PrepareInto(&s.find, StrCat("SELECT ", columns, " FROM ", name, " WHERE id = ?1")));
    UPKEEP_RETURN_IF_ERROR(
        db.PrepareInto(&s.insert, StrCat("INSERT INTO ", name, "(", columns,
                                         ", kept_micros) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")));
    UPKEEP_RETURN_IF_ERROR(
        db.PrepareInto(&s.scan, StrCat("SELECT ", columns, " FROM ", name, " ORDER BY seq")));
  }
  return RecordRows(std::move(st));
}

absl::StatusOr<std::optional<KeptRecord>> RecordRows::Find(RecordTable table, std::string_view id) {
  Statement& find = Of(table).find;
  find.BindText(1, id);
  absl::StatusOr<bool> row = find.Step(StrCat("read ", RecordTableName(table)));
  std::optional<KeptRecord> kept;
  if (row.ok() && *row) kept = RecordAt(find);
  find.Reset();
  UPKEEP_RETURN_IF_ERROR(row.status());
  return kept;
}

absl::Status RecordRows::Insert(RecordTable table, const KeptRecord& record, int64_t kept_micros) {
  Statement& insert = Of(table).insert;
  insert.BindText(1, record.id);
  insert.BindText(2, record.kind);
  insert.BindText(3, record.subject);
  insert.BindText(4, record.period);
  insert.BindText(5, record.body);
  insert.BindInt(6, kept_micros);
  return insert.Run(StrCat("insert into ", RecordTableName(table)));
}

absl::Status RecordRows::ForEach(RecordTable table,
                                 absl::FunctionRef<absl::Status(const KeptRecord&)> fn) {
  Statement& scan = Of(table).scan;
  absl::Status status;
  while (status.ok()) {
    absl::StatusOr<bool> row = scan.Step(StrCat("read ", RecordTableName(table)));
    if (!row.ok() || !*row) {
      status = row.status();
      break;
    }
    status = fn(RecordAt(scan));
  }
  scan.Reset();
  return status;
}

}  // namespace upkeep::store
