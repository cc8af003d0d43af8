#include "upkeep/io/feedback_csv.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "io/csv_rows.h"
#include "upkeep/status.h"

namespace upkeep::io {
namespace {

using internal::CellReader;
using internal::ColumnSpec;
using monitor::AssessorRole;

enum Field : size_t {
  kId,
  kCustomerId,
  kPeriod,
  kKind,
  kRevenue,
  kRevenueBefore,
  kRenewal,
  kSatisfaction,
  kRecommend,
  kComplaints,
  kRating,
  kAuthor,
  kComment
};
constexpr ColumnSpec kSpecs[] = {{"id"},
                                 {"customer_id"},
                                 {"period"},
                                 {"kind"},
                                 {"revenue", true},
                                 {"revenue_before", true},
                                 {"renewal", true},
                                 {"satisfaction", true},
                                 {"recommend", true},
                                 {"complaints", true},
                                 {"rating", true},
                                 {"author", true},
                                 {"comment", true}};

absl::StatusOr<monitor::OutcomeRecord> ReadOutcome(const CellReader& row, Currency currency) {
  monitor::OutcomeRecord o;
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view revenue, row.Text(kRevenue));
  UPKEEP_ASSIGN_OR_RETURN(o.revenue_minor, row.Amount(kRevenue, revenue, currency, false));
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view before, row.Text(kRevenueBefore));
  UPKEEP_ASSIGN_OR_RETURN(o.revenue_before_minor,
                          row.Amount(kRevenueBefore, before, currency, false));
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view renewal, row.Text(kRenewal, true));
  if (!renewal.empty()) {
    absl::StatusOr<monitor::Renewal> parsed = monitor::ParseRenewal(renewal);
    if (!parsed.ok()) {
      return row.Error(ErrorCode::kParse, kRenewal,
                       absl::StrCat("must be unknown, renewed or churned: ", AsAbsl(renewal)));
    }
    o.renewal = *parsed;
  }
  return o;
}

absl::StatusOr<monitor::CustomerFeedback> ReadCustomerFeedback(const CellReader& row) {
  monitor::CustomerFeedback f;
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> satisfaction,
                          row.Integer(kSatisfaction, 0, monitor::kScoreMax));
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> recommend,
                          row.Integer(kRecommend, 0, monitor::kScoreMax));
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> complaints,
                          row.Integer(kComplaints, 0, INT32_MAX));
  if (satisfaction) f.satisfaction = static_cast<int32_t>(*satisfaction);
  if (recommend) f.recommend = static_cast<int32_t>(*recommend);
  f.complaints = static_cast<int32_t>(complaints.value_or(0));
  UPKEEP_ASSIGN_OR_RETURN(f.comment, row.Text(kComment, true));
  return f;
}

absl::StatusOr<monitor::Assessment> ReadAssessment(const CellReader& row, AssessorRole role) {
  monitor::Assessment a;
  a.role = role;
  UPKEEP_ASSIGN_OR_RETURN(a.author, row.Text(kAuthor));
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> rating,
                          row.Integer(kRating, -monitor::kRatingMax, monitor::kRatingMax));
  if (!rating) return row.Error(ErrorCode::kInvalidArgument, kRating, "must not be empty");
  a.rating = static_cast<int32_t>(*rating);
  UPKEEP_ASSIGN_OR_RETURN(a.comment, row.Text(kComment, true));
  return a;
}

// Fills the fields every record shares.
template <typename Record>
FeedbackRow Row(std::string id, std::string customer, std::string period, Record record) {
  record.customer = std::move(customer);
  record.period = std::move(period);
  if constexpr (!std::is_same_v<Record, monitor::OutcomeRecord>) record.id = id;
  return FeedbackRow{.id = std::move(id), .record = std::move(record)};
}

absl::StatusOr<FeedbackRow> ReadRow(const CellReader& row, Currency currency) {
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view id, row.Text(kId));
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view customer, row.Text(kCustomerId));
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view period, row.Text(kPeriod));
  UPKEEP_ASSIGN_OR_RETURN(const std::string_view kind, row.Text(kKind));
  if (kind == "outcome") {
    UPKEEP_ASSIGN_OR_RETURN(auto record, ReadOutcome(row, currency));
    return Row(std::string(id), std::string(customer), std::string(period), std::move(record));
  }
  if (kind == "customer") {
    UPKEEP_ASSIGN_OR_RETURN(auto record, ReadCustomerFeedback(row));
    return Row(std::string(id), std::string(customer), std::string(period), std::move(record));
  }
  if (kind == "account_manager" || kind == "manager") {
    UPKEEP_ASSIGN_OR_RETURN(auto record,
                            ReadAssessment(row, kind == "manager" ? AssessorRole::kManager
                                                                  : AssessorRole::kAccountManager));
    return Row(std::string(id), std::string(customer), std::string(period), std::move(record));
  }
  return row.Error(
      ErrorCode::kParse, kKind,
      absl::StrCat("must be outcome, customer, account_manager or manager: ", AsAbsl(kind)));
}

}  // namespace

absl::StatusOr<FeedbackImport> ParseFeedbackCsv(std::string_view text, Currency currency,
                                                ImportMode mode, std::string_view source) {
  CsvReader reader(text);
  UPKEEP_ASSIGN_OR_RETURN(internal::Header header, internal::ReadHeader(reader, kSpecs, source));
  internal::RowReader rows(reader, std::move(header), kSpecs, source, "id");
  const auto read = [&](const CellReader& cells, FeedbackRow& row) -> absl::Status {
    UPKEEP_ASSIGN_OR_RETURN(row, ReadRow(cells, currency));
    return absl::OkStatus();
  };
  const auto key = [](const FeedbackRow& row) -> std::string_view { return row.id; };
  FeedbackImport result;
  UPKEEP_RETURN_IF_ERROR(internal::ReadAllRows(
      rows.LinesLeft(), mode,
      [&](FeedbackRow& row, RejectedRow& bad) -> absl::StatusOr<RowRead> {
        UPKEEP_ASSIGN_OR_RETURN(const RowRead got, rows.Next(read, key, row, bad));
        if (got == RowRead::kRow) row.line = rows.line();
        return got;
      },
      result.rows, result.rejected));
  return result;
}

}  // namespace upkeep::io
