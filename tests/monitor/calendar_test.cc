// Calendars: fiscal years from any month, quarters, months, custom lists.
#include "upkeep/monitor/calendar.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "upkeep/testing/status_matchers.h"

namespace upkeep::monitor {
namespace {

using ::upkeep::testing::StatusIs;

TEST(CalendarTest, FiscalYearStartingInApril) {
  ASSERT_OK_AND_ASSIGN(const Calendar fy, Calendar::Fiscal(4));
  ASSERT_OK_AND_ASSIGN(const auto quarters, fy.Periods(2024, Granularity::kQuarter));
  ASSERT_EQ(quarters.size(), 4u);
  EXPECT_EQ(quarters[0].id, "FY2024-Q1");
  EXPECT_EQ(quarters[0].start, absl::CivilDay(2024, 4, 1));
  EXPECT_EQ(quarters[3].end, absl::CivilDay(2025, 4, 1));
  ASSERT_OK_AND_ASSIGN(const CalendarPeriod next, fy.Next(quarters[3]));
  EXPECT_EQ(next.id, "FY2025-Q1");
  ASSERT_OK_AND_ASSIGN(const CalendarPeriod feb,
                       fy.Containing(absl::CivilDay(2025, 2, 14), Granularity::kMonth));
  EXPECT_EQ(feb.id, "FY2024-M11");
  ASSERT_OK_AND_ASSIGN(const CalendarPeriod found, fy.Find("FY2024-M11"));
  EXPECT_EQ(found, feb);
  EXPECT_EQ(fy.MonthsOf(quarters[0]).size(), 3u);
  EXPECT_EQ(quarters[0].ToLedger().start_micros, DayStartMicros(absl::CivilDay(2024, 4, 1)));
}

TEST(CalendarTest, NamedByEndYear) {
  ASSERT_OK_AND_ASSIGN(const Calendar fy, Calendar::Fiscal(7, true));
  ASSERT_OK_AND_ASSIGN(const CalendarPeriod year,
                       fy.Containing(absl::CivilDay(2024, 8, 1), Granularity::kYear));
  EXPECT_EQ(year.id, "FY2025");
  EXPECT_EQ(year.start, absl::CivilDay(2024, 7, 1));
  ASSERT_OK_AND_ASSIGN(const CalendarPeriod again, fy.Find("FY2025"));
  EXPECT_EQ(again, year);
}

TEST(CalendarTest, CustomPeriods) {
  ASSERT_OK_AND_ASSIGN(
      const Calendar c,
      Calendar::Custom({{"spring", absl::CivilDay(2024, 3, 1), absl::CivilDay(2024, 6, 1)},
                        {"summer", absl::CivilDay(2024, 6, 1), absl::CivilDay(2024, 9, 15)}}));
  ASSERT_OK_AND_ASSIGN(const CalendarPeriod next, c.Next(c.Find("spring").value()));
  EXPECT_EQ(next.id, "summer");
  EXPECT_EQ(c.MonthsOf(next).back().end, absl::CivilDay(2024, 9, 15));
  EXPECT_THAT(c.Next(next), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(c.Containing(absl::CivilDay(2025, 1, 1), Granularity::kMonth),
              StatusIs(ErrorCode::kNotFound));
}

TEST(CalendarTest, BadCalendars) {
  EXPECT_THAT(Calendar::Fiscal(13), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Calendar::Custom({{"a", absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 2, 1)},
                                {"a", absl::CivilDay(2024, 2, 1), absl::CivilDay(2024, 3, 1)}}),
              StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(Calendar::Custom({{"a", absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 3, 1)},
                                {"b", absl::CivilDay(2024, 2, 1), absl::CivilDay(2024, 4, 1)}}),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Calendar::Fiscal(1).value().Find("FY2024-Q5"), StatusIs(ErrorCode::kNotFound));
}

}  // namespace
}  // namespace upkeep::monitor
