// Monitor: the feedback log it keeps beside the facts (monitor.h, feedback.h).
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "upkeep/monitor/monitor.h"
#include "upkeep/status.h"

namespace upkeep::monitor {

FeedbackChecker Monitor::CheckerLocked() const {
  // Called only under mu_ (Record holds it), so reading facts_ here is guarded.
  return {.customer =
              [this](std::string_view id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                if (facts_.FindCustomer(id)) return absl::OkStatus();
                return MakeError(ErrorCode::kNotFound,
                                 absl::StrCat("no customer '", AsAbsl(id), "' in the ledger"));
              },
          .period =
              [this](std::string_view id) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                if (facts_.FindPeriod(id)) return absl::OkStatus();
                return MakeError(ErrorCode::kNotFound,
                                 absl::StrCat("no period '", AsAbsl(id), "' in the ledger"));
              }};
}

absl::StatusOr<RecordResult> Monitor::Record(const OutcomeRecord& record) {
  WriterLock lock(&mu_);
  return feedback_.Record(record, CheckerLocked());
}

absl::StatusOr<RecordResult> Monitor::Record(const CustomerFeedback& record) {
  WriterLock lock(&mu_);
  return feedback_.Record(record, CheckerLocked());
}

absl::StatusOr<RecordResult> Monitor::Record(const Assessment& record) {
  WriterLock lock(&mu_);
  return feedback_.Record(record, CheckerLocked());
}

void Monitor::ReadFeedback(absl::FunctionRef<void(const Facts&, const FeedbackLog&)> read) const {
  WriterLock lock(&mu_);
  read(facts_, feedback_);
}

}  // namespace upkeep::monitor
