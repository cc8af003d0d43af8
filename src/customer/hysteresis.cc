// Hysteresis: a wrapper that moves customers down only after N consecutive periods below.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "customer/builtin_classifiers.h"
#include "upkeep/classify.h"
#include "upkeep/status.h"

namespace upkeep {
namespace {

using customer_internal::ConfigErrors;

// For each tier of the history, the tier of the same name in `tier_names`, if any.
std::array<std::optional<TierIndex>, kMaxTiers> MapTiersByName(
    const TierHistory& history, const std::vector<std::string>& tier_names) {
  std::array<std::optional<TierIndex>, kMaxTiers> mapped;
  for (size_t h = 0; h < history.tier_names().size(); ++h) {
    for (size_t t = 0; t < tier_names.size(); ++t) {
      if (history.tier_names()[h] == tier_names[t]) mapped[h] = static_cast<TierIndex>(t);
    }
  }
  return mapped;
}

class HysteresisClassifier final : public Classifier {
 public:
  HysteresisClassifier(std::unique_ptr<const Classifier> inner, HysteresisConfig config)
      : inner_(std::move(inner)), config_(config) {}

  std::string_view name() const override { return inner_->name(); }

  absl::Status Classify(const Portfolio& portfolio, Classification& out) const override {
    return ClassifyWithHistory(portfolio, TierHistory(), out);
  }

  // The rule's tier r against last period's tier p: r at or above p takes r at once (and resets
  // the count); r below p keeps p until the count of consecutive periods below reaches
  // config_.periods, then takes r.
  absl::Status ClassifyWithHistory(const Portfolio& portfolio, const TierHistory& previous,
                                   Classification& out) const override {
    UPKEEP_RETURN_IF_ERROR(inner_->Classify(portfolio, out));
    UPKEEP_RETURN_IF_ERROR(CheckClassification(portfolio, out));
    absl::StrAppend(&out.rule, "; hysteresis: moves down after ", config_.periods, " period",
                    config_.periods == 1 ? "" : "s", " below");
    const std::array<std::optional<TierIndex>, kMaxTiers> mapped =
        MapTiersByName(previous, out.tier_names);
    const std::vector<TierHistory::Entry>& entries = previous.entries();
    size_t e = 0;  // both sorted by id: merge
    for (size_t i = 0; i < portfolio.size(); ++i) {
      const std::string& id = portfolio.customer(i).id;
      while (e < entries.size() && entries[e].customer_id < id) ++e;
      if (e == entries.size() || entries[e].customer_id != id) continue;
      const std::optional<TierIndex> held = mapped[entries[e].tier];
      if (!held.has_value() || out.rule_tier[i] <= *held) continue;
      const int periods_below = entries[e].periods_below + 1;
      if (periods_below >= config_.periods) continue;  // moves down to the rule's tier
      out.tier[i] = *held;
      out.reason[i] = TierReason::kHysteresis;
      out.periods_below[i] = static_cast<uint16_t>(periods_below);
    }
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<const Classifier> inner_;
  HysteresisConfig config_;
};

}  // namespace

namespace customer_internal {

absl::Status CheckHysteresisConfig(const HysteresisConfig& config, const ConfigErrors& errors) {
  if (config.periods < 1 || config.periods > kMaxHysteresisPeriods) {
    return errors.At("periods", absl::StrCat("must be between 1 and ", kMaxHysteresisPeriods));
  }
  return absl::OkStatus();
}

}  // namespace customer_internal

absl::StatusOr<std::unique_ptr<const Classifier>> WithHysteresis(
    std::unique_ptr<const Classifier> inner, HysteresisConfig config) {
  const ConfigErrors errors = ConfigErrors::ForStruct("hysteresis");
  if (inner == nullptr) return errors.At("", "the classifier to wrap is null");
  UPKEEP_RETURN_IF_ERROR(customer_internal::CheckHysteresisConfig(config, errors));
  return std::make_unique<const HysteresisClassifier>(std::move(inner), config);
}

}  // namespace upkeep
