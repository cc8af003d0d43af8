// capi/policy_tests.h: the policy test runner behind upk_run_policy_tests (not installed).
//
// A case file is JSON (format: docs/c-api.md, "Policy tests"): a default policy document and
// control document, then cases. A plan case builds a portfolio, plans it and compares tiers and
// amounts; a ledger case sets up a ledger, sends requests and compares statuses, outcomes and the
// rule ids of the reasons. Each case yields a list of failures; an empty list is a pass.
#ifndef UPKEEP_CAPI_POLICY_TESTS_H_
#define UPKEEP_CAPI_POLICY_TESTS_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "upkeep/ledger/control.h"
#include "upkeep/policy.h"
#include "upkeep/status.h"

namespace upkeep::capi {

struct CaseContext {
  const PolicyRegistry* policies;
  const ledger::ControlPolicyRegistry* controls;
};

// Runs one case of each kind; failures are appended in words. A malformed case is a failure.
void RunPlanCase(const nlohmann::json& policy, const nlohmann::json& test_case,
                 const CaseContext& context, std::vector<std::string>* failures);
void RunLedgerCase(const nlohmann::json& control, const nlohmann::json& test_case,
                   const CaseContext& context, std::vector<std::string>* failures);

// Compares a status with the expectation's "status" (a status name, default "ok"); adds a
// failure naming `what` when they differ. Returns whether the status was OK.
bool ExpectStatus(const absl::Status& status, const nlohmann::json& expect, const std::string& what,
                  std::vector<std::string>* failures);

// "1234.56" in `currency` as minor units; a failure (and nullopt) when malformed.
std::optional<int64_t> ParseAmount(const nlohmann::json& value, Currency currency,
                                   const std::string& what, std::vector<std::string>* failures);

}  // namespace upkeep::capi

#endif  // UPKEEP_CAPI_POLICY_TESTS_H_
