// AllocationRegistry (with the built-ins) and MakeAllocationPolicy.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocation/distribution_rules.h"
#include "allocation/pipeline.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "upkeep/allocation.h"
#include "upkeep/status.h"

namespace upkeep {

AllocationRegistry::AllocationRegistry() {
  factories_.emplace("tier_shares", allocation_internal::MakeTierShares);
  factories_.emplace("tier_weights", allocation_internal::MakeTierWeights);
  factories_.emplace("proportional", allocation_internal::MakeProportional);
  factories_.emplace("fixed_per_tier", allocation_internal::MakeFixedPerTier);
  factories_.emplace("pipeline", allocation_internal::MakePipeline);
}

absl::Status AllocationRegistry::Register(std::string name, AllocationFactory factory) {
  if (name.empty() || !factory) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an allocation policy needs a non-empty name and a factory");
  }
  if (name == "caps") {
    return MakeError(ErrorCode::kAlreadyExists,
                     "allocation policy \"caps\" is taken by the pipeline's floors-and-caps step");
  }
  const std::string message =
      absl::StrCat("allocation policy \"", name, "\" is already registered");
  if (!factories_.emplace(std::move(name), std::move(factory)).second) {
    return MakeError(ErrorCode::kAlreadyExists, message);
  }
  return absl::OkStatus();
}

bool AllocationRegistry::Contains(std::string_view name) const {
  return factories_.contains(AsAbsl(name));
}

std::vector<std::string> AllocationRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::unique_ptr<const AllocationPolicy>> AllocationRegistry::Create(
    std::string_view name, const PolicyParams& params,
    std::span<const std::string> tier_names) const {
  const auto it = factories_.find(AsAbsl(name));
  if (it == factories_.end()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(params.path(), ": unknown allocation policy \"", AsAbsl(name),
                                  "\"; registered: ", absl::StrJoin(Names(), ", ")));
  }
  UPKEEP_ASSIGN_OR_RETURN(std::unique_ptr<const AllocationPolicy> policy,
                          it->second(params, AllocationContext{tier_names, this}));
  if (policy == nullptr) {
    return MakeError(
        ErrorCode::kCallbackFailed,
        absl::StrCat(params.path(), ": the factory of \"", AsAbsl(name), "\" returned no policy"));
  }
  return policy;
}

absl::StatusOr<std::unique_ptr<const AllocationPolicy>> MakeAllocationPolicy(
    const PolicyParams& section, std::span<const std::string> tier_names,
    const AllocationRegistry& registry) {
  if (!section.IsObject()) return section.Error("", "must be an object");
  UPKEEP_ASSIGN_OR_RETURN(std::string name, section.GetString("policy"));
  return registry.Create(name, section, tier_names);
}

}  // namespace upkeep
