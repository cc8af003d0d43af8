// tests/store/crash_ops.h: the operation stream of the crash test, shared by the child that runs
// it and the parent that checks it.
//
// Operation n of round r: if n % 10 == 9, define category "k<r>-<n>" and allocate 1.00 to each
// of c1..c3 in it (one all-or-nothing batch); if n is even, reserve 1.00 on c1 as "k<r>-<n>";
// otherwise post the reservation of n - 1 as "p<r>-<n>".
#ifndef UPKEEP_TESTS_STORE_CRASH_OPS_H_
#define UPKEEP_TESTS_STORE_CRASH_OPS_H_

#include <string>

#include "absl/status/status.h"
#include "upkeep/currency.h"
#include "upkeep/ledger.h"
#include "upkeep/money.h"
#include "upkeep/store.h"

namespace upkeep::store::testing {

inline BookOptions CrashBookOptions(Durability durability) {
  BookOptions options;
  options.store.durability = durability;
  options.ledger.currency = Currency::FromCode("CNY").value();
  options.snapshot_every_events = 64;  // snapshots are written while the child is killed too
  return options;
}

inline std::string CrashId(char prefix, int round, int n) {
  return std::string(1, prefix) + std::to_string(round) + "-" + std::to_string(n);
}

enum class CrashOpKind { kAllocate, kReserve, kPost };

inline CrashOpKind CrashOpKindOf(int n) {
  if (n % 10 == 9) return CrashOpKind::kAllocate;
  return n % 2 == 0 ? CrashOpKind::kReserve : CrashOpKind::kPost;
}

inline absl::Status RunCrashOp(ledger::Ledger& ledger, int round, int n) {
  const Currency cny = Currency::FromCode("CNY").value();
  switch (CrashOpKindOf(n)) {
    case CrashOpKind::kAllocate: {
      const std::string category = CrashId('k', round, n);
      absl::Status defined = ledger.DefineCategory("admin", category);
      if (!defined.ok()) return defined;
      return ledger.ApplyAllocation(
          {.op_id = CrashId('a', round, n),
           .actor = "fin",
           .period = "Q1",
           .category = category,
           .envelopes = {{"c1", "A", 100}, {"c2", "B", 100}, {"c3", "B", 100}},
           .reason = "crash test"});
    }
    case CrashOpKind::kReserve: {
      const std::string id = CrashId('k', round, n);
      return ledger
          .Reserve({.op_id = id,
                    .actor = "mgr",
                    .period = "Q1",
                    .customer = "c1",
                    .category = "gift",
                    .amount = Money::FromMinor(1, cny)})
          .status();
    }
    case CrashOpKind::kPost: {
      const std::string id = CrashId('p', round, n);
      const std::string reservation = CrashId('k', round, n - 1);
      return ledger.Post({.op_id = id, .actor = "mgr", .reservation_id = reservation});
    }
  }
  return absl::OkStatus();
}

}  // namespace upkeep::store::testing

#endif  // UPKEEP_TESTS_STORE_CRASH_OPS_H_
