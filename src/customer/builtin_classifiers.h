// customer/builtin_classifiers.h: the built-in classifiers' policy-section factories (internal).
//
// Each reads its parameters from a policy section (without "classifier" and "hysteresis") and
// validates them with the same checks as its C++ Make* function, naming JSON paths.
//
// Thread safety: pure functions.
#ifndef UPKEEP_CUSTOMER_BUILTIN_CLASSIFIERS_H_
#define UPKEEP_CUSTOMER_BUILTIN_CLASSIFIERS_H_

#include <memory>
#include <span>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "customer/config_errors.h"
#include "upkeep/classify.h"
#include "upkeep/policy_params.h"

namespace upkeep::customer_internal {

absl::StatusOr<std::unique_ptr<const Classifier>> ThresholdClassifierFromParams(
    const PolicyParams& params, std::span<const std::string> tier_names);
absl::StatusOr<std::unique_ptr<const Classifier>> AbcClassifierFromParams(
    const PolicyParams& params, std::span<const std::string> tier_names);
absl::StatusOr<std::unique_ptr<const Classifier>> RfmClassifierFromParams(
    const PolicyParams& params, std::span<const std::string> tier_names);

// periods within 1..kMaxHysteresisPeriods.
absl::Status CheckHysteresisConfig(const HysteresisConfig& config, const ConfigErrors& errors);

// Reads the elements of the array `key` of `params` as Decimals (nullopt when absent).
absl::StatusOr<std::optional<std::vector<Decimal>>> FindDecimals(const PolicyParams& params,
                                                                 std::string_view key);

}  // namespace upkeep::customer_internal

#endif  // UPKEEP_CUSTOMER_BUILTIN_CLASSIFIERS_H_
