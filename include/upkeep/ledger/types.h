// upkeep/ledger/types.h: the vocabulary of the budget ledger.
//
// A budget lives at a *scope*: a period, a level of the scope tree (company -> tier pool ->
// customer envelope, or one of the crossing dimensions owner and region), a key at that level
// (the tier name, customer id, owner or region; empty for the company) and a fee category
// ("visit", "gift", ... or host-defined). Every scope shows a Balance:
//   available = budget - reserved - spent.
// A request (reserve or spend) is checked at every scope on its customer's path at once.
//
//   upkeep::ledger::ScopeRef envelope{.period = "2024-Q1", .kind = ScopeKind::kCustomer,
//                                     .key = "c-001", .category = "gift"};
//
// Times are int64 microseconds since the Unix epoch everywhere in the ledger (`*_micros`).
// Ownership: plain values. Thread safety: plain values, safe to copy between threads.
#ifndef UPKEEP_LEDGER_TYPES_H_
#define UPKEEP_LEDGER_TYPES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace upkeep::ledger {

// A budget period [start_micros, end_micros), named by a unique id ("2024-Q1").
struct Period {
  std::string id{};
  int64_t start_micros = 0;
  int64_t end_micros = 0;
};

// What an actor may do (see governance in ledger.h for the full table).
enum class Role : uint8_t {
  kAccountManager = 0,  // reserve, spend, post, void, refund for the customers they own
  kManager = 1,         // as above for every customer, plus approve
  kFinance = 2,         // as manager, plus budgets, transfers, revisions, period close
  kAdmin = 3,           // everything, including defining actors, customers and categories
};
std::string_view RoleName(Role role);

struct Actor {
  std::string id{};  // non-empty UTF-8
  Role role = Role::kAccountManager;
};

// A level of the scope tree, or a crossing dimension.
enum class ScopeKind : uint8_t {
  kCompany = 0,   // the root; key is empty
  kTier = 1,      // a tier pool; key is the tier name; parent: company
  kCustomer = 2,  // a customer envelope; key is the customer id; parent: the customer's tier
  kOwner = 3,     // all customers of one account manager; key is the owner's actor id
  kRegion = 4,    // all customers of one region; key is the region
};
std::string_view ScopeKindName(ScopeKind kind);

// Names one scope. Printed as "2024-Q1/customer:c-001/gift".
struct ScopeRef {
  std::string period{};
  ScopeKind kind = ScopeKind::kCompany;
  std::string key{};
  std::string category{};

  std::string ToString() const;
  friend bool operator==(const ScopeRef&, const ScopeRef&) = default;
};

// The money at one scope, all in the ledger's currency's minor units.
struct Balance {
  int64_t budget_minor = 0;
  int64_t reserved_minor = 0;
  int64_t spent_minor = 0;
  int64_t available_minor = 0;  // budget - reserved - spent; may be < 0 only under soft control
  int32_t budget_version = 0;   // 1 for the first budget, +1 for every revision or transfer

  friend bool operator==(const Balance&, const Balance&) = default;
};

}  // namespace upkeep::ledger

#endif  // UPKEEP_LEDGER_TYPES_H_
