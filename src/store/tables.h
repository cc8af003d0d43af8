// store/tables.h: the readable tables of a SQLite book, derived from its journal (internal).
//
// customers, policy_versions, reservations, approvals and decisions are derived from journal
// events, one event at a time, in journal order (Apply); balances are rows of balances read
// from the ledger (PutBalance). docs/store.md documents the tables and when they are brought up
// to date. The caller holds the transaction.
//
//   UPKEEP_ASSIGN_OR_RETURN(TableWriter tables, TableWriter::Prepare(db));
//   UPKEEP_RETURN_IF_ERROR(tables.Apply(event));     // inside BEGIN ... COMMIT
//
// Thread safety: none; used under the store's connection lock.
#ifndef UPKEEP_SRC_STORE_TABLES_H_
#define UPKEEP_SRC_STORE_TABLES_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/sqlite_db.h"
#include "upkeep/ledger/decision.h"
#include "upkeep/ledger/event.h"
#include "upkeep/store/store.h"

namespace upkeep::store {

class TableWriter {
 public:
  static absl::StatusOr<TableWriter> Prepare(SqliteDb& db);

  // Applies one journal event to the tables it concerns (most kinds concern none).
  absl::Status Apply(const ledger::Event& event);
  // Whether Apply(event) writes anything: the kinds it handles, and a spend only when its
  // decision gets a row (it carries reasons or was not a plain approval). Apply of an event
  // that does not concern the tables is a no-op, so a refresh may skip decoding it.
  static bool Concerns(const ledger::Event& event);
  // Writes (inserts or replaces) one row of the balances table.
  absl::Status PutBalance(const ScopeBalance& row);

 private:
  struct Statements {
    Statement customer, policy, balance;
    Statement reserve, resolve, refund;
    Statement request, decide, decision;
  };
  explicit TableWriter(Statements st) : st_(std::move(st)) {}

  absl::Status Resolve(const ledger::Event& event, std::string_view status);
  absl::Status Decided(const ledger::Event& event, std::string_view request,
                       ledger::Outcome outcome);

  Statements st_;
};

}  // namespace upkeep::store

#endif  // UPKEEP_SRC_STORE_TABLES_H_
