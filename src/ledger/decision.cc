#include "upkeep/ledger/decision.h"

#include <utility>

#include "ledger/text.h"

namespace upkeep::ledger {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kApprove:
      return "approve";
    case Outcome::kApproveWithWarning:
      return "approve with warning";
    case Outcome::kNeedsApproval:
      return "needs approval";
    case Outcome::kReject:
      return "reject";
  }
  return "unknown";
}

void Decision::Add(Reason reason) {
  if (reason.outcome > outcome) outcome = reason.outcome;
  reasons.push_back(std::move(reason));
}

std::string Decision::Explain() const {
  std::string out(OutcomeName(outcome));
  if (reasons.empty()) {
    StrAppend(&out, ": within budget at every scope on the path, no rule objected");
  }
  for (const Reason& reason : reasons) {
    StrAppend(&out, "\n  ", OutcomeName(reason.outcome), " at ", reason.scope.ToString(),
              " by rule ", reason.rule_id, ": ", reason.message);
    if (!reason.remedy.empty()) StrAppend(&out, "; passes ", reason.remedy);
  }
  return out;
}

}  // namespace upkeep::ledger
