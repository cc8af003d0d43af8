// ClassifierRegistry: classifier factories by name, with the built-ins.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/absl_compat.h"
#include "customer/builtin_classifiers.h"
#include "upkeep/classify.h"
#include "upkeep/status.h"

namespace upkeep {

ClassifierRegistry ClassifierRegistry::WithBuiltins() {
  ClassifierRegistry registry;
  registry.factories_.emplace("threshold", customer_internal::ThresholdClassifierFromParams);
  registry.factories_.emplace("abc", customer_internal::AbcClassifierFromParams);
  registry.factories_.emplace("rfm", customer_internal::RfmClassifierFromParams);
  return registry;
}

absl::Status ClassifierRegistry::Register(std::string name, ClassifierFactory factory) {
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "classifier name is empty");
  if (!factory) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("classifier \"", name, "\": factory is empty"));
  }
  if (factories_.contains(name)) {
    return MakeError(ErrorCode::kAlreadyExists,
                     absl::StrCat("classifier \"", name, "\" is already registered"));
  }
  factories_.emplace(std::move(name), std::move(factory));
  return absl::OkStatus();
}

bool ClassifierRegistry::Contains(std::string_view name) const {
  return factories_.find(name) != factories_.end();
}

std::vector<std::string> ClassifierRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

absl::StatusOr<std::unique_ptr<const Classifier>> ClassifierRegistry::Create(
    std::string_view name, const PolicyParams& params,
    std::span<const std::string> tier_names) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("unknown classifier \"", AsAbsl(name),
                                  "\"; registered: ", absl::StrJoin(names(), ", ")));
  }
  absl::StatusOr<std::unique_ptr<const Classifier>> classifier = it->second(params, tier_names);
  if (classifier.ok() && *classifier == nullptr) {
    return MakeError(ErrorCode::kCallbackFailed,
                     absl::StrCat("classifier factory \"", AsAbsl(name), "\" returned null"));
  }
  return classifier;
}

}  // namespace upkeep
