#include "decision_output.h"

#include <cstdio>

#include "absl/strings/str_replace.h"
#include "exit_codes.h"
#include "upkeep/money.h"

namespace upkeep::cli {

namespace lg = ::upkeep::ledger;

void AddDecision(const lg::Decision& decision, Currency currency, Report& report) {
  report.facts.push_back({"outcome", std::string(lg::OutcomeName(decision.outcome))});
  Table& reasons = report.tables.emplace_back(Table{"reasons",
                                                    "Reasons",
                                                    {{"outcome"},
                                                     {"scope"},
                                                     {"rule"},
                                                     {"budget", Column::kMoney},
                                                     {"available", Column::kMoney},
                                                     {"asks", Column::kMoney},
                                                     {"short by", Column::kMoney},
                                                     {"message"},
                                                     {"remedy"}}});
  for (const lg::Reason& reason : decision.reasons) {
    reasons.rows.push_back({std::string(lg::OutcomeName(reason.outcome)), reason.scope.ToString(),
                            reason.rule_id, AmountText(reason.balance.budget_minor, currency),
                            AmountText(reason.balance.available_minor, currency),
                            AmountText(reason.requested_minor, currency),
                            AmountText(reason.shortfall_minor, currency), reason.message,
                            reason.remedy});
  }
}

std::string OneLine(const lg::Decision& decision) {
  std::string text = decision.Explain();
  const size_t first = text.find("\n  ");
  if (first != std::string::npos) text.replace(first, 3, ": ");
  return absl::StrReplaceAll(text, {{"\n  ", "; "}});
}

int DecisionExit(const lg::Decision& decision) {
  if (decision.outcome != lg::Outcome::kReject) return kExitOk;
  std::fflush(stdout);
  std::fprintf(stderr, "upkeep: error: denied: %s\n", OneLine(decision).c_str());
  return kExitDenied;
}

std::vector<std::string> BalanceCells(const lg::Balance& balance, Currency currency) {
  return {AmountText(balance.budget_minor, currency), AmountText(balance.reserved_minor, currency),
          AmountText(balance.spent_minor, currency), AmountText(balance.available_minor, currency)};
}

}  // namespace upkeep::cli
