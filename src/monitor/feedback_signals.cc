// The built-in feedback policy "signals" (proposal.h): percentage points per signal.
#include "monitor/feedback_signals.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "monitor/alert_text.h"
#include "monitor/params_util.h"
#include "upkeep/rounding.h"

namespace upkeep::monitor::internal {
namespace {

constexpr int64_t kStepMaxPct = 100;

struct Config {
  std::optional<int64_t> roi_margin_bp, roi_step_bp;
  std::optional<int64_t> satisfaction_high, satisfaction_low, satisfaction_step_bp;
  std::optional<int64_t> nps_step_bp;
  std::optional<int64_t> complaints_at_least, complaints_step_bp;
  std::optional<int64_t> assessment_step_bp;
  std::optional<int64_t> churned_step_bp;
  std::optional<int64_t> promote_at_bp, demote_at_bp;
};

// "+10.00 %" / "-5.00 %".
std::string Points(int64_t bp) { return absl::StrCat(bp >= 0 ? "+" : "", Percent(bp), " %"); }

// One customer's points and the reasons for them.
struct Tally {
  int64_t points_bp = 0;
  std::vector<std::string> reasons;
  void Add(int64_t bp, std::string why) {
    points_bp += bp;
    reasons.push_back(absl::StrCat(why, ": ", Points(bp)));
  }
};

class SignalsPolicy final : public FeedbackPolicy {
 public:
  explicit SignalsPolicy(Config config) : config_(std::move(config)) {}
  std::string_view name() const override { return "signals"; }

  absl::StatusOr<std::vector<CustomerChange>> Evaluate(const FeedbackInput& input) const override {
    std::vector<CustomerChange> changes;
    for (const CustomerSignals& s : input.customers) {
      Tally tally = Score(s, TierReturn(input.tiers, s.tier));
      const int32_t step = TierStep(tally.points_bp);
      if (tally.points_bp == 0 && step == 0) continue;
      if (step != 0) {
        tally.reasons.push_back(absl::StrCat("total ", Points(tally.points_bp), " reaches the ",
                                             step > 0 ? "promotion" : "demotion",
                                             " threshold: one tier ", step > 0 ? "up" : "down"));
      }
      changes.push_back({.customer = s.customer,
                         .tier_step = step,
                         .multiplier_bp = kMultiplierOne + tally.points_bp,
                         .reasons = std::move(tally.reasons)});
    }
    return changes;
  }

 private:
  static std::optional<int64_t> TierReturn(std::span<const EffectivenessRow> tiers,
                                           const std::string& tier) {
    const auto it = std::lower_bound(
        tiers.begin(), tiers.end(), tier,
        [](const EffectivenessRow& row, const std::string& key) { return row.key < key; });
    if (it == tiers.end() || it->key != tier) return std::nullopt;
    return it->return_bp;
  }

  Tally Score(const CustomerSignals& s, std::optional<int64_t> tier_return_bp) const {
    const Config& c = config_;
    Tally t;
    const std::optional<int64_t> ret = s.return_bp();
    if (c.roi_step_bp && ret && tier_return_bp) {
      const std::string why = absl::StrCat("return ", Percent(*ret), " % of spend against tier ",
                                           AsAbsl(s.tier), "'s ", Percent(*tier_return_bp), " %");
      if (*ret >= *tier_return_bp + *c.roi_margin_bp) t.Add(*c.roi_step_bp, why);
      if (*ret <= *tier_return_bp - *c.roi_margin_bp) t.Add(-*c.roi_step_bp, why);
    }
    const std::optional<int64_t> satisfaction = s.satisfaction_avg_centi();
    if (c.satisfaction_step_bp && satisfaction) {
      const std::string why =
          absl::StrCat("satisfaction ", Percent(*satisfaction), " on average over ",
                       s.satisfaction_responses, " answers");
      if (*satisfaction >= *c.satisfaction_high * 100) t.Add(*c.satisfaction_step_bp, why);
      if (*satisfaction <= *c.satisfaction_low * 100) t.Add(-*c.satisfaction_step_bp, why);
    }
    if (c.nps_step_bp && s.promoters != s.detractors) {
      t.Add(s.promoters > s.detractors ? *c.nps_step_bp : -*c.nps_step_bp,
            absl::StrCat(s.promoters, " promoter and ", s.detractors, " detractor answers"));
    }
    if (c.complaints_step_bp && s.complaints >= *c.complaints_at_least) {
      t.Add(-*c.complaints_step_bp, absl::StrCat(s.complaints, " complaints"));
    }
    const std::optional<int64_t> rating = s.rating_avg_centi();
    if (c.assessment_step_bp && rating && *rating != 0) {
      const int64_t bp = static_cast<int64_t>(DivideRounded(
          absl::int128(*rating) * *c.assessment_step_bp, 100, RoundingMode::kHalfEven));
      t.Add(bp, absl::StrCat("internal rating ", Percent(*rating), " on average from ",
                             s.assessments, " assessments"));
    }
    if (c.churned_step_bp && s.renewal == Renewal::kChurned) {
      t.Add(-*c.churned_step_bp, "churned");
    }
    return t;
  }

  int32_t TierStep(int64_t points_bp) const {
    if (config_.promote_at_bp && points_bp >= *config_.promote_at_bp) return 1;
    if (config_.demote_at_bp && points_bp <= -*config_.demote_at_bp) return -1;
    return 0;
  }

  Config config_;
};

// A signal's object: nullopt when absent; its keys checked.
absl::StatusOr<std::optional<PolicyParams>> Signal(const PolicyParams& section,
                                                   std::string_view key,
                                                   std::initializer_list<std::string_view> keys) {
  std::optional<PolicyParams> signal = section.OptionalChild(key);
  if (signal) UPKEEP_RETURN_IF_ERROR(signal->CheckKeys(keys));
  return signal;
}

absl::StatusOr<int64_t> RequiredPercentBp(const PolicyParams& params, std::string_view key,
                                          int64_t max_pct) {
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> bp, FindPercentBp(params, key, 0, max_pct));
  if (!bp) return params.Error(key, "is required");
  return *bp;
}

absl::StatusOr<int64_t> Score(const PolicyParams& params, std::string_view key, int64_t min) {
  UPKEEP_ASSIGN_OR_RETURN(const int64_t value, params.GetInt(key));
  if (value < min || value > kScoreMax) {
    return params.Error(key, absl::StrCat("must be between ", min, " and ", kScoreMax));
  }
  return value;
}

absl::StatusOr<Config> ReadConfig(const PolicyParams& p) {
  UPKEEP_RETURN_IF_ERROR(p.CheckKeys({"policy", "max_change_pct", "roi", "satisfaction", "nps",
                                      "complaints", "assessment", "churned", "tier_moves"}));
  Config c;
  UPKEEP_ASSIGN_OR_RETURN(auto roi, Signal(p, "roi", {"margin_pct", "step_pct"}));
  if (roi) {
    UPKEEP_ASSIGN_OR_RETURN(c.roi_margin_bp, RequiredPercentBp(*roi, "margin_pct", 100'000));
    UPKEEP_ASSIGN_OR_RETURN(c.roi_step_bp, RequiredPercentBp(*roi, "step_pct", kStepMaxPct));
  }
  UPKEEP_ASSIGN_OR_RETURN(auto sat, Signal(p, "satisfaction", {"high", "low", "step_pct"}));
  if (sat) {
    UPKEEP_ASSIGN_OR_RETURN(c.satisfaction_high, Score(*sat, "high", 0));
    UPKEEP_ASSIGN_OR_RETURN(c.satisfaction_low, Score(*sat, "low", 0));
    if (*c.satisfaction_low >= *c.satisfaction_high) {
      return sat->Error("low", "must be below high");
    }
    UPKEEP_ASSIGN_OR_RETURN(c.satisfaction_step_bp,
                            RequiredPercentBp(*sat, "step_pct", kStepMaxPct));
  }
  UPKEEP_ASSIGN_OR_RETURN(auto nps, Signal(p, "nps", {"step_pct"}));
  if (nps) {
    UPKEEP_ASSIGN_OR_RETURN(c.nps_step_bp, RequiredPercentBp(*nps, "step_pct", kStepMaxPct));
  }
  UPKEEP_ASSIGN_OR_RETURN(auto complaints, Signal(p, "complaints", {"at_least", "step_pct"}));
  if (complaints) {
    UPKEEP_ASSIGN_OR_RETURN(c.complaints_at_least, complaints->GetInt("at_least"));
    if (*c.complaints_at_least < 1) return complaints->Error("at_least", "must be at least 1");
    UPKEEP_ASSIGN_OR_RETURN(c.complaints_step_bp,
                            RequiredPercentBp(*complaints, "step_pct", kStepMaxPct));
  }
  UPKEEP_ASSIGN_OR_RETURN(auto assessment, Signal(p, "assessment", {"step_pct"}));
  if (assessment) {
    UPKEEP_ASSIGN_OR_RETURN(c.assessment_step_bp,
                            RequiredPercentBp(*assessment, "step_pct", kStepMaxPct));
  }
  UPKEEP_ASSIGN_OR_RETURN(auto churned, Signal(p, "churned", {"step_pct"}));
  if (churned) {
    UPKEEP_ASSIGN_OR_RETURN(c.churned_step_bp,
                            RequiredPercentBp(*churned, "step_pct", kStepMaxPct));
  }
  UPKEEP_ASSIGN_OR_RETURN(auto moves, Signal(p, "tier_moves", {"promote_at_pct", "demote_at_pct"}));
  if (moves) {
    UPKEEP_ASSIGN_OR_RETURN(c.promote_at_bp, FindPercentBp(*moves, "promote_at_pct", 1, 1000));
    UPKEEP_ASSIGN_OR_RETURN(c.demote_at_bp, FindPercentBp(*moves, "demote_at_pct", 1, 1000));
  }
  return c;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const FeedbackPolicy>> MakeSignalsPolicy(
    const PolicyParams& params) {
  UPKEEP_ASSIGN_OR_RETURN(Config config, ReadConfig(params));
  return std::make_unique<const SignalsPolicy>(std::move(config));
}

}  // namespace upkeep::monitor::internal
