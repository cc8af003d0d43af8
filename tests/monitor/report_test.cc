// Budget-vs-actual: monthly columns, cumulative, by dimension, JSON.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "monitor_fixture.h"

namespace upkeep::monitor::testing {
namespace {

using ::upkeep::testing::StatusIs;

TEST(ReportTest, BudgetVsActualByTierWithMonthlyColumns) {
  Book book;
  book.now = Day(5);  // 1970-01
  book.Spend("s1", "c1", 10000);
  book.now = Day(40);  // 1970-02
  book.Spend("s2", "c3", 5000);
  book.Spend("s3", "c2", 2000);
  Book::Ok(book.ledger->Refund(
      {.op_id = "f1", .actor = "mgr", .target_id = "s3", .amount = Money::FromMinor(500, Cny())}));
  BudgetReport report;
  book.monitor.ReadFacts([&](const Facts& facts) {
    report = BudgetVsActual(facts, {.period = "Q1", .group_by = Dimension::kTier}).value();
    EXPECT_THAT(BudgetVsActual(facts, {.period = "Q7"}), StatusIs(ErrorCode::kNotFound));
  });
  ASSERT_EQ(report.months.size(), 4u);  // days 0..99: January to April 1970
  EXPECT_EQ(report.months[0], "1970-01");
  ASSERT_EQ(report.rows.size(), 2u);
  EXPECT_EQ(report.rows[0].key, "A");
  EXPECT_EQ(report.rows[0].budget_minor, 200000);
  EXPECT_EQ(report.rows[0].actual_minor, (std::vector<int64_t>{10000, 5000, 0, 0}));
  EXPECT_EQ(report.rows[0].cumulative_minor, (std::vector<int64_t>{10000, 15000, 15000, 15000}));
  EXPECT_EQ(report.rows[1].actual_total_minor, 1500);
  EXPECT_EQ(report.total.actual_total_minor, 16500);
  EXPECT_EQ(report.total.variance_minor, 250000 - 16500);
  const nlohmann::json j = ToJson(report, Cny());
  EXPECT_EQ(j["rows"][0]["months"][1], "50.00");
  EXPECT_EQ(j["total"]["actual"], "165.00");
}

TEST(ReportTest, ByRegionAndCategoryFilter) {
  Book book;
  book.Spend("s1", "c1", 100);
  book.Spend("s2", "c2", 200);
  book.Spend("s3", "c3", 400);
  book.monitor.ReadFacts([&](const Facts& facts) {
    const BudgetReport r =
        BudgetVsActual(facts, {.period = "Q1", .group_by = Dimension::kRegion, .category = "gift"})
            .value();
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].key, "north");
    EXPECT_EQ(r.rows[0].actual_total_minor, 500);
    const BudgetReport none = BudgetVsActual(facts, {.period = "Q1", .category = "visit"}).value();
    EXPECT_TRUE(none.rows.empty());
  });
}

}  // namespace
}  // namespace upkeep::monitor::testing
