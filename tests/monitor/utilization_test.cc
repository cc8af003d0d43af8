// Utilization by level: every scope of the level in the period, with metrics and forecast.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "monitor_fixture.h"

namespace upkeep::monitor::testing {
namespace {

using ::upkeep::testing::StatusIs;

TEST(UtilizationTest, ByTierWithForecastAndJson) {
  Book book;
  book.now = Day(10);
  book.Reserve("r1", "c1", 50000);
  book.Spend("s1", "c2", 10000);
  UtilizationReport report;
  book.monitor.ReadFacts([&](const Facts& facts) {
    report = Utilization(facts, *book.monitor.policy().forecast, Cny(),
                         {.period = "Q1", .level = ledger::ScopeKind::kTier, .now_micros = Day(50)})
                 .value();
  });
  ASSERT_EQ(report.rows.size(), 2u);
  EXPECT_EQ(report.rows[0].scope.key, "A");
  EXPECT_EQ(report.rows[0].budget_minor, 200000);
  EXPECT_EQ(report.rows[0].reserved_minor, 50000);
  EXPECT_EQ(report.rows[0].utilization_bp, 2500);
  EXPECT_EQ(report.rows[0].projected_minor, 100000);  // linear: half the period gone
  EXPECT_EQ(report.rows[1].scope.key, "B");
  EXPECT_EQ(report.rows[1].spent_minor, 10000);
  EXPECT_EQ(report.rows[1].utilization_bp, 2000);
  const nlohmann::json j = ToJson(report, Cny());
  EXPECT_EQ(j["report"], "utilization");
  EXPECT_EQ(j["level"], "tier");
  EXPECT_EQ(j["rows"][0]["key"], "A");
  EXPECT_EQ(j["rows"][0]["reserved"], "500.00");
  EXPECT_EQ(j["rows"][1]["projected"], "200.00");
}

TEST(UtilizationTest, LevelCategoryAndPeriodSelectRows) {
  Book book;
  book.monitor.ReadFacts([&](const Facts& facts) {
    const ForecastMethod& forecast = *book.monitor.policy().forecast;
    const UtilizationReport customers =
        Utilization(facts, forecast, Cny(),
                    {.period = "Q2", .level = ledger::ScopeKind::kCustomer, .category = "gift"})
            .value();
    ASSERT_EQ(customers.rows.size(), 3u);
    EXPECT_EQ(customers.rows[2].scope.key, "c3");
    EXPECT_EQ(customers.rows[2].budget_minor, 10000);
    EXPECT_TRUE(
        Utilization(facts, forecast, Cny(),
                    {.period = "Q1", .level = ledger::ScopeKind::kTier, .category = "visit"})
            ->rows.empty());
    EXPECT_THAT(Utilization(facts, forecast, Cny(), {.period = "Q9"}),
                StatusIs(ErrorCode::kNotFound));
  });
}

}  // namespace
}  // namespace upkeep::monitor::testing
