// MakeClassifier: the classification section of a policy document, compiled into a classifier.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "customer/builtin_classifiers.h"
#include "nlohmann/json.hpp"
#include "upkeep/classify.h"
#include "upkeep/status.h"

namespace upkeep {
namespace customer_internal {

absl::StatusOr<std::optional<std::vector<Decimal>>> FindDecimals(const PolicyParams& params,
                                                                 std::string_view key) {
  std::optional<PolicyParams> array = params.OptionalChild(key);
  if (!array.has_value()) return std::nullopt;
  UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> elements, array->Elements());
  std::vector<Decimal> values;
  values.reserve(elements.size());
  for (const PolicyParams& element : elements) {
    UPKEEP_ASSIGN_OR_RETURN(Decimal value, element.AsDecimal());
    values.push_back(value);
  }
  return values;
}

namespace {

absl::StatusOr<std::optional<HysteresisConfig>> ReadHysteresis(const PolicyParams& section) {
  std::optional<PolicyParams> params = section.OptionalChild("hysteresis");
  if (!params.has_value()) return std::nullopt;
  UPKEEP_RETURN_IF_ERROR(params->CheckKeys({"periods"}));
  UPKEEP_ASSIGN_OR_RETURN(int64_t periods, params->GetInt("periods"));
  HysteresisConfig config;
  // Out-of-range values stay out of range for CheckHysteresisConfig.
  config.periods = static_cast<int>(std::clamp<int64_t>(periods, 0, kMaxHysteresisPeriods + 1));
  UPKEEP_RETURN_IF_ERROR(CheckHysteresisConfig(config, ConfigErrors::ForSection(params->path())));
  return config;
}

}  // namespace
}  // namespace customer_internal

absl::StatusOr<std::unique_ptr<const Classifier>> MakeClassifier(
    const PolicyParams& section, std::span<const std::string> tier_names,
    const ClassifierRegistry& registry) {
  if (!section.IsObject()) return section.Error("", "must be an object");
  UPKEEP_ASSIGN_OR_RETURN(std::string name, section.GetString("classifier"));
  if (!registry.Contains(name)) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(section.path(), "/classifier: unknown classifier \"", name,
                                  "\"; registered: ", absl::StrJoin(registry.names(), ", ")));
  }
  UPKEEP_ASSIGN_OR_RETURN(std::optional<HysteresisConfig> hysteresis,
                          customer_internal::ReadHysteresis(section));
  // The factory sees only its own parameters, at their paths in the document.
  nlohmann::json own = section.json();
  own.erase("classifier");
  own.erase("hysteresis");
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<const Classifier> classifier,
                          registry.Create(name, PolicyParams(own, section.path()), tier_names));
  if (!hysteresis.has_value()) return classifier;
  return WithHysteresis(std::move(classifier), *hysteresis);
}

}  // namespace upkeep
