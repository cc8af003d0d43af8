// Property tests: long random operation sequences against the fixture ledger, checking after
// every step that the invariants hold, that a failed call changes nothing, that a retried id
// changes nothing, and at the end that replaying the journal, or restoring a snapshot, gives the
// same state.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger_fixture.h"
#include "rapidcheck/gtest.h"

namespace upkeep::ledger::testing {
namespace {

const char* const kCustomers[] = {"c1", "c2", "c3"};

ScopeRef AnyTreeScope(int pick) {
  switch (pick % 6) {
    case 0:
      return CompanyScope();
    case 1:
      return TierScope("A");
    case 2:
      return TierScope("B");
    default:
      return Envelope(kCustomers[pick % 3]);
  }
}

struct Step {
  std::string text;  // for failure messages
  std::function<absl::Status(Ledger&)> call;
  bool has_id = true;  // expire has no op id: repeating it may expire more
};

// One random step; `targets` are earlier reserve/spend ids.
Step RandomStep(int n, std::vector<std::string>* ids, const std::vector<std::string>& targets) {
  const std::string id = "op-" + std::to_string(n);
  ids->push_back(id);
  const std::string& op_id = ids->back();
  const int kind = *rc::gen::inRange(0, 10);
  const std::string customer = kCustomers[*rc::gen::inRange(0, 3)];
  const int64_t amount = *rc::gen::inRange<int64_t>(-5, 40000);
  const std::string target =
      targets.empty() ? std::string("none") : targets[*rc::gen::inRange<size_t>(0, targets.size())];
  switch (kind) {
    case 0:
    case 1: {
      const int64_t expiry = *rc::gen::inRange<int64_t>(0, 3) * 1000;
      return {"reserve " + op_id + " " + customer + " " + std::to_string(amount), [=](Ledger& l) {
                Request r = Ask(op_id, customer, amount);
                r.expiry_micros = expiry;
                return l.Reserve(r).status();
              }};
    }
    case 2:
      return {"spend " + op_id + " " + customer + " " + std::to_string(amount),
              [=](Ledger& l) { return l.Spend(Ask(op_id, customer, amount)).status(); }};
    case 3: {
      const bool all = *rc::gen::arbitrary<bool>();
      return {"post " + op_id + " of " + target, [=](Ledger& l) {
                PostRequest p{.op_id = op_id, .actor = "mgr", .reservation_id = target};
                if (!all) p.amount = Cny(amount);
                return l.Post(p);
              }};
    }
    case 4:
      return {"void " + op_id + " of " + target, [=](Ledger& l) {
                return l.Void({.op_id = op_id, .actor = "mgr", .reservation_id = target});
              }};
    case 5: {
      const bool back = *rc::gen::arbitrary<bool>();
      return {"refund " + op_id + " of " + target, [=](Ledger& l) {
                return l.Refund({.op_id = op_id,
                                 .actor = "mgr",
                                 .target_id = target,
                                 .amount = Cny(amount),
                                 .return_to_budget = back});
              }};
    }
    case 6: {
      const int from = *rc::gen::inRange(0, 6), to = *rc::gen::inRange(0, 6);
      return {"transfer " + op_id, [=](Ledger& l) {
                return l.Transfer({.op_id = op_id,
                                   .actor = "fin",
                                   .from = AnyTreeScope(from),
                                   .to = AnyTreeScope(to),
                                   .amount = Cny(amount),
                                   .reason = "rebalance"});
              }};
    }
    case 7: {
      const int scope = *rc::gen::inRange(0, 6);
      const int64_t budget = *rc::gen::inRange<int64_t>(-1, 300000);
      return {"revise " + op_id, [=](Ledger& l) {
                return l.Revise({.op_id = op_id,
                                 .actor = "fin",
                                 .scope = AnyTreeScope(scope),
                                 .budget = Cny(budget),
                                 .reason = "revision"});
              }};
    }
    case 8: {
      const int64_t now = *rc::gen::inRange<int64_t>(0, 4) * 1000;
      return {"expire " + std::to_string(now),
              [=](Ledger& l) { return l.Expire("mgr", now).status(); }, false};
    }
    default:
      return {"check " + customer,
              [=](Ledger& l) { return l.Check(Ask(op_id, customer, amount)).status(); }};
  }
}

RC_GTEST_PROP(LedgerPropertyTest, InvariantsHoldAfterEveryStep, ()) {
  MemoryJournal journal;
  // The clock moves between months now and then (back too): operations record their month.
  constexpr int64_t kStartMicros = 1'700'000'000'000'000;
  constexpr int64_t kMonthMicros = int64_t{31} * 24 * 3600 * 1'000'000;
  auto now = std::make_shared<int64_t>(kStartMicros);
  std::unique_ptr<Ledger> ledger = MakeLedger(&journal, now);
  if (*rc::gen::arbitrary<bool>()) {  // sometimes envelopes are soft: the tiers must still hold
    ControlPolicySet set;
    set.availability.push_back(
        {.id = "soft", .level = ScopeKind::kCustomer, .mode = ControlMode::kWarn});
    RC_ASSERT(ledger->SetPolicies("admin", set).ok());
  }
  std::vector<std::string> ids;
  std::vector<std::string> targets;
  std::vector<Step> done;
  const int steps = *rc::gen::inRange(1, 120);
  for (int n = 0; n < steps; ++n) {
    if (*rc::gen::inRange(0, 8) == 0) *now = kStartMicros + *rc::gen::inRange(0, 4) * kMonthMicros;
    const bool retry = !done.empty() && *rc::gen::inRange(0, 5) == 0;
    const Step step =
        retry ? done[*rc::gen::inRange<size_t>(0, done.size())] : RandomStep(n, &ids, targets);
    const std::string before = ledger->DumpState();
    const uint64_t events = journal.size();
    const absl::Status status = step.call(*ledger);
    if (!status.ok() || retry) {
      // A failure, or a retry of an id already applied, changes nothing.
      RC_ASSERT(ledger->DumpState() == before);
      RC_ASSERT(journal.size() == events);
    }
    // A rejected request returns OK but applies nothing and leaves its id free: only what was
    // journaled counts as done.
    if (status.ok() && !retry && step.has_id && journal.size() > events) {
      done.push_back(step);
      if (step.text.starts_with("reserve") || step.text.starts_with("spend")) {
        targets.push_back(ids.back());
      }
    }
    const std::string violations = InvariantViolations(*ledger);
    RC_ASSERT(violations == std::string());
  }
  // Each id was journaled by at most one operation.
  std::map<std::string, std::string> first_kind;
  RC_ASSERT(journal
                .ForEach(0,
                         [&](const Event& e) {
                           if (e.op_id.empty() || e.kind == EventKind::kBudgetSet) {
                             return absl::OkStatus();
                           }
                           auto [it, added] =
                               first_kind.emplace(e.op_id, std::string(EventKindName(e.kind)));
                           // The one exception: an approved request journals its request and
                           // then its reservation under the same id.
                           const bool ok = added || it->second == "approval_requested";
                           return ok ? absl::OkStatus()
                                     : absl::InternalError("id applied twice: " + e.op_id);
                         })
                .ok());
  RC_ASSERT(ReplayedDump(journal) == ledger->DumpState());
  // A snapshot of the state restores it.
  const absl::StatusOr<std::string> snapshot = ledger->WriteSnapshot();
  RC_ASSERT(snapshot.ok());
  const absl::StatusOr<std::unique_ptr<Ledger>> restored =
      Ledger::Restore(*snapshot, {.currency = Cny(), .journal = &journal});
  RC_ASSERT(restored.ok());
  RC_ASSERT((*restored)->DumpState() == ledger->DumpState());
}

}  // namespace
}  // namespace upkeep::ledger::testing
