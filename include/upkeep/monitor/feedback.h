// upkeep/monitor/feedback.h: what came back from the money spent (及时反馈): outcomes and
// feedback, per customer and period.
//
// Three kinds of record, each about one customer in one period:
//   OutcomeRecord     the business result: revenue in the period and in the comparable period
//                     before it (money, minor units of the book's currency), and whether the
//                     customer renewed or churned;
//   CustomerFeedback  what the customer said: satisfaction (0..10), likelihood to recommend
//                     (0..10, the NPS question: 9-10 promoter, 0-6 detractor), complaints, a
//                     comment;
//   Assessment        what the company's own people think: the account manager's or manager's
//                     rating of how the relationship went (-2 much worse .. +2 much better) and
//                     a comment.
// A FeedbackLog keeps them. Records are idempotent: an outcome is keyed by (customer, period),
// feedback and assessments by their own `id`; recording the same record again changes nothing,
// a different record under a taken key is kAlreadyExists (outcomes) or kIdempotencyConflict
// (ids). Effectiveness (effectiveness.h) and feedback policies (proposal.h) read the log.
//
// Errors (nothing is recorded): kInvalidArgument for an empty id, customer or period, a
// negative revenue or complaint count, a score or rating out of its range (the message names the
// field and the range), kInvalidUtf8 for text that is not UTF-8, kNotFound for a customer or
// period the checker does not know (Monitor::RecordOutcome and friends check against the facts
// the monitor learned from the ledger).
// Ownership: plain values. Thread safety: none of its own; Monitor guards its log with its lock.
#ifndef UPKEEP_MONITOR_FEEDBACK_H_
#define UPKEEP_MONITOR_FEEDBACK_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "upkeep/currency.h"

namespace upkeep::monitor {

enum class Renewal : uint8_t { kUnknown = 0, kRenewed = 1, kChurned = 2 };
std::string_view RenewalName(Renewal renewal);
absl::StatusOr<Renewal> ParseRenewal(std::string_view name);  // "unknown" | "renewed" | "churned"

enum class AssessorRole : uint8_t { kAccountManager = 0, kManager = 1 };
std::string_view AssessorRoleName(AssessorRole role);
absl::StatusOr<AssessorRole> ParseAssessorRole(std::string_view name);  // "account_manager" | ..

struct OutcomeRecord {
  std::string customer{};
  std::string period{};
  int64_t revenue_minor = 0;         // >= 0
  int64_t revenue_before_minor = 0;  // >= 0, the comparable period before
  Renewal renewal = Renewal::kUnknown;
  friend bool operator==(const OutcomeRecord&, const OutcomeRecord&) = default;
};

inline constexpr int32_t kScoreMax = 10;  // satisfaction and recommend are 0..10
inline constexpr int32_t kRatingMax = 2;  // assessments are -2..+2

struct CustomerFeedback {
  std::string id{};
  std::string customer{};
  std::string period{};
  std::optional<int32_t> satisfaction{};  // 0..10
  std::optional<int32_t> recommend{};     // 0..10
  int32_t complaints = 0;                 // >= 0
  std::string comment{};
  friend bool operator==(const CustomerFeedback&, const CustomerFeedback&) = default;
};

struct Assessment {
  std::string id{};
  std::string customer{};
  std::string period{};
  std::string author{};  // the actor id of the account manager or manager
  AssessorRole role = AssessorRole::kAccountManager;
  int32_t rating = 0;  // -2..+2
  std::string comment{};
  friend bool operator==(const Assessment&, const Assessment&) = default;
};

// Whether a customer / period id is known; kNotFound naming it if not.
struct FeedbackChecker {
  std::function<absl::Status(std::string_view customer)> customer;
  std::function<absl::Status(std::string_view period)> period;
};

// What Record* did: kAdded, or kUnchanged for the same record recorded again.
enum class RecordResult : uint8_t { kAdded = 0, kUnchanged = 1 };

class FeedbackLog {
 public:
  absl::StatusOr<RecordResult> Record(const OutcomeRecord& record, const FeedbackChecker& check);
  absl::StatusOr<RecordResult> Record(const CustomerFeedback& record, const FeedbackChecker& check);
  absl::StatusOr<RecordResult> Record(const Assessment& record, const FeedbackChecker& check);

  // In the order recorded.
  const std::vector<OutcomeRecord>& outcomes() const { return outcomes_; }
  const std::vector<CustomerFeedback>& feedback() const { return feedback_; }
  const std::vector<Assessment>& assessments() const { return assessments_; }

 private:
  std::vector<OutcomeRecord> outcomes_{};
  absl::flat_hash_map<std::string, size_t> outcome_index_{};  // "customer\0period"
  std::vector<CustomerFeedback> feedback_{};
  absl::flat_hash_map<std::string, size_t> feedback_index_{};  // by id
  std::vector<Assessment> assessments_{};
  absl::flat_hash_map<std::string, size_t> assessment_index_{};  // by id
};

// Every record as JSON (money as decimal strings), and back: FeedbackLogFromJson checks each
// record as Record does (kInvalidArgument / kParse naming the record's index and field).
nlohmann::json ToJson(const FeedbackLog& log, Currency currency);
absl::StatusOr<FeedbackLog> FeedbackLogFromJson(const nlohmann::json& json, Currency currency,
                                                const FeedbackChecker& check);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_FEEDBACK_H_
