#include "upkeep/io/feedback_csv.h"

#include <string>
#include <variant>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io {
namespace {

using ::testing::HasSubstr;
using ::upkeep::testing::StatusIs;

Currency Cny() { return *Currency::FromCode("CNY"); }

constexpr const char* kHeader =
    "id,customer_id,period,kind,revenue,revenue_before,renewal,satisfaction,recommend,"
    "complaints,rating,author,comment\n";

TEST(FeedbackCsvTest, ReadsEachKindOfRowInFileOrder) {
  const std::string text = std::string(kHeader) +
                           "o1,C1,FY2025,outcome,9000.00,8000,renewed,,,,,,\n"
                           "f1,C1,FY2025,customer,,,,9,10,1,,,\"good, fast\"\n"
                           "a1,C2,FY2025,manager,,,,,,,-1,mgr,slow to answer\n"
                           "o2,C2,FY2025,outcome,0,120.50,,,,,,,\n";
  ASSERT_OK_AND_ASSIGN(FeedbackImport read,
                       ParseFeedbackCsv(text, Cny(), ImportMode::kStrict, "f.csv"));
  ASSERT_EQ(read.rows.size(), 4u);
  const auto& outcome = std::get<monitor::OutcomeRecord>(read.rows[0].record);
  EXPECT_EQ(read.rows[0].line, 2u);
  EXPECT_EQ(outcome.customer, "C1");
  EXPECT_EQ(outcome.period, "FY2025");
  EXPECT_EQ(outcome.revenue_minor, 900000);
  EXPECT_EQ(outcome.revenue_before_minor, 800000);
  EXPECT_EQ(outcome.renewal, monitor::Renewal::kRenewed);
  const auto& feedback = std::get<monitor::CustomerFeedback>(read.rows[1].record);
  EXPECT_EQ(feedback.id, "f1");
  EXPECT_EQ(feedback.satisfaction, 9);
  EXPECT_EQ(feedback.recommend, 10);
  EXPECT_EQ(feedback.complaints, 1);
  EXPECT_EQ(feedback.comment, "good, fast");
  const auto& assessment = std::get<monitor::Assessment>(read.rows[2].record);
  EXPECT_EQ(assessment.role, monitor::AssessorRole::kManager);
  EXPECT_EQ(assessment.rating, -1);
  EXPECT_EQ(assessment.author, "mgr");
  EXPECT_EQ(std::get<monitor::OutcomeRecord>(read.rows[3].record).renewal,
            monitor::Renewal::kUnknown);
}

TEST(FeedbackCsvTest, BadRowsNameTheirLineAndColumn) {
  const std::string text = std::string(kHeader) +
                           "o1,C1,FY2025,outcome,12.345,1,,,,,,,\n"     // 2: precision
                           "o2,C1,FY2025,outcome,-1,1,,,,,,,\n"         // 3: negative
                           "o3,C1,FY2025,outcome,1,1,lost,,,,,,\n"      // 4: renewal
                           "f1,C1,FY2025,customer,,,,11,,,,,\n"         // 5: range
                           "f2,C1,FY2025,customer,,,,x,,,,,\n"          // 6: not a number
                           "a1,C1,FY2025,manager,,,,,,,1,,\n"           // 7: no author
                           "a2,C1,FY2025,account_manager,,,,,,,,am,\n"  // 8: no rating
                           "z1,C1,FY2025,survey,,,,,,,,,\n"             // 9: kind
                           "ok,C1,FY2025,customer,,,,5,,,,,\n"          // 10: fine
                           "ok,C1,FY2025,customer,,,,6,,,,,\n"          // 11: duplicate id
                           "u1,C\xff,FY2025,customer,,,,5,,,,,\n"       // 12: UTF-8
                           "short,C1\n";                                // 13: width
  ASSERT_OK_AND_ASSIGN(FeedbackImport read,
                       ParseFeedbackCsv(text, Cny(), ImportMode::kSkipBadRows, "f.csv"));
  ASSERT_EQ(read.rows.size(), 1u);
  ASSERT_EQ(read.rejected.size(), 11u);
  const auto reason = [&](size_t i) { return read.rejected[i].reason; };
  EXPECT_EQ(read.rejected[0].code, ErrorCode::kPrecision);
  EXPECT_THAT(reason(0), HasSubstr("f.csv:2: revenue:"));
  EXPECT_THAT(reason(1), HasSubstr("f.csv:3: revenue: must not be negative"));
  EXPECT_THAT(reason(2), HasSubstr("f.csv:4: renewal: must be unknown, renewed or churned"));
  EXPECT_THAT(reason(3), HasSubstr("f.csv:5: satisfaction: 11 is outside 0..10"));
  EXPECT_EQ(read.rejected[4].code, ErrorCode::kParse);
  EXPECT_THAT(reason(5), HasSubstr("f.csv:7: author: must not be empty"));
  EXPECT_THAT(reason(6), HasSubstr("f.csv:8: rating: must not be empty"));
  EXPECT_THAT(reason(7), HasSubstr("f.csv:9: kind: must be outcome, customer"));
  EXPECT_EQ(read.rejected[8].code, ErrorCode::kAlreadyExists);
  EXPECT_THAT(reason(8), HasSubstr("f.csv:11: id: duplicate ok (first on line 10)"));
  EXPECT_EQ(read.rejected[9].code, ErrorCode::kInvalidUtf8);
  EXPECT_THAT(reason(10), HasSubstr("f.csv:13: 2 fields, the header has 13"));
  EXPECT_THAT(ParseFeedbackCsv(text, Cny(), ImportMode::kStrict, "f.csv"),
              StatusIs(ErrorCode::kPrecision, HasSubstr("f.csv:2")));
}

TEST(FeedbackCsvTest, TheHeaderNeedsItsColumns) {
  EXPECT_THAT(ParseFeedbackCsv("", Cny(), ImportMode::kStrict, "f.csv"),
              StatusIs(ErrorCode::kParse, HasSubstr("no header row")));
  EXPECT_THAT(ParseFeedbackCsv("id,customer_id,kind\n", Cny(), ImportMode::kStrict, "f.csv"),
              StatusIs(ErrorCode::kParse, HasSubstr("missing column period")));
  EXPECT_THAT(
      ParseFeedbackCsv("id,customer_id,period,kind,id\n", Cny(), ImportMode::kStrict, "f.csv"),
      StatusIs(ErrorCode::kParse, HasSubstr("column id twice")));
}

}  // namespace
}  // namespace upkeep::io
