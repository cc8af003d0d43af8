// cli/book_directory.h: what a book has defined: actors, categories, tiers, customers, periods.
//
// The ledger answers questions about money; the command line also needs to know which customers
// a book has (and with which tier and owner), which actors, and the window of every period (to
// put a dated spend in its period). LearnDefinition adds each definition event to it, in journal
// order; a book keeps its directory current with its follower (book_follower.h,
// OpenedBook::Directory).
//
// Errors: kCorrupt for a definition event without its arguments.
// Ownership: plain values. Thread safety: pure values.
#ifndef UPKEEP_CLI_BOOK_DIRECTORY_H_
#define UPKEEP_CLI_BOOK_DIRECTORY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/ledger/ledger.h"

namespace upkeep::cli {

struct BookDirectory {
  std::map<std::string, ledger::Role> actors;
  std::vector<std::string> categories;  // in definition order
  std::vector<std::string> tiers;       // in definition order
  std::map<std::string, ledger::CustomerInfo> customers;
  std::vector<ledger::Period> periods;  // in definition order
  std::set<std::string> closed_periods;

  const ledger::CustomerInfo* FindCustomer(std::string_view id) const;
  const ledger::Period* FindPeriod(std::string_view id) const;
  // The period whose window holds `time_micros` (the earliest defined, if several do).
  const ledger::Period* PeriodAt(int64_t time_micros) const;
};

// Adds what `event` defines (if it is a definition) to `directory`; kCorrupt for a definition
// without its arguments.
absl::Status LearnDefinition(const ledger::Event& event, BookDirectory& directory);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_BOOK_DIRECTORY_H_
