#include "upkeep/monitor/forecast.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "monitor/json_text.h"
#include "upkeep/money.h"
#include "upkeep/rounding.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

using internal::Amount;

constexpr int64_t kPartsPerBillion = 1'000'000'000;
constexpr int kMaxBuckets = 366;

// The elapsed part of the period, in [0, length].
absl::StatusOr<std::pair<int64_t, int64_t>> Elapsed(const ForecastInput& input) {
  if (input.end_micros <= input.start_micros) {
    return MakeError(ErrorCode::kInvalidArgument, "forecast: the period is empty");
  }
  const int64_t length = input.end_micros - input.start_micros;
  const int64_t now = std::clamp(input.now_micros, input.start_micros, input.end_micros);
  return std::make_pair(now - input.start_micros, length);
}

int32_t ToBasisPoints(int64_t part, int64_t whole) {
  return static_cast<int32_t>(absl::int128(part) * 10000 / whole);
}

class LinearForecast final : public ForecastMethod {
 public:
  std::string_view name() const override { return "linear"; }
  absl::StatusOr<Projection> Project(const ForecastInput& input) const override {
    UPKEEP_ASSIGN_OR_RETURN(const auto elapsed, Elapsed(input));
    const auto [done, length] = elapsed;
    Projection p;
    p.expected_share_bp = ToBasisPoints(done, length);
    if (done == 0) {
      p.projected_minor = input.used_minor;
      p.explanation = "linear: the period has not started; projection = used so far";
      return p;
    }
    UPKEEP_ASSIGN_OR_RETURN(p.projected_minor,
                            DivideRoundedToInt64(absl::int128(input.used_minor) * length, done,
                                                 RoundingMode::kHalfEven));
    if (!input.explain) return p;
    p.explanation = absl::StrCat("linear: ", Amount(input.used_minor, input.currency), " used in ",
                                 p.expected_share_bp / 100.0, " % of the period -> ",
                                 Amount(p.projected_minor, input.currency), " by its end");
    return p;
  }
};

class SeasonalForecast final : public ForecastMethod {
 public:
  explicit SeasonalForecast(SeasonalProfile profile) : profile_(std::move(profile)) {}
  std::string_view name() const override { return "seasonal"; }
  absl::StatusOr<Projection> Project(const ForecastInput& input) const override {
    UPKEEP_ASSIGN_OR_RETURN(const auto elapsed, Elapsed(input));
    const auto [done, length] = elapsed;
    const double share =
        profile_.CumulativeShare(static_cast<double>(done) / static_cast<double>(length));
    const int64_t share_ppb = std::llround(share * static_cast<double>(kPartsPerBillion));
    Projection p;
    p.expected_share_bp = static_cast<int32_t>(share_ppb / 100000);
    if (share_ppb == 0) {
      p.projected_minor = input.used_minor;
      p.explanation = "seasonal: no spend is expected yet; projection = used so far";
      return p;
    }
    UPKEEP_ASSIGN_OR_RETURN(p.projected_minor,
                            DivideRoundedToInt64(absl::int128(input.used_minor) * kPartsPerBillion,
                                                 share_ppb, RoundingMode::kHalfEven));
    if (!input.explain) return p;
    p.explanation = absl::StrCat("seasonal: ", Amount(input.used_minor, input.currency),
                                 " used where the profile expects ", p.expected_share_bp / 100.0,
                                 " % of a period's spend by ", ToBasisPoints(done, length) / 100.0,
                                 " % of its time -> ", Amount(p.projected_minor, input.currency),
                                 " by its end");
    return p;
  }

 private:
  SeasonalProfile profile_;
};

absl::StatusOr<std::unique_ptr<const ForecastMethod>> SeasonalFromParams(
    const PolicyParams& params, const ForecastContext& context) {
  UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"method", "profile", "buckets"}));
  if (std::optional<PolicyParams> weights = params.OptionalChild("profile")) {
    UPKEEP_ASSIGN_OR_RETURN(std::vector<PolicyParams> items, weights->Elements());
    std::vector<double> values;
    for (const PolicyParams& item : items) {
      if (!item.json().is_number()) return item.Error("", "must be a number");
      values.push_back(item.json().get<double>());
    }
    absl::StatusOr<SeasonalProfile> profile = SeasonalProfile::FromWeights(std::move(values));
    if (!profile.ok()) return params.Error("profile", std::string(profile.status().message()));
    return MakeSeasonalForecast(*std::move(profile));
  }
  UPKEEP_ASSIGN_OR_RETURN(const std::optional<int64_t> buckets, params.FindInt("buckets"));
  const int64_t n = buckets.value_or(12);
  if (n < 1 || n > kMaxBuckets) {
    return params.Error("buckets", absl::StrCat("must be between 1 and ", kMaxBuckets));
  }
  absl::StatusOr<SeasonalProfile> profile =
      SeasonalProfile::Learn(context.history, static_cast<int>(n));
  if (!profile.ok()) {
    return params.Error(
        "", absl::StrCat("cannot learn a seasonal profile: ", profile.status().message(),
                         " (give \"profile\" weights or earlier periods)"));
  }
  return MakeSeasonalForecast(*std::move(profile));
}

}  // namespace

absl::StatusOr<SeasonalProfile> SeasonalProfile::FromWeights(std::vector<double> weights) {
  if (weights.empty() || weights.size() > kMaxBuckets) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("a profile needs 1 to ", kMaxBuckets, " buckets"));
  }
  double total = 0;
  for (double w : weights) {
    if (!std::isfinite(w) || w < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "profile weights must be finite and not negative");
    }
    total += w;
  }
  if (total <= 0) return MakeError(ErrorCode::kInvalidArgument, "profile weights are all zero");
  SeasonalProfile profile;
  double running = 0;
  for (double w : weights) {
    running += w;
    profile.cumulative_.push_back(running / total);
  }
  profile.cumulative_.back() = 1.0;
  return profile;
}

absl::StatusOr<SeasonalProfile> SeasonalProfile::Learn(std::span<const PeriodSeries> history,
                                                       int buckets) {
  if (buckets < 1 || buckets > kMaxBuckets) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("a profile needs 1 to ", kMaxBuckets, " buckets"));
  }
  std::vector<double> weights(static_cast<size_t>(buckets), 0.0);
  bool any = false;
  for (const PeriodSeries& period : history) {
    const int64_t length = period.end_micros - period.start_micros;
    if (length <= 0) continue;
    std::vector<double> shape(weights.size(), 0.0);
    double total = 0;
    for (const SpendPoint& spend : period.spends) {
      const int64_t at = spend.time_micros - period.start_micros;
      if (at < 0 || at >= length || spend.amount_minor <= 0) continue;
      const auto bucket = static_cast<size_t>(absl::int128(at) * buckets / length);
      shape[bucket] += static_cast<double>(spend.amount_minor);
      total += static_cast<double>(spend.amount_minor);
    }
    if (total <= 0) continue;
    any = true;
    for (size_t i = 0; i < shape.size(); ++i) weights[i] += shape[i] / total;
  }
  if (!any) return MakeError(ErrorCode::kInvalidArgument, "the history has no spend");
  return FromWeights(std::move(weights));
}

double SeasonalProfile::CumulativeShare(double fraction) const {
  const double clamped = std::clamp(fraction, 0.0, 1.0);
  const double position = clamped * static_cast<double>(cumulative_.size());
  const auto bucket = std::min(static_cast<size_t>(position), cumulative_.size() - 1);
  const double before = bucket == 0 ? 0.0 : cumulative_[bucket - 1];
  const double within = position - static_cast<double>(bucket);
  return before + (cumulative_[bucket] - before) * within;
}

ForecastRegistry::ForecastRegistry() {
  factories_["linear"] =
      [](const PolicyParams& params,
         const ForecastContext&) -> absl::StatusOr<std::unique_ptr<const ForecastMethod>> {
    UPKEEP_RETURN_IF_ERROR(params.CheckKeys({"method"}));
    return MakeLinearForecast();
  };
  factories_["seasonal"] = SeasonalFromParams;
}

absl::Status ForecastRegistry::Register(std::string name, ForecastFactory factory) {
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "a forecast needs a name");
  if (factories_.contains(name)) {
    return MakeError(ErrorCode::kAlreadyExists,
                     absl::StrCat("forecast method '", name, "' is already registered"));
  }
  factories_.emplace(std::move(name), std::move(factory));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<const ForecastMethod>> ForecastRegistry::Create(
    std::string_view name, const PolicyParams& params, const ForecastContext& context) const {
  const auto it = factories_.find(AsAbsl(name));
  if (it == factories_.end()) {
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat(params.path(), ": no forecast method named '", AsAbsl(name),
                                  "' is registered"));
  }
  return it->second(params, context);
}

std::unique_ptr<const ForecastMethod> MakeLinearForecast() {
  return std::make_unique<LinearForecast>();
}

std::unique_ptr<const ForecastMethod> MakeSeasonalForecast(SeasonalProfile profile) {
  return std::make_unique<SeasonalForecast>(std::move(profile));
}

}  // namespace upkeep::monitor
