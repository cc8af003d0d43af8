// cli/decision_output.h: a ledger decision as a command prints it.
//
// AddDecision adds the outcome as a fact and the reasons as a table (the scope and rule that
// spoke, the numbers it compared, and what would make the request pass):
//   outcome: reject
//   Reasons
//   outcome  scope                        rule          budget  available  asks    short by ...
//   reject   FY2026/customer:C00024/gift  envelope-soft 344.99  344.99     460.00  115.01   ...
// OneLine gives the explanation on one line, for a rejects file or an error line.
// DecisionExit is the exit status of a command whose answer is `decision`: 4 (denied, with the
// decision on one stderr line) for a reject, else 0.
//
// Thread safety: pure functions (DecisionExit writes to stderr).
#ifndef UPKEEP_CLI_DECISION_OUTPUT_H_
#define UPKEEP_CLI_DECISION_OUTPUT_H_

#include <string>

#include "output.h"
#include "upkeep/currency.h"
#include "upkeep/ledger/decision.h"
#include "upkeep/ledger/types.h"

namespace upkeep::cli {

void AddDecision(const ledger::Decision& decision, Currency currency, Report& report);

std::string OneLine(const ledger::Decision& decision);

int DecisionExit(const ledger::Decision& decision);

// The cells of a balance: budget, reserved, spent, available (money text).
std::vector<std::string> BalanceCells(const ledger::Balance& balance, Currency currency);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_DECISION_OUTPUT_H_
