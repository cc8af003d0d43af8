// capi/ledger_columns.cc: reserve, spend and check batches given as columns
// (upk_request_columns).
//
// The columns are checked whole before anything applies: shared texts, each text column's bytes
// (one NUL and UTF-8 scan for the column), its sizes (they add up to the column and cut it only
// between characters), the currency. Then the requests go to the engine as one batch
// (Ledger::ReserveBatch / SpendBatch / CheckBatch: the lock taken once, or once per 1,024 checks,
// and the next requests' memory loaded ahead), each answered on its own.
#include <span>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "capi/internal.h"

namespace upkeep::capi {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The `count` strings of a text column as views into it.
upk_status Column(upk_str bytes, const uint32_t* sizes, size_t count, const char* what,
                  std::vector<std::string_view>* out) {
  std::string_view all;
  if (upk_status s = Text(bytes, what, &all); s != UPK_OK) return s;
  if (sizes == nullptr) return Fail(UPK_NULL_ARGUMENT, absl::StrCat(what, ": sizes are NULL"));
  out->reserve(count);
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    if (sizes[i] > all.size() - at) {
      return Fail(UPK_INVALID_ARGUMENT, absl::StrCat(what, ": the sizes add up to more than its ",
                                                     all.size(), " bytes (at string ", i, ")"));
    }
    if (at < all.size() && IsContinuationByte(all[at])) {
      return Fail(UPK_INVALID_ARGUMENT,
                  absl::StrCat(what, ": string ", i, " starts inside a UTF-8 character (byte ", at,
                               "): a size is wrong"));
    }
    out->push_back(all.substr(at, sizes[i]));
    at += sizes[i];
  }
  if (at != all.size()) {
    return Fail(UPK_INVALID_ARGUMENT, absl::StrCat(what, ": the sizes add up to ", at,
                                                   " bytes, the column has ", all.size()));
  }
  return UPK_OK;
}

}  // namespace

upk_status Columns(const upk_ledger* ledger, RunBatch run, upk_result* out,
                   const upk_request_columns* c) {
  if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
  if (upk_status s = CheckStruct(c, "columns"); s != UPK_OK) return s;
  const size_t count = c->count;
  if (count == 0) return UPK_OK;
  if (upk_status s = CheckResults(out, count); s != UPK_OK) return s;
  ledger::Request r{.expiry_micros = c->expiry_micros};
  if (upk_status s = Text(c->actor, "actor", &r.actor); s != UPK_OK) return s;
  if (upk_status s = Text(c->period, "period", &r.period); s != UPK_OK) return s;
  if (upk_status s = Text(c->category, "category", &r.category); s != UPK_OK) return s;
  if (upk_status s = Text(c->reason, "reason", &r.reason); s != UPK_OK) return s;
  Currency currency;
  if (upk_status s = CurrencyOf(c->currency, "currency", &currency); s != UPK_OK) return s;
  if (c->amounts_minor == nullptr) return NotNull(c->amounts_minor, "amounts_minor");
  std::vector<std::string_view> op_ids, customers;
  if (upk_status s = Column(c->op_ids, c->op_id_sizes, count, "op_ids", &op_ids); s != UPK_OK) {
    return s;
  }
  const bool by_envelope = c->envelopes != nullptr;
  if (by_envelope == (c->customer_sizes != nullptr)) {
    return Fail(UPK_INVALID_ARGUMENT,
                "columns: give customers (with their sizes) or envelopes, one of the two");
  }
  if (!by_envelope) {
    if (upk_status s = Column(c->customers, c->customer_sizes, count, "customers", &customers);
        s != UPK_OK) {
      return s;
    }
  } else if (c->customers.size != 0) {
    return Fail(UPK_INVALID_ARGUMENT, "columns: customers given with envelopes");
  }
  std::vector<ledger::Request> batch(count, r);
  std::vector<size_t> slots(count);
  for (size_t i = 0; i < count; ++i) {
    batch[i].op_id = op_ids[i];
    if (by_envelope) {
      batch[i].envelope = EnvelopeOf(c->envelopes[i]);
    } else {
      batch[i].customer = customers[i];
    }
    batch[i].amount = Money::FromMinor(c->amounts_minor[i], currency);
    slots[i] = i;
  }
  ApplyBatch(run, batch, slots, out);
  return UPK_OK;
}

}  // namespace upkeep::capi

using upkeep::capi::Columns;
using upkeep::capi::Guard;
using Requests = std::span<const upkeep::ledger::Request>;

extern "C" {

upk_status upk_ledger_reserve_columns(upk_result* out, upk_ledger* ledger,
                                      const upk_request_columns* columns) {
  return Guard([&] {
    return Columns(
        ledger, [&](Requests batch) { return ledger->ledger->ReserveBatch(batch); }, out, columns);
  });
}

upk_status upk_ledger_spend_columns(upk_result* out, upk_ledger* ledger,
                                    const upk_request_columns* columns) {
  return Guard([&] {
    return Columns(
        ledger, [&](Requests batch) { return ledger->ledger->SpendBatch(batch); }, out, columns);
  });
}

upk_status upk_ledger_check_columns(upk_result* out, const upk_ledger* ledger,
                                    const upk_request_columns* columns, int32_t as_spend) {
  return Guard([&] {
    return Columns(
        ledger, [&](Requests batch) { return ledger->ledger->CheckBatch(batch, as_spend != 0); },
        out, columns);
  });
}

}  // extern "C"
