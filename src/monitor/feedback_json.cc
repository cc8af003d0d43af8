// The feedback log as JSON and back (feedback.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "monitor/json_text.h"
#include "upkeep/money.h"
#include "upkeep/monitor/feedback.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

using internal::Amount;
using internal::Optional;

using nlohmann::json;

// Reads fields of one record, naming "<list>/<index>/<field>" in errors.
class Reader {
 public:
  Reader(const json& node, std::string path) : node_(node), path_(std::move(path)) {}

  absl::StatusOr<std::string> Text(const char* key, bool required = true) const {
    const auto it = node_.find(key);
    if (it == node_.end() && !required) return std::string();
    if (it == node_.end() || !it->is_string()) return Error(key, "must be a string");
    return it->get<std::string>();
  }
  absl::StatusOr<int64_t> Int(const char* key, int64_t fallback) const {
    const auto it = node_.find(key);
    if (it == node_.end()) return fallback;
    if (!it->is_number_integer()) return Error(key, "must be an integer");
    return it->get<int64_t>();
  }
  absl::StatusOr<std::optional<int32_t>> Score(const char* key) const {
    const auto it = node_.find(key);
    if (it == node_.end() || it->is_null()) return std::optional<int32_t>();
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > kScoreMax) {
      return Error(key, "must be an integer from 0 to 10");
    }
    return std::optional<int32_t>(it->get<int32_t>());
  }
  absl::StatusOr<int64_t> MinorUnits(const char* key, Currency currency) const {
    UPKEEP_ASSIGN_OR_RETURN(const std::string text, Text(key));
    absl::StatusOr<upkeep::Money> m = upkeep::Money::Parse(text, currency);
    if (!m.ok()) return Error(key, m.status().message());
    return m->amount_minor();
  }
  absl::Status Error(std::string_view key, absl::string_view message) const {
    return MakeError(ErrorCode::kParse,
                     absl::StrCat("feedback log ", path_, "/", AsAbsl(key), ": ", message));
  }

 private:
  const json& node_;
  std::string path_;
};

const json& List(const json& root, const char* key) {
  static const json kEmpty = json::array();
  const auto it = root.find(key);
  return it != root.end() && it->is_array() ? *it : kEmpty;
}

absl::StatusOr<OutcomeRecord> ReadOutcome(const Reader& r, Currency currency) {
  OutcomeRecord o;
  UPKEEP_ASSIGN_OR_RETURN(o.customer, r.Text("customer"));
  UPKEEP_ASSIGN_OR_RETURN(o.period, r.Text("period"));
  UPKEEP_ASSIGN_OR_RETURN(o.revenue_minor, r.MinorUnits("revenue", currency));
  UPKEEP_ASSIGN_OR_RETURN(o.revenue_before_minor, r.MinorUnits("revenue_before", currency));
  UPKEEP_ASSIGN_OR_RETURN(const std::string renewal, r.Text("renewal"));
  absl::StatusOr<Renewal> parsed = ParseRenewal(renewal);
  if (!parsed.ok()) return r.Error("renewal", parsed.status().message());
  o.renewal = *parsed;
  return o;
}

absl::StatusOr<CustomerFeedback> ReadFeedback(const Reader& r) {
  CustomerFeedback f;
  UPKEEP_ASSIGN_OR_RETURN(f.id, r.Text("id"));
  UPKEEP_ASSIGN_OR_RETURN(f.customer, r.Text("customer"));
  UPKEEP_ASSIGN_OR_RETURN(f.period, r.Text("period"));
  UPKEEP_ASSIGN_OR_RETURN(f.satisfaction, r.Score("satisfaction"));
  UPKEEP_ASSIGN_OR_RETURN(f.recommend, r.Score("recommend"));
  UPKEEP_ASSIGN_OR_RETURN(const int64_t complaints, r.Int("complaints", 0));
  if (complaints < 0 || complaints > INT32_MAX) return r.Error("complaints", "out of range");
  f.complaints = static_cast<int32_t>(complaints);
  UPKEEP_ASSIGN_OR_RETURN(f.comment, r.Text("comment", false));
  return f;
}

absl::StatusOr<Assessment> ReadAssessment(const Reader& r) {
  Assessment a;
  UPKEEP_ASSIGN_OR_RETURN(a.id, r.Text("id"));
  UPKEEP_ASSIGN_OR_RETURN(a.customer, r.Text("customer"));
  UPKEEP_ASSIGN_OR_RETURN(a.period, r.Text("period"));
  UPKEEP_ASSIGN_OR_RETURN(a.author, r.Text("author"));
  UPKEEP_ASSIGN_OR_RETURN(const std::string role, r.Text("role"));
  absl::StatusOr<AssessorRole> parsed = ParseAssessorRole(role);
  if (!parsed.ok()) return r.Error("role", parsed.status().message());
  a.role = *parsed;
  UPKEEP_ASSIGN_OR_RETURN(const int64_t rating, r.Int("rating", 0));
  if (rating < -kRatingMax || rating > kRatingMax) return r.Error("rating", "outside -2..2");
  a.rating = static_cast<int32_t>(rating);
  UPKEEP_ASSIGN_OR_RETURN(a.comment, r.Text("comment", false));
  return a;
}

// Reads every element of root[key] with `read` and records it in `log`.
template <typename Read>
absl::Status ReadAll(const json& root, const char* key, Read read, FeedbackLog& log,
                     const FeedbackChecker& check) {
  const json& list = List(root, key);
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) {
      return MakeError(ErrorCode::kParse,
                       absl::StrCat("feedback log /", key, "/", i, ": must be an object"));
    }
    auto record = read(Reader(list[i], absl::StrCat("/", key, "/", i)));
    if (!record.ok()) return record.status();
    absl::StatusOr<RecordResult> recorded = log.Record(*record, check);
    if (!recorded.ok()) {
      return MakeError(
          ErrorCodeOf(recorded.status()),
          absl::StrCat("feedback log /", key, "/", i, ": ", recorded.status().message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

nlohmann::json ToJson(const FeedbackLog& log, Currency currency) {
  json outcomes = json::array(), feedback = json::array(), assessments = json::array();
  for (const OutcomeRecord& o : log.outcomes()) {
    outcomes.push_back({{"customer", o.customer},
                        {"period", o.period},
                        {"revenue", Amount(o.revenue_minor, currency)},
                        {"revenue_before", Amount(o.revenue_before_minor, currency)},
                        {"renewal", std::string(RenewalName(o.renewal))}});
  }
  for (const CustomerFeedback& f : log.feedback()) {
    feedback.push_back({{"id", f.id},
                        {"customer", f.customer},
                        {"period", f.period},
                        {"satisfaction", Optional(f.satisfaction)},
                        {"recommend", Optional(f.recommend)},
                        {"complaints", f.complaints},
                        {"comment", f.comment}});
  }
  for (const Assessment& a : log.assessments()) {
    assessments.push_back({{"id", a.id},
                           {"customer", a.customer},
                           {"period", a.period},
                           {"author", a.author},
                           {"role", std::string(AssessorRoleName(a.role))},
                           {"rating", a.rating},
                           {"comment", a.comment}});
  }
  return {{"currency", std::string(currency.code())},
          {"outcomes", std::move(outcomes)},
          {"feedback", std::move(feedback)},
          {"assessments", std::move(assessments)}};
}

absl::StatusOr<FeedbackLog> FeedbackLogFromJson(const nlohmann::json& root, Currency currency,
                                                const FeedbackChecker& check) {
  if (!root.is_object()) return MakeError(ErrorCode::kParse, "feedback log: must be an object");
  if (root.contains("currency") && root["currency"] != std::string(currency.code())) {
    return MakeError(ErrorCode::kCurrencyMismatch,
                     absl::StrCat("feedback log: in ", root["currency"].dump(), ", the book is in ",
                                  AsAbsl(currency.code())));
  }
  FeedbackLog log;
  UPKEEP_RETURN_IF_ERROR(ReadAll(
      root, "outcomes", [&](const Reader& r) { return ReadOutcome(r, currency); }, log, check));
  UPKEEP_RETURN_IF_ERROR(ReadAll(root, "feedback", ReadFeedback, log, check));
  UPKEEP_RETURN_IF_ERROR(ReadAll(root, "assessments", ReadAssessment, log, check));
  return log;
}

}  // namespace upkeep::monitor
