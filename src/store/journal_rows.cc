#include "store/journal_rows.h"

#include <string>

#include "base/status_macros.h"
#include "ledger/sha256.h"

namespace upkeep::store {
namespace {

std::string_view AsBytes(const ledger::Digest& digest) {
  return std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string InsertSql(size_t rows) {
  std::string sql = "INSERT INTO journal(seq, kind, bytes, hash) VALUES";
  for (size_t i = 0; i < rows; ++i) sql += i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)";
  return sql;
}

}  // namespace

ledger::Digest ChainHash(const ledger::Digest& previous, std::string_view entry) {
  ledger::Sha256 h;
  h.Update(previous);
  h.Update(entry);
  return h.Finish();
}

absl::StatusOr<JournalRowWriter> JournalRowWriter::Prepare(SqliteDb& db) {
  UPKEEP_ASSIGN_OR_RETURN(Statement many, db.Prepare(InsertSql(kRowsPerInsert)));
  UPKEEP_ASSIGN_OR_RETURN(Statement one, db.Prepare(InsertSql(1)));
  return JournalRowWriter(std::move(many), std::move(one));
}

absl::Status JournalRowWriter::Write(const JournalBatch& batch, ledger::Digest* head) {
  size_t i = 0;
  while (i < batch.size()) {
    const size_t rows = batch.size() - i >= kRowsPerInsert ? kRowsPerInsert : 1;
    Statement& insert = rows == kRowsPerInsert ? many_ : one_;
    for (size_t r = 0; r < rows; ++r, ++i) {
      const std::string_view bytes = batch.Entry(i);
      *head = ChainHash(*head, bytes);
      hashes_[r] = *head;
      const int column = static_cast<int>(4 * r);
      insert.BindInt(column + 1, static_cast<int64_t>(batch.first_seq + i));
      insert.BindInt(column + 2, batch.kinds[i]);
      insert.BindBlob(column + 3, bytes);
      insert.BindBlob(column + 4, AsBytes(hashes_[r]));
    }
    UPKEEP_RETURN_IF_ERROR(insert.Run("append to the journal"));
  }
  return absl::OkStatus();
}

}  // namespace upkeep::store
