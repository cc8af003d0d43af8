// capi/ledger_json.h: ledger values as JSON, for the report and explanation functions.
#ifndef UPKEEP_CAPI_LEDGER_JSON_H_
#define UPKEEP_CAPI_LEDGER_JSON_H_

#include <vector>

#include "nlohmann/json.hpp"
#include "upkeep/ledger.h"

namespace upkeep::capi {

nlohmann::json ScopeJson(const ledger::ScopeRef& scope);
nlohmann::json BalanceJson(const ledger::Balance& balance);
nlohmann::json DecisionJson(const ledger::Decision& decision);
nlohmann::json ScopesJson(const std::vector<ledger::ScopeSnapshot>& scopes);
nlohmann::json ApprovalsJson(const std::vector<ledger::PendingApproval>& approvals);
nlohmann::json EventsJson(const std::vector<ledger::Event>& events);

}  // namespace upkeep::capi

#endif  // UPKEEP_CAPI_LEDGER_JSON_H_
