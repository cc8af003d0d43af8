// capi/ledger_read.cc: balances, reservations, reports as JSON, and the journal.
#include <cstring>

#include "capi/internal.h"
#include "capi/ledger_json.h"

using upkeep::capi::Emit;
using upkeep::capi::FromStatus;
using upkeep::capi::Guard;
using upkeep::capi::NotNull;

extern "C" {

upk_status upk_ledger_balance(upk_balance* out, const upk_ledger* ledger, const upk_scope* scope) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    upkeep::ledger::ScopeRef ref;
    if (upk_status s = upkeep::capi::ScopeOf(scope, "scope", &ref); s != UPK_OK) return s;
    absl::StatusOr<upkeep::ledger::Balance> balance = ledger->ledger->GetBalance(ref);
    if (!balance.ok()) return FromStatus(balance.status());
    upkeep::capi::FillBalance(*balance, out);
    return UPK_OK;
  });
}

upk_status upk_ledger_reservation(upk_reservation* out, const upk_ledger* ledger, upk_str op_id) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::CheckStruct(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    std::string_view id;
    if (upk_status s = upkeep::capi::Text(op_id, "op_id", &id); s != UPK_OK) return s;
    absl::StatusOr<upkeep::ledger::ReservationInfo> info = ledger->ledger->GetReservation(id);
    if (!info.ok()) return FromStatus(info.status());
    *out = upk_reservation{sizeof(upk_reservation), static_cast<int32_t>(info->status),
                           info->amount_minor,      info->posted_minor,
                           info->refunded_minor,    info->expiry_micros};
    return UPK_OK;
  });
}

upk_status upk_ledger_scopes_json(char** out, const upk_ledger* ledger) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    return Emit(upkeep::capi::ScopesJson(ledger->ledger->Scopes()).dump(), out);
  });
}

upk_status upk_ledger_pending_approvals_json(char** out, const upk_ledger* ledger) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    return Emit(upkeep::capi::ApprovalsJson(ledger->ledger->PendingApprovals()).dump(), out);
  });
}

upk_status upk_ledger_history_json(char** out, const upk_ledger* ledger, const upk_scope* scope) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    upkeep::ledger::ScopeRef ref;
    if (upk_status s = upkeep::capi::ScopeOf(scope, "scope", &ref); s != UPK_OK) return s;
    absl::StatusOr<std::vector<upkeep::ledger::Event>> events = ledger->ledger->History(ref);
    if (!events.ok()) return FromStatus(events.status());
    return Emit(upkeep::capi::EventsJson(*events).dump(), out);
  });
}

upk_status upk_ledger_dump_state(char** out, const upk_ledger* ledger) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    return Emit(ledger->ledger->DumpState(), out);
  });
}

upk_status upk_ledger_journal_size(uint64_t* out, const upk_ledger* ledger) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    *out = ledger->journal->size();
    return UPK_OK;
  });
}

upk_status upk_ledger_journal_seal(uint8_t* out, upk_ledger* ledger) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    const upkeep::ledger::Digest head = ledger->journal->Seal();
    std::memcpy(out, head.data(), head.size());
    return UPK_OK;
  });
}

upk_status upk_ledger_journal_verify(const upk_ledger* ledger) {
  return Guard([&]() -> upk_status {
    if (upk_status s = NotNull(ledger, "ledger"); s != UPK_OK) return s;
    return FromStatus(ledger->journal->Verify());
  });
}

}  // extern "C"
