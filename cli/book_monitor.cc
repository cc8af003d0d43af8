#include "book_monitor.h"

#include <utility>

#include "base/status_macros.h"
#include "upkeep/ledger/journal.h"
#include "upkeep/ledger/ledger.h"

namespace upkeep::cli {

absl::StatusOr<std::unique_ptr<monitor::Monitor>> MonitorBook(OpenedBook& book,
                                                              const PolicySet& policy,
                                                              int64_t now_micros) {
  monitor::MonitorOptions options;
  options.currency = book.currency();
  if (policy.monitoring() != nullptr) options.policy = *policy.monitoring();
  auto watcher = std::make_unique<monitor::Monitor>(std::move(options));
  const ledger::Ledger& named_by = book.ledger();
  watcher->SetDescriber([&named_by](ledger::ScopeId id) { return named_by.DescribeScope(id); });
  ledger::MemoryJournal scratch;
  ledger::LedgerOptions replay;
  replay.currency = book.currency();
  replay.journal = &scratch;
  replay.bootstrap_admin = kBookAdmin;
  replay.observers = {watcher.get()};
  UPKEEP_RETURN_IF_ERROR(ledger::Ledger::Replay(book.store(), std::move(replay)).status());
  watcher->Sweep(now_micros);
  return watcher;
}

}  // namespace upkeep::cli
