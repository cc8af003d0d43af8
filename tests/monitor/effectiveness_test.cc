// Effectiveness: ROI, cost-to-serve, retention and feedback averages on a constructed book with
// known answers; the exact split of revenue between categories; the ranking.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "monitor_fixture.h"

namespace upkeep::monitor::testing {
namespace {

using ::testing::ElementsAre;
using ::upkeep::testing::IsOk;
using ::upkeep::testing::StatusIs;

// c1 (A): spent 100.00, revenue 4000.00 -> 5000.00, renewed, satisfaction 9 and 7, promoter.
// c2 (B): spent 200.00, revenue 2000.00 -> 0, churned, 4 complaints, detractor.
// c3 (A): spent 50.00, revenue 1100.00 -> 1000.00, renewed, rated -1 by its manager.
void Fill(Book& book) {
  book.Spend("s1", "c1", 10000);
  book.Spend("s2", "c2", 20000);
  book.Spend("s3", "c3", 5000);
  Monitor& m = book.monitor;
  ASSERT_THAT(m.Record(OutcomeRecord{"c1", "Q1", 500000, 400000, Renewal::kRenewed}).status(),
              IsOk());
  ASSERT_THAT(m.Record(OutcomeRecord{"c2", "Q1", 0, 200000, Renewal::kChurned}).status(), IsOk());
  ASSERT_THAT(m.Record(OutcomeRecord{"c3", "Q1", 100000, 110000, Renewal::kRenewed}).status(),
              IsOk());
  ASSERT_THAT(
      m
          .Record(CustomerFeedback{
              .id = "f1", .customer = "c1", .period = "Q1", .satisfaction = 9, .recommend = 10})
          .status(),
      IsOk());
  ASSERT_THAT(
      m.Record(CustomerFeedback{.id = "f2", .customer = "c1", .period = "Q1", .satisfaction = 7})
          .status(),
      IsOk());
  ASSERT_THAT(
      m.Record(CustomerFeedback{
                   .id = "f3", .customer = "c2", .period = "Q1", .recommend = 3, .complaints = 4})
          .status(),
      IsOk());
  ASSERT_THAT(m.Record(Assessment{.id = "a1",
                                  .customer = "c3",
                                  .period = "Q1",
                                  .author = "mgr",
                                  .role = AssessorRole::kManager,
                                  .rating = -1})
                  .status(),
              IsOk());
}

EffectivenessReport Report(const Book& book, Dimension by) {
  EffectivenessReport report;
  book.monitor.ReadFeedback([&](const Facts& facts, const FeedbackLog& log) {
    report = Effectiveness(facts, log, {.period = "Q1", .group_by = by}).value();
  });
  return report;
}

TEST(EffectivenessTest, ByTierWithKnownAnswers) {
  Book book;
  Fill(book);
  const EffectivenessReport r = Report(book, Dimension::kTier);
  ASSERT_EQ(r.rows.size(), 2u);
  const EffectivenessRow& a = r.rows[0];
  EXPECT_EQ(a.key, "A");
  EXPECT_EQ(a.customers, 2);
  EXPECT_EQ(a.budget_minor, 200000);
  EXPECT_EQ(a.spent_minor, 15000);
  EXPECT_EQ(a.revenue_change_minor, 90000);  // +100000 - 10000
  EXPECT_EQ(a.return_bp, 60000);             // 900.00 / 150.00 = 6x
  EXPECT_EQ(a.roi_bp, 50000);                // (900.00 - 150.00) / 150.00
  EXPECT_EQ(a.cost_to_serve_bp, 250);        // 150.00 / 6000.00
  EXPECT_EQ(a.retention_bp, 10000);
  EXPECT_EQ(a.satisfaction_avg_centi, 800);
  EXPECT_EQ(a.nps, 100);
  EXPECT_EQ(a.rating_avg_centi, -100);
  const EffectivenessRow& b = r.rows[1];
  EXPECT_EQ(b.return_bp, -100000);
  EXPECT_EQ(b.cost_to_serve_bp, std::nullopt);  // no revenue
  EXPECT_EQ(b.retention_bp, 0);
  EXPECT_EQ(b.nps, -100);
  EXPECT_EQ(b.complaints, 4);
  EXPECT_EQ(b.satisfaction_avg_centi, std::nullopt);
  EXPECT_EQ(r.total.spent_minor, 35000);
  EXPECT_EQ(r.total.revenue_change_minor, -110000);
  EXPECT_THAT(r.ranking, ElementsAre("A", "B"));
  const nlohmann::json j = ToJson(r, Cny());
  EXPECT_EQ(j["rows"][0]["revenue_change"], "900.00");
  EXPECT_TRUE(j["rows"][1]["cost_to_serve_bp"].is_null());
}

TEST(EffectivenessTest, ByCustomerGivesEachCustomersOwnNumbers) {
  Book book;
  Fill(book);
  const EffectivenessReport r = Report(book, Dimension::kCustomer);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[2].key, "c3");
  EXPECT_EQ(r.rows[2].return_bp, -20000);
  EXPECT_THAT(r.ranking, ElementsAre("c1", "c3", "c2"));
}

TEST(EffectivenessTest, ByCategorySplitsRevenueExactlyBySpend) {
  Book book;
  Book::Ok(book.ledger->DefineCategory("admin", "visit"));
  Book::Ok(book.ledger->ApplyAllocation({.op_id = "a3",
                                         .actor = "fin",
                                         .period = "Q1",
                                         .category = "visit",
                                         .envelopes = {{"c1", "A", 100000}}}));
  Fill(book);
  auto spent = book.ledger->Spend({.op_id = "v1",
                                   .actor = "mgr",
                                   .period = "Q1",
                                   .customer = "c1",
                                   .category = "visit",
                                   .amount = Money::FromMinor(30001, Cny())});
  ASSERT_TRUE(spent.ok()) << spent.status();
  const EffectivenessReport r = Report(book, Dimension::kCategory);
  ASSERT_EQ(r.rows.size(), 2u);
  const EffectivenessRow& gift = r.rows[0];
  const EffectivenessRow& visit = r.rows[1];
  EXPECT_EQ(visit.key, "visit");
  EXPECT_EQ(visit.customers, 1);
  // c1's 5000.00 of revenue split 10000 : 30001 -> 124996.87... : 375003.12...
  EXPECT_EQ(visit.revenue_minor, 375003);
  EXPECT_EQ(gift.revenue_minor + visit.revenue_minor, r.total.revenue_minor);
  EXPECT_EQ(gift.revenue_before_minor + visit.revenue_before_minor, r.total.revenue_before_minor);
  EXPECT_EQ(gift.spent_minor + visit.spent_minor, r.total.spent_minor);
  EXPECT_EQ(gift.customers, 3);
}

TEST(EffectivenessTest, UnknownPeriodAndCustomersWithoutRecords) {
  Book book;
  book.Spend("s1", "c1", 10000);
  book.monitor.ReadFeedback([&](const Facts& facts, const FeedbackLog& log) {
    EXPECT_THAT(Effectiveness(facts, log, {.period = "Q9"}), StatusIs(ErrorCode::kNotFound));
    const std::vector<CustomerSignals> s = CollectSignals(facts, log, "Q1").value();
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].customer, "c1");
    EXPECT_EQ(s[0].tier, "A");
    EXPECT_EQ(s[0].spent_minor, 10000);
    EXPECT_FALSE(s[0].has_outcome);
    EXPECT_EQ(s[0].return_bp(), std::nullopt);
  });
}

}  // namespace
}  // namespace upkeep::monitor::testing
