// upkeep/monitor/calendar.h: period calendars: fiscal years, quarters, months, custom lists.
//
// A Calendar names the budget periods of a book and turns them into ledger periods
// ([start, end) in microseconds, midnight UTC of each civil day). Two kinds:
//   - fiscal: years that start on the first day of any month; a year is named by the calendar
//     year it starts in ("FY2024"), or with `named_by_end_year` by the one it ends in. Quarters
//     are "FY2024-Q1".."-Q4" and months "FY2024-M01".."-M12", counted from the year's start.
//   - custom: any list of non-overlapping periods with unique ids, in time order.
//
//   upkeep::monitor::Calendar fy = upkeep::monitor::Calendar::Fiscal(4).value();  // April
//   auto quarters = fy.Periods(2024, upkeep::monitor::Granularity::kQuarter).value();
//   quarters[0].id;     // "FY2024-Q1", 2024-04-01 .. 2024-07-01
//   fy.Next(quarters[3]).value().id;  // "FY2025-Q1"
//
// Errors: kInvalidArgument (a month outside 1..12, an empty or backwards period, overlapping
// custom periods), kAlreadyExists (a repeated id), kNotFound (an id or day the calendar lacks).
// Ownership: plain values. Thread safety: immutable after construction; const methods are safe
// to call concurrently.
#ifndef UPKEEP_MONITOR_CALENDAR_H_
#define UPKEEP_MONITOR_CALENDAR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "upkeep/ledger/types.h"

namespace upkeep::monitor {

// One period: [start, end) in civil days.
struct CalendarPeriod {
  std::string id{};
  absl::CivilDay start{};
  absl::CivilDay end{};  // exclusive

  int64_t days() const { return end - start; }
  // The ledger's form: microseconds since the epoch at midnight UTC.
  ledger::Period ToLedger() const;
  friend bool operator==(const CalendarPeriod&, const CalendarPeriod&) = default;
};

enum class Granularity : uint8_t { kYear = 0, kQuarter = 1, kMonth = 2 };

// Microseconds since the epoch at midnight UTC of `day`.
int64_t DayStartMicros(absl::CivilDay day);

class Calendar {
 public:
  // Fiscal years starting on day 1 of `first_month` (1..12).
  static absl::StatusOr<Calendar> Fiscal(int first_month, bool named_by_end_year = false);
  // A custom list: periods sorted by start, non-empty, non-overlapping, unique ids.
  static absl::StatusOr<Calendar> Custom(std::vector<CalendarPeriod> periods);

  bool is_fiscal() const { return first_month_ != 0; }

  // Fiscal only: the periods of fiscal year `year` at `granularity`, in order.
  absl::StatusOr<std::vector<CalendarPeriod>> Periods(int64_t year, Granularity granularity) const;
  // Fiscal: the period of `granularity` that holds `day`. Custom: the period holding `day`
  // (granularity ignored).
  absl::StatusOr<CalendarPeriod> Containing(absl::CivilDay day, Granularity granularity) const;
  // The period with `id` (fiscal ids are parsed: "FY2024", "FY2024-Q3", "FY2024-M07").
  absl::StatusOr<CalendarPeriod> Find(std::string_view id) const;
  // The period after `period`, of the same granularity (fiscal) or next in the list (custom).
  absl::StatusOr<CalendarPeriod> Next(const CalendarPeriod& period) const;
  // The months inside `period` (the first and last may be partial for custom periods), each
  // clipped to the period. For monthly report columns.
  std::vector<CalendarPeriod> MonthsOf(const CalendarPeriod& period) const;

 private:
  Calendar() = default;
  CalendarPeriod Make(int64_t year, Granularity granularity, int index) const;

  int first_month_ = 0;  // 0: custom
  bool named_by_end_year_ = false;
  std::vector<CalendarPeriod> custom_{};
};

}  // namespace upkeep::monitor

#endif  // UPKEEP_MONITOR_CALENDAR_H_
