// upkeep/ledger/decision.h: what the ledger decided about a request, and why.
//
// Every reserve, spend and dry-run check answers with a Decision: one of approve,
// approve-with-warning, needs-approval or reject, and the reasons behind it. A Reason names the
// scope and the rule that spoke, the numbers it compared (budget / reserved / spent / available,
// the amount asked for, the shortfall) and what would make the request pass.
//
//   upkeep::ledger::Decision d = ledger.Check(request).value();
//   if (d.outcome == Outcome::kReject) std::cout << d.Explain();
//   // "reject: 2024-Q1/customer:c-001/gift: rule default-block: asks 500.00, available 120.00
//   //  (budget 1000.00, reserved 380.00, spent 500.00), short by 380.00; passes with at most
//   //  120.00, or after a budget increase of 380.00"
//
// Approvals that needed no rule carry no reasons unless the request asked for them
// (`explain = true`), so the hot path allocates nothing.
// Ownership: plain values. Thread safety: plain values.
#ifndef UPKEEP_LEDGER_DECISION_H_
#define UPKEEP_LEDGER_DECISION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "upkeep/ledger/types.h"

namespace upkeep::ledger {

// Ordered by severity: a decision is the most severe of its reasons.
enum class Outcome : uint8_t {
  kApprove = 0,
  kApproveWithWarning = 1,
  kNeedsApproval = 2,
  kReject = 3,
};
std::string_view OutcomeName(Outcome outcome);

struct Reason {
  Outcome outcome = Outcome::kApprove;
  std::string rule_id{};  // the rule that spoke ("default-block" when no rule matched)
  ScopeRef scope{};       // the scope it looked at
  Balance balance{};      // that scope's balance before the request
  int64_t requested_minor = 0;
  int64_t shortfall_minor = 0;  // how much is missing (0 when not about money)
  std::string message{};        // what the rule found, in words
  std::string remedy{};         // what would make it pass, in words (empty when it passes)
};

struct Decision {
  Outcome outcome = Outcome::kApprove;
  std::vector<Reason> reasons{};

  // One human-readable paragraph: the outcome, then one line per reason.
  std::string Explain() const;
  // Adds `reason` and raises `outcome` to it if more severe.
  void Add(Reason reason);
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_LEDGER_DECISION_H_
