#include "upkeep/monitor/feedback.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/status.h"
#include "upkeep/utf8.h"

namespace upkeep::monitor {
namespace {

absl::Status Invalid(std::string_view what, std::string_view message) {
  return MakeError(ErrorCode::kInvalidArgument, absl::StrCat(AsAbsl(what), ": ", AsAbsl(message)));
}

// The customer and period of any record: present, UTF-8, and known.
absl::Status CheckSubject(std::string_view what, std::string_view customer, std::string_view period,
                          const FeedbackChecker& check) {
  if (customer.empty()) return Invalid(what, "customer is empty");
  if (period.empty()) return Invalid(what, "period is empty");
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(customer, "customer"));
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(period, "period"));
  if (check.customer) UPKEEP_RETURN_IF_ERROR(check.customer(customer));
  if (check.period) UPKEEP_RETURN_IF_ERROR(check.period(period));
  return absl::OkStatus();
}

absl::Status CheckRange(std::string_view what, std::string_view field, int64_t value, int64_t min,
                        int64_t max) {
  if (value >= min && value <= max) return absl::OkStatus();
  return Invalid(what, absl::StrCat(AsAbsl(field), " ", value, " is outside ", min, "..", max));
}

absl::Status CheckRecord(const OutcomeRecord& r, const FeedbackChecker& check) {
  const std::string what = absl::StrCat("outcome of '", AsAbsl(r.customer), "'");
  UPKEEP_RETURN_IF_ERROR(CheckSubject(what, r.customer, r.period, check));
  if (r.revenue_minor < 0) return Invalid(what, "revenue is negative");
  if (r.revenue_before_minor < 0) return Invalid(what, "revenue_before is negative");
  return absl::OkStatus();
}

absl::Status CheckRecord(const CustomerFeedback& r, const FeedbackChecker& check) {
  const std::string what = absl::StrCat("feedback '", AsAbsl(r.id), "'");
  if (r.id.empty()) return Invalid("feedback", "id is empty");
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(r.id, "feedback id"));
  UPKEEP_RETURN_IF_ERROR(CheckSubject(what, r.customer, r.period, check));
  if (r.satisfaction) {
    UPKEEP_RETURN_IF_ERROR(CheckRange(what, "satisfaction", *r.satisfaction, 0, kScoreMax));
  }
  if (r.recommend) {
    UPKEEP_RETURN_IF_ERROR(CheckRange(what, "recommend", *r.recommend, 0, kScoreMax));
  }
  if (r.complaints < 0) return Invalid(what, "complaints is negative");
  return CheckUtf8(r.comment, "feedback comment");
}

absl::Status CheckRecord(const Assessment& r, const FeedbackChecker& check) {
  const std::string what = absl::StrCat("assessment '", AsAbsl(r.id), "'");
  if (r.id.empty()) return Invalid("assessment", "id is empty");
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(r.id, "assessment id"));
  UPKEEP_RETURN_IF_ERROR(CheckSubject(what, r.customer, r.period, check));
  if (r.author.empty()) return Invalid(what, "author is empty");
  UPKEEP_RETURN_IF_ERROR(CheckUtf8(r.author, "assessment author"));
  UPKEEP_RETURN_IF_ERROR(CheckRange(what, "rating", r.rating, -kRatingMax, kRatingMax));
  return CheckUtf8(r.comment, "assessment comment");
}

// Adds `record` under `key`, or finds the same record there already.
template <typename Record>
absl::StatusOr<RecordResult> Insert(const Record& record, std::string key, ErrorCode taken,
                                    std::vector<Record>& records,
                                    absl::flat_hash_map<std::string, size_t>& index) {
  const auto [it, inserted] = index.try_emplace(std::move(key), records.size());
  if (inserted) {
    records.push_back(record);
    return RecordResult::kAdded;
  }
  if (records[it->second] == record) return RecordResult::kUnchanged;
  return MakeError(taken, absl::StrCat("a different record is already kept for '",
                                       AsAbsl(record.customer), "' under the same key"));
}

}  // namespace

std::string_view RenewalName(Renewal renewal) {
  switch (renewal) {
    case Renewal::kUnknown:
      return "unknown";
    case Renewal::kRenewed:
      return "renewed";
    case Renewal::kChurned:
      return "churned";
  }
  return "unknown";
}

absl::StatusOr<Renewal> ParseRenewal(std::string_view name) {
  for (Renewal r : {Renewal::kUnknown, Renewal::kRenewed, Renewal::kChurned}) {
    if (name == RenewalName(r)) return r;
  }
  return Invalid("renewal",
                 absl::StrCat("'", AsAbsl(name), "' is not one of unknown, renewed, churned"));
}

std::string_view AssessorRoleName(AssessorRole role) {
  return role == AssessorRole::kManager ? "manager" : "account_manager";
}

absl::StatusOr<AssessorRole> ParseAssessorRole(std::string_view name) {
  for (AssessorRole r : {AssessorRole::kAccountManager, AssessorRole::kManager}) {
    if (name == AssessorRoleName(r)) return r;
  }
  return Invalid("role", absl::StrCat("'", AsAbsl(name), "' is not account_manager or manager"));
}

absl::StatusOr<RecordResult> FeedbackLog::Record(const OutcomeRecord& record,
                                                 const FeedbackChecker& check) {
  UPKEEP_RETURN_IF_ERROR(CheckRecord(record, check));
  return Insert(record,
                absl::StrCat(AsAbsl(record.customer), std::string(1, '\0'), AsAbsl(record.period)),
                ErrorCode::kAlreadyExists, outcomes_, outcome_index_);
}

absl::StatusOr<RecordResult> FeedbackLog::Record(const CustomerFeedback& record,
                                                 const FeedbackChecker& check) {
  UPKEEP_RETURN_IF_ERROR(CheckRecord(record, check));
  return Insert(record, record.id, ErrorCode::kIdempotencyConflict, feedback_, feedback_index_);
}

absl::StatusOr<RecordResult> FeedbackLog::Record(const Assessment& record,
                                                 const FeedbackChecker& check) {
  UPKEEP_RETURN_IF_ERROR(CheckRecord(record, check));
  return Insert(record, record.id, ErrorCode::kIdempotencyConflict, assessments_,
                assessment_index_);
}

}  // namespace upkeep::monitor
