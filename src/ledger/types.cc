#include "upkeep/ledger/types.h"

#include "ledger/text.h"

namespace upkeep::ledger {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAccountManager:
      return "account_manager";
    case Role::kManager:
      return "manager";
    case Role::kFinance:
      return "finance";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::string_view ScopeKindName(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kCompany:
      return "company";
    case ScopeKind::kTier:
      return "tier";
    case ScopeKind::kCustomer:
      return "customer";
    case ScopeKind::kOwner:
      return "owner";
    case ScopeKind::kRegion:
      return "region";
  }
  return "unknown";
}

std::string ScopeRef::ToString() const {
  if (kind == ScopeKind::kCompany) return StrCat(period, "/company/", category);
  return StrCat(period, "/", ScopeKindName(kind), ":", key, "/", category);
}

}  // namespace upkeep::ledger
