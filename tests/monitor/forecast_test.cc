// Forecasts on constructed series with known answers.
#include "upkeep/monitor/forecast.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::monitor {
namespace {

using ::upkeep::testing::StatusIs;

TEST(ForecastTest, LinearExtendsThePace) {
  const auto linear = MakeLinearForecast();
  ASSERT_OK_AND_ASSIGN(
      const Projection p,
      linear->Project({.start_micros = 0, .end_micros = 100, .now_micros = 25, .used_minor = 300}));
  EXPECT_EQ(p.projected_minor, 1200);
  EXPECT_EQ(p.expected_share_bp, 2500);
  ASSERT_OK_AND_ASSIGN(const Projection third,
                       linear->Project({.end_micros = 3, .now_micros = 1, .used_minor = 1}));
  EXPECT_EQ(third.projected_minor, 3);
  ASSERT_OK_AND_ASSIGN(const Projection after,
                       linear->Project({.end_micros = 3, .now_micros = 9, .used_minor = 7}));
  EXPECT_EQ(after.projected_minor, 7);  // the period is over
  EXPECT_THAT(linear->Project({.start_micros = 5, .end_micros = 5}),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(linear->Project({.end_micros = 1000, .now_micros = 1, .used_minor = INT64_MAX}),
              StatusIs(ErrorCode::kOverflow));
}

TEST(ForecastTest, SeasonalLearnsWhereSpendFalls) {
  // Two earlier periods of 4 days: 10 % of spend in each of the first three quarters, 70 % in
  // the last (a holiday).
  std::vector<PeriodSeries> history;
  for (int p = 0; p < 2; ++p) {
    PeriodSeries s{.start_micros = 0, .end_micros = 400};
    s.spends = {
        {10, 100 * (p + 1)}, {110, 100 * (p + 1)}, {210, 100 * (p + 1)}, {310, 700 * (p + 1)}};
    history.push_back(s);
  }
  ASSERT_OK_AND_ASSIGN(const SeasonalProfile profile, SeasonalProfile::Learn(history, 4));
  EXPECT_NEAR(profile.CumulativeShare(0.5), 0.2, 1e-12);
  EXPECT_NEAR(profile.CumulativeShare(0.875), 0.65, 1e-12);
  const auto seasonal = MakeSeasonalForecast(profile);
  ASSERT_OK_AND_ASSIGN(
      const Projection p,
      seasonal->Project(
          {.start_micros = 1000, .end_micros = 1400, .now_micros = 1200, .used_minor = 500}));
  EXPECT_EQ(p.projected_minor, 2500);  // 500 is 20 % of what the period will use
  EXPECT_EQ(p.expected_share_bp, 2000);
  EXPECT_THAT(SeasonalProfile::Learn({}, 4), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(SeasonalProfile::FromWeights({1, -1}), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(ForecastTest, RegistryBuildsByNameAndTakesCustomMethods) {
  ForecastRegistry registry;
  const nlohmann::json doc = {{"method", "seasonal"}, {"profile", {1, 1, 2}}};
  ASSERT_OK_AND_ASSIGN(auto method, registry.Create("seasonal", PolicyParams(doc, "/f"), {}));
  EXPECT_EQ(method->name(), "seasonal");
  EXPECT_THAT(registry.Create("nope", PolicyParams(doc, "/f"), {}), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(registry.Register("linear", nullptr), StatusIs(ErrorCode::kAlreadyExists));
}

RC_GTEST_PROP(ForecastProperty, LinearIsExactWhenThePaceDividesEvenly, ()) {
  const auto length = *rc::gen::inRange<int64_t>(1, 1'000'000);
  const auto parts = *rc::gen::inRange<int64_t>(1, 100);
  const auto per_part = *rc::gen::inRange<int64_t>(0, 1'000'000);
  const auto done = *rc::gen::inRange<int64_t>(1, parts + 1);
  const Projection p = MakeLinearForecast()
                           ->Project({.start_micros = 0,
                                      .end_micros = length * parts,
                                      .now_micros = length * done,
                                      .used_minor = per_part * done})
                           .value();
  RC_ASSERT(p.projected_minor == per_part * parts);
}

}  // namespace
}  // namespace upkeep::monitor
