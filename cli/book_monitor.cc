#include "book_monitor.h"

#include <string>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "book_records.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/ledger/ledger.h"
#include "upkeep/status.h"

namespace upkeep::cli {

absl::StatusOr<std::unique_ptr<monitor::Monitor>> MonitorBook(OpenedBook& book,
                                                              const PolicySet& policy,
                                                              int64_t now_micros) {
  monitor::MonitorOptions options;
  options.currency = book.currency();
  if (policy.monitoring() != nullptr) options.policy = *policy.monitoring();
  auto watcher = std::make_unique<monitor::Monitor>(std::move(options));
  // Every scope's name, read before the replay: the describer then takes no lock of the book's
  // ledger while the replay holds the store's and the scratch ledger's.
  auto names = std::make_shared<std::vector<ledger::ScopeRef>>();
  for (ledger::ScopeId id = 0;; ++id) {
    absl::StatusOr<ledger::ScopeRef> name = book.ledger().DescribeScope(id);
    if (!name.ok()) break;
    names->push_back(*std::move(name));
  }
  watcher->SetDescriber([names](ledger::ScopeId id) -> absl::StatusOr<ledger::ScopeRef> {
    if (id >= names->size()) {
      return MakeError(ErrorCode::kNotFound, "scope " + std::to_string(id) + " is not in the book");
    }
    return (*names)[id];
  });
  ledger::MemoryJournal scratch;
  ledger::LedgerOptions replay;
  replay.currency = book.currency();
  replay.journal = &scratch;
  replay.bootstrap_admin = kBookAdmin;
  replay.observers = {watcher.get()};
  UPKEEP_RETURN_IF_ERROR(ledger::Ledger::Replay(book.store(), std::move(replay)).status());
  watcher->Sweep(now_micros);
  UPKEEP_RETURN_IF_ERROR(RecordKeptFeedback(book.store(), *watcher));
  UPKEEP_RETURN_IF_ERROR(KeepAlerts(book.store(), watcher->AlertLog(), book.currency()));
  return watcher;
}

}  // namespace upkeep::cli
