#include "ledger/reason_json.h"

#include "nlohmann/json.hpp"
#include "upkeep/status.h"

namespace upkeep::ledger {

std::string EncodeReason(const Reason& reason) {
  const Balance& b = reason.balance;
  const nlohmann::json json = {
      {"outcome", static_cast<int>(reason.outcome)},
      {"rule", reason.rule_id},
      {"scope",
       {reason.scope.period, static_cast<int>(reason.scope.kind), reason.scope.key,
        reason.scope.category}},
      {"balance",
       {b.budget_minor, b.reserved_minor, b.spent_minor, b.available_minor, b.budget_version}},
      {"requested", reason.requested_minor},
      {"shortfall", reason.shortfall_minor},
      {"message", reason.message},
      {"remedy", reason.remedy}};
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<Reason> DecodeReason(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto bad = [] { return MakeError(ErrorCode::kCorrupt, "malformed journaled reason"); };
  if (!json.is_object()) return bad();
  const auto scope = json.find("scope");
  const auto balance = json.find("balance");
  const auto outcome = json.find("outcome");
  if (scope == json.end() || !scope->is_array() || scope->size() != 4 || balance == json.end() ||
      !balance->is_array() || balance->size() != 5 || outcome == json.end() ||
      !outcome->is_number_integer()) {
    return bad();
  }
  const int outcome_number = outcome->get<int>();
  const int kind_number = (*scope)[1].is_number_integer() ? (*scope)[1].get<int>() : -1;
  if (outcome_number < 0 || outcome_number > static_cast<int>(Outcome::kReject) ||
      kind_number < 0 || kind_number > static_cast<int>(ScopeKind::kRegion)) {
    return bad();
  }
  Reason reason;
  try {
    reason.outcome = static_cast<Outcome>(outcome_number);
    reason.rule_id = json.at("rule").get<std::string>();
    reason.scope = ScopeRef{.period = (*scope)[0].get<std::string>(),
                            .kind = static_cast<ScopeKind>(kind_number),
                            .key = (*scope)[2].get<std::string>(),
                            .category = (*scope)[3].get<std::string>()};
    reason.balance = Balance{.budget_minor = (*balance)[0].get<int64_t>(),
                             .reserved_minor = (*balance)[1].get<int64_t>(),
                             .spent_minor = (*balance)[2].get<int64_t>(),
                             .available_minor = (*balance)[3].get<int64_t>(),
                             .budget_version = (*balance)[4].get<int32_t>()};
    reason.requested_minor = json.at("requested").get<int64_t>();
    reason.shortfall_minor = json.at("shortfall").get<int64_t>();
    reason.message = json.at("message").get<std::string>();
    reason.remedy = json.at("remedy").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return bad();
  }
  return reason;
}

}  // namespace upkeep::ledger
