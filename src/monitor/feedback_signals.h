// monitor/feedback_signals.h: the built-in feedback policy "signals" (not public; see
// upkeep/monitor/proposal.h for what it does and its parameters).
#ifndef UPKEEP_MONITOR_FEEDBACK_SIGNALS_H_
#define UPKEEP_MONITOR_FEEDBACK_SIGNALS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "upkeep/monitor/proposal.h"
#include "upkeep/policy_params.h"

namespace upkeep::monitor::internal {

// kPolicyInvalid naming the JSON path of a bad parameter.
absl::StatusOr<std::unique_ptr<const FeedbackPolicy>> MakeSignalsPolicy(const PolicyParams& params);

}  // namespace upkeep::monitor::internal

#endif  // UPKEEP_MONITOR_FEEDBACK_SIGNALS_H_
