// capi/policy_tests.cc: upk_run_policy_tests: reads the case file, runs each case, reports.
#include "capi/policy_tests.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "capi/internal.h"

namespace upkeep::capi {

bool ExpectStatus(const absl::Status& status, const nlohmann::json& expect, const std::string& what,
                  std::vector<std::string>* failures) {
  const std::string want = expect.is_object() ? expect.value("status", "ok") : "ok";
  const std::string got(ErrorCodeName(ErrorCodeOf(status)));
  if (got != want) {
    failures->push_back(absl::StrCat(what, ": expected status ", want, ", got ", got,
                                     status.ok() ? "" : absl::StrCat(" (", status.message(), ")")));
  }
  return status.ok();
}

std::optional<int64_t> ParseAmount(const nlohmann::json& value, Currency currency,
                                   const std::string& what, std::vector<std::string>* failures) {
  if (!value.is_string()) {
    failures->push_back(absl::StrCat(what, ": must be a decimal string such as \"100.00\""));
    return std::nullopt;
  }
  absl::StatusOr<Money> money = Money::Parse(value.get<std::string>(), currency);
  if (!money.ok()) {
    failures->push_back(absl::StrCat(what, ": ", money.status().message()));
    return std::nullopt;
  }
  return money->amount_minor();
}

namespace {

nlohmann::json RunCases(const nlohmann::json& file, const CaseContext& context) {
  const nlohmann::json none = nlohmann::json::object();
  nlohmann::json results = nlohmann::json::array();
  size_t passed = 0;
  size_t index = 0;
  for (const nlohmann::json& test_case : file["cases"]) {
    std::vector<std::string> failures;
    const std::string name = test_case.is_object() && test_case.contains("name")
                                 ? test_case["name"].dump()
                                 : absl::StrCat("cases[", index, "]");
    if (!test_case.is_object()) {
      failures.push_back("a case must be an object");
    } else if (test_case.contains("portfolio")) {
      RunPlanCase(test_case.value("policy", file.value("policy", none)), test_case, context,
                  &failures);
    } else if (test_case.contains("ledger")) {
      RunLedgerCase(test_case.value("control", file.value("control", none)), test_case, context,
                    &failures);
    } else {
      failures.push_back("a case needs a \"portfolio\" (plan case) or a \"ledger\" (ledger case)");
    }
    if (failures.empty()) ++passed;
    results.push_back({{"name", test_case.is_object() ? test_case.value("name", name) : name},
                       {"passed", failures.empty()},
                       {"failures", failures}});
    ++index;
  }
  const size_t failed = index - passed;
  return {{"summary", absl::StrCat(passed, " passed, ", failed, " failed")},
          {"passed", passed},
          {"failed", failed},
          {"cases", results}};
}

}  // namespace
}  // namespace upkeep::capi

extern "C" {

upk_status upk_run_policy_tests(upk_test_summary* out, char** out_report, upk_str cases_json,
                                const upk_registry* registry) {
  return upkeep::capi::Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::NotNull(out_report, "out_report"); s != UPK_OK) return s;
    std::string_view text;
    if (upk_status s = upkeep::capi::Text(cases_json, "cases_json", &text); s != UPK_OK) return s;
    const nlohmann::json file = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (file.is_discarded() || !file.is_object() || !file.contains("cases") ||
        !file["cases"].is_array()) {
      return upkeep::capi::Fail(UPK_POLICY_INVALID,
                                "cases_json: must be a JSON object with a \"cases\" array");
    }
    const upkeep::PolicyRegistry builtins;
    const upkeep::ledger::ControlPolicyRegistry no_controls;
    const upkeep::capi::CaseContext context{
        registry == nullptr ? &builtins : &registry->policies,
        registry == nullptr ? &no_controls : &registry->controls};
    const nlohmann::json report = upkeep::capi::RunCases(file, context);
    if (upk_status s = upkeep::capi::Emit(report.dump(2), out_report); s != UPK_OK) return s;
    out->passed = report["passed"].get<size_t>();
    out->failed = report["failed"].get<size_t>();
    return UPK_OK;
  });
}

}  // extern "C"
