// Budget-vs-actual: monthly columns, cumulative, by dimension, JSON.
#include <cstdint>
#include <string>
#include <vector>

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

// Spends whose dates jump back and forth (not in time order) and hop between customers: each
// lands in its own month's column, as counted here day by day.
TEST(ReportTest, SpendsOutOfTimeOrderLandInTheirMonths) {
  Book book;
  // 1970: January days 0-30, February 31-58, March 59-89, April 90-99 (of Q1).
  const auto month_of = [](int day) { return day < 31 ? 0 : day < 59 ? 1 : day < 90 ? 2 : 3; };
  const std::vector<std::string> customers = {"c1", "c2", "c3"};
  std::vector<std::vector<int64_t>> want(customers.size(), std::vector<int64_t>(4, 0));
  uint32_t random = 12345;
  for (int i = 0; i < 200; ++i) {  // more than the report loads ahead
    random = random * 1103515245 + 12345;
    const int day = static_cast<int>((random >> 8) % 100);
    const size_t customer = (random >> 20) % customers.size();
    const int64_t minor = 1 + (random >> 4) % 50;
    book.now = Day(day);
    book.Spend("s" + std::to_string(i), customers[customer], minor);
    want[customer][static_cast<size_t>(month_of(day))] += minor;
  }
  book.monitor.ReadFacts([&](const Facts& facts) {
    const BudgetReport r =
        BudgetVsActual(facts, {.period = "Q1", .group_by = Dimension::kCustomer}).value();
    ASSERT_EQ(r.rows.size(), customers.size());
    std::vector<int64_t> total(4, 0);
    for (size_t c = 0; c < customers.size(); ++c) {
      EXPECT_EQ(r.rows[c].key, customers[c]);
      EXPECT_EQ(r.rows[c].actual_minor, want[c]) << customers[c];
      for (size_t m = 0; m < 4; ++m) total[m] += want[c][m];
    }
    EXPECT_EQ(r.total.actual_minor, total);
  });
}

}  // namespace
}  // namespace upkeep::monitor::testing
