// MonthsByDay: MonthOf with the last day's month remembered.
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/ledger_state.h"

namespace upkeep::ledger {
namespace {

constexpr int64_t kDay = 86'400'000'000;

TEST(MonthsByDayTest, GivesWhatMonthOfGivesWhateverTheOrder) {
  // Days repeated, the last microsecond of a month then the first of the next, a step back,
  // times before 1970 (negative), a leap day and the day after it.
  const int64_t march_2024 = 19'783 * kDay;  // 2024-03-01 00:00 UTC
  const std::vector<int64_t> times = {5,
                                      kDay - 1,
                                      kDay,
                                      31 * kDay - 1,
                                      31 * kDay,
                                      31 * kDay + 7,
                                      5,
                                      -1,
                                      -kDay,
                                      -kDay - 1,
                                      -31 * kDay,
                                      -31 * kDay - 1,
                                      march_2024,
                                      march_2024 - 1,
                                      march_2024 - kDay,
                                      march_2024 + 3,
                                      40'000 * kDay,
                                      5};
  MonthsByDay months;
  for (const int64_t time : times) {
    EXPECT_EQ(months.Of(time), MonthOf(time)) << time;
  }
  EXPECT_EQ(MonthOf(-1), -1);                   // 1969-12
  EXPECT_EQ(MonthOf(march_2024), 54 * 12 + 2);  // 2024-03
  EXPECT_EQ(MonthOf(march_2024 - 1), 54 * 12 + 1);
}

}  // namespace
}  // namespace upkeep::ledger
