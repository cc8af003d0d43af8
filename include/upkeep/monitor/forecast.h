// upkeep/monitor/forecast.h: projecting a scope's end-of-period spend.
//
// A ForecastMethod answers "if spending goes on like this, what will this scope have used by
// the end of the period?" from what it has used so far (spent + reserved) and how far the period
// has run. Built-in methods, by name (the "forecast" key of the policy document's "monitoring"
// section, docs/monitoring.md):
//   "linear"    pace so far, extended: used * period length / elapsed time. Exact integer math.
//   "seasonal"  a profile of how spend is spread over a period (e.g. more before holidays),
//               given in the document as bucket weights or learned from earlier periods'
//               spends (SeasonalProfile::Learn): used / expected share of spend by now.
// Custom methods: derive from ForecastMethod and register a factory in a ForecastRegistry.
//
//   upkeep::monitor::ForecastRegistry registry;  // the built-ins
//   auto method = registry.Create("linear", params, {}).value();
//   Projection p = method->Project({.start_micros = 0, .end_micros = 100, .now_micros = 25,
//                                   .used_minor = 300}).value();
//   p.projected_minor;  // 1200
//
// Money: rates and shares may be doubles, but projected_minor is rounded explicitly (half even)
// to whole minor units; overflow is kOverflow, never a wrap.
// Ownership: methods are immutable values held by unique_ptr / shared_ptr.
// Thread safety: Project is const and must be safe to call concurrently (custom methods too).
// A registry is not thread-safe while being filled.
#ifndef UPKEEP_MONITOR_FORECAST_H_
#define UPKEEP_MONITOR_FORECAST_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "upkeep/currency.h"
#include "upkeep/policy_params.h"

namespace upkeep::monitor {

struct ForecastInput {
  int64_t start_micros = 0;  // the period [start, end)
  int64_t end_micros = 0;
  int64_t now_micros = 0;  // clamped into the period
  int64_t used_minor = 0;  // spent + reserved so far
  Currency currency{};     // for the explanation
  bool explain = true;     // false: leave Projection::explanation empty (the hot path)
};

struct Projection {
  int64_t projected_minor = 0;    // used by the end of the period
  int32_t expected_share_bp = 0;  // the share of a period's spend expected by now (1/100 %)
  std::string explanation{};      // "linear: 300.00 in 25 % of the period -> 1200.00"
};

class ForecastMethod {
 public:
  virtual ~ForecastMethod() = default;
  virtual std::string_view name() const = 0;
  // kInvalidArgument for an empty period; kOverflow when the projection does not fit.
  virtual absl::StatusOr<Projection> Project(const ForecastInput& input) const = 0;
};

// A spend at a time, for learning profiles.
struct SpendPoint {
  int64_t time_micros = 0;
  int64_t amount_minor = 0;
};

// One earlier period and its spends.
struct PeriodSeries {
  int64_t start_micros = 0;
  int64_t end_micros = 0;
  std::vector<SpendPoint> spends{};
};

// How a period's spend is spread over equal buckets of its time: weights >= 0, not all zero.
class SeasonalProfile {
 public:
  // kInvalidArgument for no bucket, a negative or non-finite weight, or all zero.
  static absl::StatusOr<SeasonalProfile> FromWeights(std::vector<double> weights);
  // Averages the shape of `history` (each period weighs the same) over `buckets` buckets;
  // spends outside their period are ignored. kInvalidArgument when nothing was spent.
  static absl::StatusOr<SeasonalProfile> Learn(std::span<const PeriodSeries> history, int buckets);
  // The expected share of a period's spend by `fraction` (0..1) of its time, interpolated
  // linearly within a bucket.
  double CumulativeShare(double fraction) const;
  const std::vector<double>& cumulative() const { return cumulative_; }

 private:
  std::vector<double> cumulative_{};  // cumulative_[i]: share by the end of bucket i; last 1
};

// What a factory may use besides its parameters.
struct ForecastContext {
  std::span<const PeriodSeries> history{};  // earlier periods, for learned methods
};

using ForecastFactory = std::function<absl::StatusOr<std::unique_ptr<const ForecastMethod>>(
    const PolicyParams& params, const ForecastContext& context)>;

// Forecast methods by name; holds "linear" and "seasonal" from construction.
class ForecastRegistry {
 public:
  ForecastRegistry();
  // kAlreadyExists for a taken name, kInvalidArgument for an empty one.
  absl::Status Register(std::string name, ForecastFactory factory);
  // kNotFound naming `params.path()` for an unknown name.
  absl::StatusOr<std::unique_ptr<const ForecastMethod>> Create(
      std::string_view name, const PolicyParams& params, const ForecastContext& context) const;

 private:
  absl::flat_hash_map<std::string, ForecastFactory> factories_{};
};

std::unique_ptr<const ForecastMethod> MakeLinearForecast();
std::unique_ptr<const ForecastMethod> MakeSeasonalForecast(SeasonalProfile profile);

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_FORECAST_H_
