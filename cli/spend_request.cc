#include "spend_request.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "upkeep/money.h"

namespace upkeep::cli {

namespace lg = ::upkeep::ledger;

void FillRequest(const io::SpendRow& row, std::string_view period, std::string_view actor,
                 Currency currency, lg::Request& request) {
  request.op_id = row.request_id;
  request.actor = actor;
  request.period = period;
  request.customer = row.customer_id;
  request.category = row.category;
  request.amount = Money::FromMinor(row.amount_minor, currency);
}

absl::StatusOr<int64_t> PostIfOpen(lg::Ledger& ledger, const io::SpendRow& row,
                                   std::string_view actor) {
  UPKEEP_ASSIGN_OR_RETURN(const lg::ReservationInfo reservation,
                          ledger.GetReservation(row.request_id));
  if (reservation.status != lg::ReservationStatus::kOpen) return int64_t{0};
  const std::string op_id = absl::StrCat(row.request_id, "-post");
  UPKEEP_RETURN_IF_ERROR(
      ledger.Post({.op_id = op_id,
                   .actor = actor,
                   .reservation_id = row.request_id,
                   .amount = Money::FromMinor(row.actual_minor, ledger.currency())}));
  return row.actual_minor;
}

}  // namespace upkeep::cli
