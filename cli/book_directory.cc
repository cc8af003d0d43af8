#include "book_directory.h"

#include "absl/strings/numbers.h"
#include "upkeep/status.h"

namespace upkeep::cli {

namespace lg = ::upkeep::ledger;

absl::Status LearnDefinition(const lg::Event& event, BookDirectory& directory) {
  const std::vector<std::string>& args = event.args;
  auto malformed = [&] {
    return MakeError(ErrorCode::kCorrupt, "journal entry " + std::to_string(event.seq) + ": " +
                                              std::string(lg::EventKindName(event.kind)) +
                                              " without its arguments");
  };
  switch (event.kind) {
    case lg::EventKind::kActorDefined: {
      int role = 0;
      if (args.size() < 2 || !absl::SimpleAtoi(args[1], &role)) return malformed();
      directory.actors[args[0]] = static_cast<lg::Role>(role);
      break;
    }
    case lg::EventKind::kCategoryDefined:
      if (args.empty()) return malformed();
      directory.categories.push_back(args[0]);
      break;
    case lg::EventKind::kTierDefined:
      if (args.empty()) return malformed();
      directory.tiers.push_back(args[0]);
      break;
    case lg::EventKind::kCustomerDefined:
      if (args.size() < 4) return malformed();
      directory.customers[args[0]] = {args[0], args[1], args[2], args[3]};
      break;
    case lg::EventKind::kPeriodDefined:
      if (args.empty()) return malformed();
      directory.periods.push_back({args[0], event.amount_minor, event.amount2_minor});
      break;
    case lg::EventKind::kPeriodClosed:
      if (args.empty()) return malformed();
      directory.closed_periods.insert(args[0]);
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

const lg::CustomerInfo* BookDirectory::FindCustomer(std::string_view id) const {
  const auto it = customers.find(std::string(id));
  return it == customers.end() ? nullptr : &it->second;
}

const lg::Period* BookDirectory::FindPeriod(std::string_view id) const {
  for (const lg::Period& period : periods) {
    if (period.id == id) return &period;
  }
  return nullptr;
}

const lg::Period* BookDirectory::PeriodAt(int64_t time_micros) const {
  for (const lg::Period& period : periods) {
    if (period.start_micros <= time_micros && time_micros < period.end_micros) return &period;
  }
  return nullptr;
}

}  // namespace upkeep::cli
