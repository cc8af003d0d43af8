// Every alert rule firing and clearing, raised by the operations (or Sweep) that cause them.
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "monitor_fixture.h"

namespace upkeep::monitor::testing {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

struct Collect : AlertSink {
  void OnAlert(const Alert& alert) override { seen.push_back(alert); }
  std::vector<Alert> seen;
};

TEST(AlertsTest, ThresholdsFireOnceAndClear) {
  Book book(Policy(R"({"alerts": [{"id": "usage", "type": "threshold",
                                   "thresholds_pct": [50, 80, 100]}]})"));
  Collect sink;
  book.monitor.Subscribe(&sink);
  book.now = Day(10);
  EXPECT_EQ(book.Reserve("r1", "c1", 50000), ledger::Outcome::kApprove);
  ASSERT_EQ(sink.seen.size(), 1u);
  EXPECT_EQ(sink.seen[0].threshold_bp, 5000);
  EXPECT_FALSE(sink.seen[0].cleared);
  EXPECT_THAT(sink.seen[0].message, HasSubstr("50.00 % of the budget used (500.00 of 1000.00"));
  book.Reserve("r2", "c1", 100);  // still >= 50 %: raised once only
  EXPECT_EQ(sink.seen.size(), 1u);
  book.Reserve("r3", "c1", 30000);
  ASSERT_EQ(sink.seen.size(), 2u);
  EXPECT_EQ(sink.seen[1].threshold_bp, 8000);
  EXPECT_EQ(book.monitor.ActiveAlerts().size(), 2u);
  Book::Ok(book.ledger->Void({.op_id = "v1", .actor = "mgr", .reservation_id = "r3"}));
  ASSERT_EQ(sink.seen.size(), 3u);
  EXPECT_TRUE(sink.seen[2].cleared);
  EXPECT_EQ(sink.seen[2].threshold_bp, 8000);
  EXPECT_EQ(book.monitor.ActiveAlerts().size(), 1u);
  EXPECT_EQ(book.monitor.TakeAlerts().size(), 3u);
  EXPECT_TRUE(book.monitor.TakeAlerts().empty());
}

TEST(AlertsTest, PaceFiresWhenAheadOfTheElapsedShare) {
  Book book(Policy(R"({"alerts": [{"id": "pace", "type": "pace", "ahead_pct": 30,
                                   "min_elapsed_pct": 5}]})"));
  book.now = Day(20);
  book.Spend("s1", "c1", 25000);  // 25 % used at 20 %: 25 % ahead, under 30 %
  EXPECT_TRUE(book.monitor.ActiveAlerts().empty());
  book.Spend("s2", "c1", 2000);  // 27 % > 26 %
  ASSERT_EQ(book.monitor.ActiveAlerts().size(), 1u);
  EXPECT_EQ(book.monitor.ActiveAlerts()[0].kind, AlertKind::kPace);
  book.monitor.Sweep(Day(60));  // 27 % used at 60 %: back on pace
  EXPECT_TRUE(book.monitor.ActiveAlerts().empty());
  EXPECT_TRUE(book.monitor.AlertLog().back().cleared);
}

TEST(AlertsTest, ForecastBreachUsesTheForecast) {
  Book book(Policy(R"({"forecast": {"method": "linear"},
                      "alerts": [{"id": "fb", "type": "forecast_breach", "margin_pct": 10}]})"));
  book.now = Day(50);
  book.Spend("s1", "c2", 27500);  // 275.00 of 500.00 at half time: 550.00 = 110 %, not over
  EXPECT_TRUE(book.monitor.ActiveAlerts().empty());
  book.Spend("s2", "c2", 100);  // 551.00 > 550.00
  const std::vector<Alert> active = book.monitor.ActiveAlerts();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].metrics.projected_minor, 55200);
  EXPECT_THAT(active[0].message, HasSubstr("projected 552.00"));
  book.monitor.Sweep(Day(80));  // 276.00 in 80 %: 345.00
  EXPECT_TRUE(book.monitor.ActiveAlerts().empty());
}

TEST(AlertsTest, AnomalyAgainstTheCustomersOwnHistory) {
  Book book(Policy(R"({"alerts": [{"id": "odd", "type": "anomaly", "z": 4,
                                   "min_history": 5}]})"));
  book.now = Day(1);
  const int64_t usual[] = {1000, 1100, 900, 1050, 950, 1000};
  for (int i = 0; i < 6; ++i) book.Spend("s" + std::to_string(i), "c1", usual[i]);
  EXPECT_TRUE(book.monitor.ActiveAlerts().empty());
  book.Spend("big", "c1", 20000);
  ASSERT_EQ(book.monitor.ActiveAlerts().size(), 1u);
  EXPECT_EQ(book.monitor.ActiveAlerts()[0].median_minor, 1000);
  EXPECT_THAT(book.monitor.ActiveAlerts()[0].message, HasSubstr("a spend of 200.00"));
  book.Spend("normal", "c1", 1000);
  EXPECT_TRUE(book.monitor.ActiveAlerts().empty());
}

TEST(AlertsTest, UnderUseOfHighTierCustomersLateInThePeriod) {
  Book book(Policy(R"({"alerts": [{"id": "quiet", "type": "under_use", "tiers": ["A"],
                                   "after_elapsed_pct": 70, "max_utilization_pct": 10}]})"));
  book.monitor.Sweep(Day(50));
  EXPECT_TRUE(book.monitor.ActiveAlerts().empty());
  book.monitor.Sweep(Day(75));
  std::vector<Alert> active = book.monitor.ActiveAlerts();
  ASSERT_EQ(active.size(), 2u);  // c1 and c3 (tier A); c2 is tier B; in the order raised
  EXPECT_EQ(active[0].metrics.scope.key, "c1");
  EXPECT_EQ(active[1].metrics.scope.key, "c3");
  EXPECT_LT(active[0].seq, active[1].seq);
  book.now = Day(76);
  book.Spend("s1", "c1", 20000);
  active = book.monitor.ActiveAlerts();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].metrics.scope.key, "c3");
}

TEST(AlertsTest, MetricsOfAScope) {
  Book book;
  book.now = Day(25);
  book.Spend("s1", "c1", 20000);
  book.Reserve("r1", "c1", 5000);
  ASSERT_OK_AND_ASSIGN(const ScopeMetrics m, book.monitor.Metrics(Env("c1"), Day(25)));
  EXPECT_EQ(m.used_minor, 25000);
  EXPECT_EQ(m.utilization_bp, 2500);
  EXPECT_EQ(m.elapsed_bp, 2500);
  EXPECT_EQ(m.burn_rate_minor_per_day, 1000);
  EXPECT_EQ(m.projected_minor, 100000);
  EXPECT_EQ(m.days_until_exhaustion, 75);
  EXPECT_EQ(m.variance_minor, 0);
  EXPECT_THAT(book.monitor.Metrics(Env("nobody"), 0), StatusIs(ErrorCode::kNotFound));
}

TEST(AlertsTest, BadMonitoringSectionsNameTheirPath) {
  const auto compile = [](const char* json) {
    const nlohmann::json doc = nlohmann::json::parse(json);
    return MakeMonitoringFromParams(PolicyParams(doc, "/monitoring"), ForecastRegistry());
  };
  EXPECT_THAT(compile(R"({"alerts": [{"id": "x", "type": "loud"}]})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/monitoring/alerts/0/type")));
  EXPECT_THAT(compile(R"({"alerts": [{"id": "x", "type": "threshold",
                                      "thresholds_pct": [80, 50]}]})"),
              StatusIs(ErrorCode::kPolicyInvalid, HasSubstr("/thresholds_pct/1")));
  EXPECT_THAT(compile(R"({"forecast": {"method": "crystal_ball"}})"),
              StatusIs(ErrorCode::kNotFound, HasSubstr("crystal_ball")));
}

}  // namespace
}  // namespace upkeep::monitor::testing
