// Governance: who may do what.
#include "ledger/ledger_state.h"
#include "ledger/text.h"
#include "upkeep/status.h"

namespace upkeep::ledger {

absl::Status LedgerState::Permit(uint32_t actor, Action action, uint32_t customer,
                                 std::string_view what) const {
  const auto role = static_cast<Role>(actor_roles[actor]);
  Role least = Role::kAdmin;
  switch (action) {
    case Action::kDefine:
      least = Role::kAdmin;
      break;
    case Action::kPeriods:
    case Action::kBudgets:
      least = Role::kFinance;
      break;
    case Action::kRefund:
    case Action::kApprove:
    case Action::kExpire:
      least = Role::kManager;
      break;
    case Action::kMoveMoney:
      // An account manager acts for the customers they own.
      if (role == Role::kAccountManager && customer != kNone &&
          customer_states[customer].owner == actor) {
        return absl::OkStatus();
      }
      least = Role::kManager;
      break;
  }
  if (role >= least) return absl::OkStatus();
  std::string detail;
  if (action == Action::kMoveMoney && customer != kNone) {
    detail = StrCat(" (customer ", customers.Name(customer), " is not theirs)");
  }
  return MakeError(ErrorCode::kPermissionDenied,
                   StrCat("actor ", actor_ids.Name(actor), " (", RoleName(role), ") may not ", what,
                          detail, "; it needs ", RoleName(least)));
}

}  // namespace upkeep::ledger
