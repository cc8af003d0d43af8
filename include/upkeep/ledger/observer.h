// upkeep/ledger/observer.h: watching the ledger change, one applied event at a time.
//
// A LedgerObserver is told about every event the ledger applies, right after it is applied,
// with the scopes that event changed and their balances after the change. Monitoring (alert
// rules on budgets) is built on it; so is anything else that must follow the ledger without
// polling it.
//
//   class LowBudgetAlert : public upkeep::ledger::LedgerObserver {
//    public:
//     void OnApplied(const Event& event, std::span<const ScopeChange> changed) override {
//       for (const ScopeChange& c : changed) {
//         if (c.balance.available_minor * 10 < c.balance.budget_minor) Raise(c.scope);
//       }
//     }
//   };
//   LowBudgetAlert alert;
//   options.observers = {&alert};  // or ledger->AddObserver(&alert)
//
// Scopes are named by a dense ScopeId: ids are given out in the order scopes are created
// (0, 1, 2, ...), never reused, and are the same after Ledger::Replay and Ledger::Restore.
// Ledger::FindScopeId turns a ScopeRef into its id ahead of time (compare ids in the callback);
// Ledger::DescribeScope turns an id back into a ScopeRef.
//
// When: OnApplied is called for every event: for the events of live operations and, by
// default, for the events a ledger replays (Ledger::Replay, and the journal tail read by
// Ledger::Restore). Override OnReplayed to tell them apart: the ledger calls OnReplayed, not
// OnApplied, for a replayed event; the default OnReplayed forwards to OnApplied. An event that
// changes no balance (a definition, a policy change, an approval decision) comes with an empty
// span. Restore does not announce the state its snapshot held: read Ledger::Scopes() for it.
//
// Threading and re-entry: callbacks run on the thread that made the change, while the ledger
// holds its write lock, so they never run concurrently for one ledger and they see events in
// journal order. They must be quick and must not call back into the ledger, with one
// exception: Ledger::DescribeScope may be called from inside a callback. `event` and `changed`
// are valid only during the call (copy what you keep). A callback must not throw.
//
// Ownership: the host owns its observers and keeps them alive as long as the ledger.
// Cost: with no observer, nothing is collected; with observers, the changed balances are
// gathered into a reused buffer (no allocation per event).
#ifndef UPKEEP_LEDGER_OBSERVER_H_
#define UPKEEP_LEDGER_OBSERVER_H_

#include <cstdint>
#include <span>

#include "upkeep/ledger/event.h"
#include "upkeep/ledger/types.h"

namespace upkeep::ledger {

// A scope's dense id (see above).
using ScopeId = uint32_t;

// One scope an event changed, and its balance after the change.
struct ScopeChange {
  ScopeId scope = 0;
  ScopeKind kind = ScopeKind::kCompany;
  Balance balance{};
};

class LedgerObserver {
 public:
  virtual ~LedgerObserver() = default;

  // `event` was journaled and applied; `changed` lists each scope whose balance it changed, once.
  virtual void OnApplied(const Event& event, std::span<const ScopeChange> changed) = 0;
  // The same, for an event the ledger replayed from a journal. Default: OnApplied.
  virtual void OnReplayed(const Event& event, std::span<const ScopeChange> changed) {
    OnApplied(event, changed);
  }
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_LEDGER_OBSERVER_H_
