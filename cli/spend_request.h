// cli/spend_request.h: a spend CSV row (upkeep/io/spend_csv.h) as ledger operations, shared by
// `upkeep import spend` and `upkeep demo`.
//
// The row's request id is the operation id of its reserve or spend, and "<request id>-post" the
// id of the post that spends a reservation for the row's actual amount: running a row twice
// changes the book once.
//
// Ownership: the Request refers to the row's strings and to `period` and `actor`; they must
// outlive it. Thread safety: as the ledger.
#ifndef UPKEEP_CLI_SPEND_REQUEST_H_
#define UPKEEP_CLI_SPEND_REQUEST_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "upkeep/io/spend_csv.h"
#include "upkeep/ledger/ledger.h"

namespace upkeep::cli {

// Fills a default-constructed `request` with the row's operation in `period`, asked by `actor`.
// (Filled where the caller keeps it: the importer's batch of requests, docs/architecture.md "The
// ledger's hot path".)
void FillRequest(const io::SpendRow& row, std::string_view period, std::string_view actor,
                 Currency currency, ledger::Request& request);

// Posts the row's reservation for its actual amount if it is still open; returns the amount
// posted (0 when it was not open: posted, voided, expired or waiting for approval).
absl::StatusOr<int64_t> PostIfOpen(ledger::Ledger& ledger, const io::SpendRow& row,
                                   std::string_view actor);

}  // namespace upkeep::cli

#endif  // UPKEEP_CLI_SPEND_REQUEST_H_
