#include "book_records.h"

#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "upkeep/monitor/report.h"
#include "upkeep/status.h"

namespace upkeep::cli {
namespace {

namespace mon = ::upkeep::monitor;

// Kept records name known customers and periods: the book checked them when it kept them.
const mon::FeedbackChecker& AnyName() {
  static const mon::FeedbackChecker kAny{
      .customer = [](std::string_view) { return absl::OkStatus(); },
      .period = [](std::string_view) { return absl::OkStatus(); }};
  return kAny;
}

std::string_view KindOf(const mon::OutcomeRecord&) { return "outcome"; }
std::string_view KindOf(const mon::CustomerFeedback&) { return "customer"; }
std::string_view KindOf(const mon::Assessment& a) { return mon::AssessorRoleName(a.role); }

// The record that keeps `row` (checked for range and UTF-8 as FeedbackLog::Record does).
absl::StatusOr<store::KeptRecord> FeedbackRecordOf(const io::FeedbackRow& row, Currency currency) {
  return std::visit(
      [&](const auto& record) -> absl::StatusOr<store::KeptRecord> {
        mon::FeedbackLog one;
        UPKEEP_RETURN_IF_ERROR(one.Record(record, AnyName()).status());
        return store::KeptRecord{row.id, std::string(KindOf(record)), record.customer,
                                 record.period, mon::ToJson(one, currency).dump()};
      },
      row.record);
}

// Whether `row` is new (true), kept already (false), or bad (its status).
absl::StatusOr<bool> RecordRow(const io::FeedbackRow& row, const store::KeptRecord& record,
                               const absl::flat_hash_map<std::string, store::KeptRecord>& kept,
                               mon::Monitor& watcher) {
  if (const auto it = kept.find(row.id); it != kept.end()) {
    if (it->second == record) return false;
    return MakeError(
        ErrorCode::kIdempotencyConflict,
        absl::StrCat("id: ", row.id, " is in the book already with different contents (",
                     it->second.kind, " of ", it->second.subject, " in ", it->second.period, ")"));
  }
  UPKEEP_ASSIGN_OR_RETURN(const mon::RecordResult result,
                          std::visit([&](const auto& r) { return watcher.Record(r); }, row.record));
  return result == mon::RecordResult::kAdded;
}

}  // namespace

absl::StatusOr<std::vector<absl::StatusOr<bool>>> KeepFeedbackRows(
    store::Store& store, mon::Monitor& watcher, std::span<const io::FeedbackRow> rows,
    Progress* progress) {
  absl::flat_hash_map<std::string, store::KeptRecord> kept;
  UPKEEP_RETURN_IF_ERROR(
      store.ForEachRecord(store::RecordTable::kFeedback, [&](const store::KeptRecord& record) {
        kept.emplace(record.id, record);
        return absl::OkStatus();
      }));
  std::vector<absl::StatusOr<bool>> results;
  std::vector<store::KeptRecord> fresh;
  for (const io::FeedbackRow& row : rows) {
    if (progress != nullptr) progress->Update(results.size());
    absl::StatusOr<store::KeptRecord> record = FeedbackRecordOf(row, watcher.currency());
    absl::StatusOr<bool> added =
        record.ok() ? RecordRow(row, *record, kept, watcher) : record.status();
    if (added.ok() && *added) fresh.push_back(*std::move(record));
    results.push_back(std::move(added));
  }
  if (progress != nullptr) progress->Finish();
  UPKEEP_RETURN_IF_ERROR(store.PutRecords(store::RecordTable::kFeedback, fresh).status());
  return results;
}

std::string_view FeedbackKind(const io::FeedbackRow& row) {
  return std::visit([](const auto& record) { return KindOf(record); }, row.record);
}

absl::Status RecordKeptFeedback(const store::Store& store, mon::Monitor& watcher) {
  return store.ForEachRecord(
      store::RecordTable::kFeedback, [&](const store::KeptRecord& kept) -> absl::Status {
        const auto corrupt = [&](absl::string_view problem) {
          return MakeError(ErrorCode::kCorrupt,
                           absl::StrCat(store.uri(), ": feedback record ", kept.id, ": ", problem));
        };
        const nlohmann::json body = nlohmann::json::parse(kept.body, nullptr, false);
        if (body.is_discarded()) return corrupt("its body is not JSON");
        absl::StatusOr<mon::FeedbackLog> log =
            mon::FeedbackLogFromJson(body, watcher.currency(), AnyName());
        if (!log.ok()) return corrupt(log.status().message());
        absl::Status recorded;
        for (const auto& o : log->outcomes()) recorded.Update(watcher.Record(o).status());
        for (const auto& f : log->feedback()) recorded.Update(watcher.Record(f).status());
        for (const auto& a : log->assessments()) recorded.Update(watcher.Record(a).status());
        if (!recorded.ok()) return corrupt(recorded.message());
        return absl::OkStatus();
      });
}

absl::Status KeepAlerts(store::Store& store, std::span<const mon::Alert> alerts,
                        Currency currency) {
  if (alerts.empty()) return absl::OkStatus();
  absl::flat_hash_set<std::string> kept;
  UPKEEP_RETURN_IF_ERROR(
      store.ForEachRecord(store::RecordTable::kAlerts, [&](const store::KeptRecord& record) {
        kept.insert(record.id);
        return absl::OkStatus();
      }));
  std::vector<store::KeptRecord> fresh;
  for (const mon::Alert& alert : alerts) {
    const std::string scope = alert.metrics.scope.ToString();
    std::string id = absl::StrCat(alert.rule_id, "|", alert.cleared ? "cleared" : "raised", "|",
                                  scope, "|", alert.threshold_bp, "|", alert.time_micros);
    if (!kept.insert(id).second) continue;
    nlohmann::json body = mon::ToJson(alert, currency);
    body.erase("seq");
    fresh.push_back({std::move(id), std::string(mon::AlertKindName(alert.kind)), scope,
                     alert.metrics.scope.period, body.dump()});
  }
  if (fresh.empty()) return absl::OkStatus();
  return store.PutRecords(store::RecordTable::kAlerts, fresh).status();
}

}  // namespace upkeep::cli
