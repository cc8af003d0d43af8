// ledger/reason_json.h: the reasons of a decision as journaled text. Internal.
//
// A reserve or spend that was decided with reasons (a warning, a tolerance, an approval)
// journals each reason as one compact JSON argument of its event, so that a retry of the request
// answers with the first result, reasons included, also after replay or restore.
// Thread safety: pure functions.
#ifndef UPKEEP_SRC_LEDGER_REASON_JSON_H_
#define UPKEEP_SRC_LEDGER_REASON_JSON_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "upkeep/ledger/decision.h"

namespace upkeep::ledger {

// One JSON object; always starts with '{' (event arguments that do not are something else).
std::string EncodeReason(const Reason& reason);
// kCorrupt if `text` is not what EncodeReason writes.
absl::StatusOr<Reason> DecodeReason(std::string_view text);

}  // namespace upkeep::ledger

#endif  // UPKEEP_SRC_LEDGER_REASON_JSON_H_
