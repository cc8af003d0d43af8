// upkeep/ledger.h: the budget ledger, all of it (see the headers under upkeep/ledger/).
#ifndef UPKEEP_LEDGER_H_
#define UPKEEP_LEDGER_H_

#include "upkeep/ledger/control.h"   // IWYU pragma: export
#include "upkeep/ledger/decision.h"  // IWYU pragma: export
#include "upkeep/ledger/event.h"     // IWYU pragma: export
#include "upkeep/ledger/journal.h"   // IWYU pragma: export
#include "upkeep/ledger/ledger.h"    // IWYU pragma: export
#include "upkeep/ledger/observer.h"  // IWYU pragma: export
#include "upkeep/ledger/types.h"     // IWYU pragma: export

#endif  // UPKEEP_LEDGER_H_
