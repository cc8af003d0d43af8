// store/journal_rows.h: writing journal rows to a SQLite book fast (internal).
//
// A commit hashes each entry onto the chain (hash = SHA-256(previous hash || bytes)) and inserts
// the rows with one multi-row INSERT per kRowsPerInsert entries, binding the encoded bytes and
// the hashes in place (no copies). The caller holds the transaction.
//
//   UPKEEP_ASSIGN_OR_RETURN(JournalRowWriter rows, JournalRowWriter::Prepare(db));
//   ledger::Digest head = head_before;
//   UPKEEP_RETURN_IF_ERROR(rows.Write(batch, &head));  // inside BEGIN ... COMMIT
//
// Thread safety: none; used under the store's connection lock.
#ifndef UPKEEP_SRC_STORE_JOURNAL_ROWS_H_
#define UPKEEP_SRC_STORE_JOURNAL_ROWS_H_

#include <array>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/journal_batch.h"
#include "store/sqlite_db.h"
#include "upkeep/ledger/journal.h"

namespace upkeep::store {

// The chain hash of an entry: SHA-256(previous || entry).
ledger::Digest ChainHash(const ledger::Digest& previous, std::string_view entry);

class JournalRowWriter {
 public:
  static constexpr size_t kRowsPerInsert = 64;

  static absl::StatusOr<JournalRowWriter> Prepare(SqliteDb& db);

  // Inserts the entries of `batch` (seqs batch.first_seq, ...). `head` is the chain hash before
  // the first of them on entry and after the last on return.
  absl::Status Write(const JournalBatch& batch, ledger::Digest* head);

 private:
  JournalRowWriter(Statement many, Statement one) : many_(std::move(many)), one_(std::move(one)) {}

  Statement many_;  // kRowsPerInsert rows
  Statement one_;   // one row, for the rest
  std::array<ledger::Digest, kRowsPerInsert> hashes_{};
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_JOURNAL_ROWS_H_
