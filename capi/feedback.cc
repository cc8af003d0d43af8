// capi/feedback.cc: what came back from the money spent, recorded on a ledger's monitor (outcomes,
// customer feedback, assessments, one or many), the log as JSON, and effectiveness as JSON.
#include "upkeep/monitor/feedback.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "capi/internal.h"
#include "upkeep/monitor/effectiveness.h"

namespace upkeep::capi {
namespace {

// `s` checked as Text and copied.
upk_status Copy(upk_str s, const char* what, std::string* out) {
  std::string_view text;
  if (upk_status st = Text(s, what, &text); st != UPK_OK) return st;
  *out = std::string(text);
  return UPK_OK;
}

// A C enumeration value in [first, last], else UPK_INVALID_ARGUMENT naming the family.
upk_status InRange(int32_t value, const char* what, int32_t first, int32_t last,
                   const char* family) {
  if (value < first || value > last) {
    return Fail(UPK_INVALID_ARGUMENT, absl::StrCat(what, " ", value, " is not an ", family));
  }
  return UPK_OK;
}

upk_status Convert(const upk_outcome_record* r, monitor::OutcomeRecord* out) {
  if (upk_status s = CheckStruct(r, "record"); s != UPK_OK) return s;
  if (upk_status s = Copy(r->customer, "customer", &out->customer); s != UPK_OK) return s;
  if (upk_status s = Copy(r->period, "period", &out->period); s != UPK_OK) return s;
  if (upk_status s =
          InRange(r->renewal, "renewal", UPK_RENEWAL_UNKNOWN, UPK_RENEWAL_CHURNED, "UPK_RENEWAL_");
      s != UPK_OK) {
    return s;
  }
  out->revenue_minor = r->revenue_minor;
  out->revenue_before_minor = r->revenue_before_minor;
  out->renewal = static_cast<monitor::Renewal>(r->renewal);
  return UPK_OK;
}

upk_status Convert(const upk_customer_feedback* r, monitor::CustomerFeedback* out) {
  if (upk_status s = CheckStruct(r, "record"); s != UPK_OK) return s;
  if (upk_status s = Copy(r->id, "id", &out->id); s != UPK_OK) return s;
  if (upk_status s = Copy(r->customer, "customer", &out->customer); s != UPK_OK) return s;
  if (upk_status s = Copy(r->period, "period", &out->period); s != UPK_OK) return s;
  if (upk_status s = Copy(r->comment, "comment", &out->comment); s != UPK_OK) return s;
  if (r->has_satisfaction != 0) out->satisfaction = r->satisfaction;
  if (r->has_recommend != 0) out->recommend = r->recommend;
  out->complaints = r->complaints;
  return UPK_OK;
}

upk_status Convert(const upk_assessment* r, monitor::Assessment* out) {
  if (upk_status s = CheckStruct(r, "record"); s != UPK_OK) return s;
  if (upk_status s = Copy(r->id, "id", &out->id); s != UPK_OK) return s;
  if (upk_status s = Copy(r->customer, "customer", &out->customer); s != UPK_OK) return s;
  if (upk_status s = Copy(r->period, "period", &out->period); s != UPK_OK) return s;
  if (upk_status s = Copy(r->author, "author", &out->author); s != UPK_OK) return s;
  if (upk_status s = Copy(r->comment, "comment", &out->comment); s != UPK_OK) return s;
  if (upk_status s = InRange(r->role, "role", UPK_ASSESSOR_ACCOUNT_MANAGER, UPK_ASSESSOR_MANAGER,
                             "UPK_ASSESSOR_");
      s != UPK_OK) {
    return s;
  }
  out->role = static_cast<monitor::AssessorRole>(r->role);
  out->rating = r->rating;
  return UPK_OK;
}

// Converts the C record `Record` to the engine's `Engine` and keeps it; *out the RecordResult.
template <typename Engine, typename Record>
upk_status RecordOne(monitor::Monitor& m, const Record* record, int32_t* out) {
  Engine r;
  if (upk_status s = Convert(record, &r); s != UPK_OK) return s;
  absl::StatusOr<monitor::RecordResult> result = m.Record(r);
  if (!result.ok()) return FromStatus(result.status());
  if (out != nullptr) *out = static_cast<int32_t>(*result);
  return UPK_OK;
}

template <typename Engine, typename Record>
upk_status RecordSingle(int32_t* out, upk_ledger* ledger, const Record* record) {
  monitor::Monitor* m = nullptr;
  if (upk_status s = MonitorOf(ledger, &m); s != UPK_OK) return s;
  return RecordOne<Engine>(*m, record, out);
}

// records[0..count) in order, stopping at the first bad one (as upk_portfolio_builder_add_many).
template <typename Engine, typename Record>
upk_status RecordMany(size_t* out, upk_ledger* ledger, const Record* records, size_t count) {
  if (upk_status s = NotNull(out, "out"); s != UPK_OK) return s;
  monitor::Monitor* m = nullptr;
  if (upk_status s = MonitorOf(ledger, &m); s != UPK_OK) return s;
  if (count > 0 && records == nullptr) return NotNull(records, "records");
  for (size_t done = 0; done < count; ++done) {
    if (upk_status s = RecordOne<Engine>(*m, &records[done], nullptr); s != UPK_OK) {
      *out = done;
      return Fail(s, absl::StrCat("records[", done, "]: ", LastError()));
    }
  }
  *out = count;
  return UPK_OK;
}

}  // namespace
}  // namespace upkeep::capi

using upkeep::capi::Guard;
namespace mon = upkeep::monitor;

extern "C" {

upk_status upk_ledger_record_outcome(int32_t* out, upk_ledger* ledger,
                                     const upk_outcome_record* record) {
  return Guard([&] { return upkeep::capi::RecordSingle<mon::OutcomeRecord>(out, ledger, record); });
}

upk_status upk_ledger_record_feedback(int32_t* out, upk_ledger* ledger,
                                      const upk_customer_feedback* record) {
  return Guard(
      [&] { return upkeep::capi::RecordSingle<mon::CustomerFeedback>(out, ledger, record); });
}

upk_status upk_ledger_record_assessment(int32_t* out, upk_ledger* ledger,
                                        const upk_assessment* record) {
  return Guard([&] { return upkeep::capi::RecordSingle<mon::Assessment>(out, ledger, record); });
}

upk_status upk_ledger_record_outcomes(size_t* out, upk_ledger* ledger,
                                      const upk_outcome_record* records, size_t count) {
  return Guard(
      [&] { return upkeep::capi::RecordMany<mon::OutcomeRecord>(out, ledger, records, count); });
}

upk_status upk_ledger_record_feedbacks(size_t* out, upk_ledger* ledger,
                                       const upk_customer_feedback* records, size_t count) {
  return Guard(
      [&] { return upkeep::capi::RecordMany<mon::CustomerFeedback>(out, ledger, records, count); });
}

upk_status upk_ledger_record_assessments(size_t* out, upk_ledger* ledger,
                                         const upk_assessment* records, size_t count) {
  return Guard(
      [&] { return upkeep::capi::RecordMany<mon::Assessment>(out, ledger, records, count); });
}

upk_status upk_ledger_feedback_json(char** out, const upk_ledger* ledger) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    mon::Monitor* m = nullptr;
    if (upk_status s = upkeep::capi::MonitorOf(ledger, &m); s != UPK_OK) return s;
    std::string text;
    m->ReadFeedback([&](const mon::Facts&, const mon::FeedbackLog& log) {
      text = mon::ToJson(log, m->currency()).dump();
    });
    return upkeep::capi::Emit(text, out);
  });
}

upk_status upk_ledger_effectiveness_json(char** out, const upk_ledger* ledger,
                                         const upk_effectiveness_request* request) {
  return Guard([&]() -> upk_status {
    if (upk_status s = upkeep::capi::NotNull(out, "out"); s != UPK_OK) return s;
    mon::Monitor* m = nullptr;
    if (upk_status s = upkeep::capi::MonitorOf(ledger, &m); s != UPK_OK) return s;
    if (upk_status s = upkeep::capi::CheckStruct(request, "request"); s != UPK_OK) return s;
    mon::EffectivenessRequest r;
    if (upk_status s = upkeep::capi::Copy(request->period, "period", &r.period); s != UPK_OK) {
      return s;
    }
    if (upk_status s = upkeep::capi::InRange(request->group_by, "group_by", UPK_DIMENSION_COMPANY,
                                             UPK_DIMENSION_CATEGORY, "UPK_DIMENSION_");
        s != UPK_OK) {
      return s;
    }
    r.group_by = static_cast<mon::Dimension>(request->group_by);
    absl::StatusOr<std::string> text;
    m->ReadFeedback([&](const mon::Facts& facts, const mon::FeedbackLog& log) {
      absl::StatusOr<mon::EffectivenessReport> report = mon::Effectiveness(facts, log, r);
      if (!report.ok()) {
        text = report.status();
        return;
      }
      text = mon::ToJson(*report, m->currency()).dump();
    });
    if (!text.ok()) return upkeep::capi::FromStatus(text.status());
    return upkeep::capi::Emit(*text, out);
  });
}

}  // extern "C"
