#include "upkeep/io/portfolio_csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/money.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::io {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using ::upkeep::testing::StatusIs;

Currency Cny() { return *Currency::FromCode("CNY"); }

constexpr std::string_view kHeader =
    "customer_id,name,owner,region,industry,revenue,growth,metric:visits\n";

TEST(PortfolioCsvTest, ImportsCustomersMetricsAttributesAndCustomMetrics) {
  const std::string text = std::string(kHeader) +
                           "C2,乙公司,am-1,华东,food,1234.56,0.1,3\n"
                           "C1,\"Acme, Inc.\",am-2,,tech,,,\n";
  ASSERT_OK_AND_ASSIGN(PortfolioImport imported,
                       ParsePortfolioCsv(text, Cny(), ImportMode::kStrict, "p.csv"));
  const Portfolio& p = imported.portfolio;
  EXPECT_EQ(imported.rows_imported, 2u);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.customer(0).id, "C1");  // sorted by id
  EXPECT_EQ(p.customer(0).name, "Acme, Inc.");
  EXPECT_EQ(p.metrics(0).revenue_minor, 0);
  EXPECT_EQ(p.customer(1).name, "乙公司");
  EXPECT_EQ(p.metrics(1).revenue_minor, 123456);
  EXPECT_DOUBLE_EQ(p.metrics(1).growth, 0.1);
  EXPECT_THAT(p.customer(1).attributes, UnorderedElementsAre(Pair("industry", "food")));
  ASSERT_OK_AND_ASSIGN(MetricRef visits, p.ResolveMetric("visits"));
  EXPECT_DOUBLE_EQ(p.MetricValue(visits, 1), 3.0);
  EXPECT_DOUBLE_EQ(p.MetricValue(visits, 0), 0.0);
}

TEST(PortfolioCsvTest, StrictModeFailsOnTheFirstBadRowNamingLineAndColumn) {
  const std::string text = std::string(kHeader) + "C1,a,am,r,i,12.345,0,0\n";
  EXPECT_THAT(ParsePortfolioCsv(text, Cny(), ImportMode::kStrict, "p.csv"),
              StatusIs(ErrorCode::kPrecision, HasSubstr("p.csv:2: revenue:")));
}

TEST(PortfolioCsvTest, SkipModeRejectsBadRowsAndKeepsTheRest) {
  const std::string text = std::string(kHeader) +
                           "C1,a,am,r,i,1.00,0,0\n"     // fine
                           "C2,a,am,r,i,abc,0,0\n"      // bad money
                           "C3,a,am,r,i,1.00,fast,0\n"  // bad number
                           "C1,dup,am,r,i,1.00,0,0\n"   // duplicate id
                           "C4,\xFF,am,r,i,1.00,0,0\n"  // invalid UTF-8
                           "C5,a,am\n"                  // wrong field count
                           ",a,am,r,i,1.00,0,0\n"       // empty id
                           "C6,a,am,r,i,-5.00,0,0\n";   // negative revenue
  ASSERT_OK_AND_ASSIGN(PortfolioImport imported,
                       ParsePortfolioCsv(text, Cny(), ImportMode::kSkipBadRows, "p.csv"));
  EXPECT_EQ(imported.rows_imported, 1u);
  EXPECT_EQ(imported.portfolio.size(), 1u);
  ASSERT_EQ(imported.rejected.size(), 7u);
  EXPECT_THAT(imported.rejected[0].reason, HasSubstr("p.csv:3: revenue:"));
  EXPECT_THAT(imported.rejected[1].reason, HasSubstr("p.csv:4: growth: not a number"));
  EXPECT_THAT(imported.rejected[2].reason, HasSubstr("p.csv:5: customer_id: duplicate id \"C1\""));
  EXPECT_THAT(imported.rejected[3].reason, HasSubstr("p.csv:6: name: invalid UTF-8"));
  EXPECT_THAT(imported.rejected[4].reason, HasSubstr("p.csv:7: expected 8 fields, found 3"));
  EXPECT_THAT(imported.rejected[5].reason, HasSubstr("p.csv:8: customer id: must not be empty"));
  EXPECT_THAT(imported.rejected[6].reason, HasSubstr("p.csv:9:"));
  EXPECT_THAT(imported.rejected[6].reason, HasSubstr("negative"));
  EXPECT_EQ(imported.rejected[0].code, ErrorCode::kParse);
  EXPECT_EQ(imported.rejected[2].code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(imported.rejected[3].code, ErrorCode::kInvalidUtf8);
  EXPECT_EQ(imported.rejected[0].line, 3u);
  EXPECT_THAT(imported.lines, ::testing::ElementsAre(2u));
}

// A money cell fails with the code Money::Parse gives for the same text.
TEST(PortfolioCsvTest, MoneyCellsFailAsMoneyParseDoes) {
  for (const char* cell : {"12.345", "abc", "1,000.00", "9999999999999999999"}) {
    SCOPED_TRACE(cell);
    const ErrorCode expected = ErrorCodeOf(Money::Parse(cell, Cny()).status());
    ASSERT_NE(expected, ErrorCode::kOk);
    const std::string text = std::string(kHeader) + "C1,a,am,r,i,\"" + cell + "\",0,0\n";
    EXPECT_THAT(ParsePortfolioCsv(text, Cny(), ImportMode::kStrict, "p.csv"),
                StatusIs(expected, HasSubstr("p.csv:2: revenue:")));
  }
}

TEST(PortfolioCsvTest, LinesFollowThePortfolioOrder) {
  const std::string text = std::string(kHeader) + "C2,b,am,r,i,1.00,0,0\n\nC1,a,am,r,i,2.00,0,0\n";
  ASSERT_OK_AND_ASSIGN(PortfolioImport imported,
                       ParsePortfolioCsv(text, Cny(), ImportMode::kStrict, "p.csv"));
  ASSERT_EQ(imported.portfolio.customer(0).id, "C1");
  EXPECT_THAT(imported.lines, ::testing::ElementsAre(4u, 2u));
}

TEST(PortfolioCsvTest, BadHeadersFailInEitherMode) {
  for (ImportMode mode : {ImportMode::kStrict, ImportMode::kSkipBadRows}) {
    EXPECT_THAT(ParsePortfolioCsv("name,revenue\nx,1\n", Cny(), mode, "p.csv"),
                StatusIs(ErrorCode::kInvalidArgument, HasSubstr("p.csv:1: no customer_id column")));
    EXPECT_THAT(ParsePortfolioCsv("customer_id,name,name\n", Cny(), mode, "p.csv"),
                StatusIs(ErrorCode::kInvalidArgument, HasSubstr("column \"name\" appears twice")));
    EXPECT_THAT(ParsePortfolioCsv("", Cny(), mode, "p.csv"),
                StatusIs(ErrorCode::kInvalidArgument, HasSubstr("no header row")));
    EXPECT_THAT(
        ParsePortfolioCsv("customer_id\n\"open\n", Cny(), mode, "p.csv"),
        StatusIs(ErrorCode::kParse, HasSubstr("p.csv: line 2: a quoted field is never closed")));
  }
}

}  // namespace
}  // namespace upkeep::io
