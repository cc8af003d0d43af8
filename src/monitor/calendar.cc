#include "upkeep/monitor/calendar.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "base/absl_compat.h"
#include "upkeep/status.h"

namespace upkeep::monitor {
namespace {

constexpr int kPartsPerYear[] = {1, 4, 12};
constexpr int kMonthsPerPart[] = {12, 3, 1};

int Index(Granularity granularity) { return static_cast<int>(granularity); }

// Parses a whole decimal number; false when `text` is not one.
bool ParseNumber(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

int64_t DayStartMicros(absl::CivilDay day) {
  return absl::ToUnixMicros(absl::FromCivil(day, absl::UTCTimeZone()));
}

ledger::Period CalendarPeriod::ToLedger() const {
  return ledger::Period{
      .id = id, .start_micros = DayStartMicros(start), .end_micros = DayStartMicros(end)};
}

absl::StatusOr<Calendar> Calendar::Fiscal(int first_month, bool named_by_end_year) {
  if (first_month < 1 || first_month > 12) {
    return MakeError(ErrorCode::kInvalidArgument,
                     absl::StrCat("fiscal year start month ", first_month, " is not in 1..12"));
  }
  Calendar calendar;
  calendar.first_month_ = first_month;
  calendar.named_by_end_year_ = named_by_end_year && first_month != 1;
  return calendar;
}

absl::StatusOr<Calendar> Calendar::Custom(std::vector<CalendarPeriod> periods) {
  if (periods.empty()) return MakeError(ErrorCode::kInvalidArgument, "a calendar needs a period");
  absl::flat_hash_set<std::string> ids;
  for (size_t i = 0; i < periods.size(); ++i) {
    const CalendarPeriod& p = periods[i];
    if (p.id.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("period ", i, " has no id"));
    }
    if (!ids.insert(p.id).second) {
      return MakeError(ErrorCode::kAlreadyExists, absl::StrCat("period '", p.id, "' repeats"));
    }
    if (p.end <= p.start) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("period '", p.id, "' ends before it starts"));
    }
    if (i > 0 && p.start < periods[i - 1].end) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat("period '", p.id, "' starts before '", periods[i - 1].id,
                                    "' ends (periods must be in order and not overlap)"));
    }
  }
  Calendar calendar;
  calendar.custom_ = std::move(periods);
  return calendar;
}

CalendarPeriod Calendar::Make(int64_t year, Granularity granularity, int index) const {
  const int g = Index(granularity);
  const absl::CivilMonth year_start(year, first_month_);
  const absl::CivilMonth start = year_start + index * kMonthsPerPart[g];
  const int64_t label = named_by_end_year_ ? year + 1 : year;
  std::string id = absl::StrCat("FY", label);
  if (granularity == Granularity::kQuarter) absl::StrAppend(&id, "-Q", index + 1);
  if (granularity == Granularity::kMonth)
    absl::StrAppend(&id, absl::StrFormat("-M%02d", index + 1));
  return CalendarPeriod{.id = std::move(id),
                        .start = absl::CivilDay(start),
                        .end = absl::CivilDay(start + kMonthsPerPart[g])};
}

absl::StatusOr<std::vector<CalendarPeriod>> Calendar::Periods(int64_t year,
                                                              Granularity granularity) const {
  if (!is_fiscal()) {
    return MakeError(ErrorCode::kInvalidArgument, "a custom calendar has no fiscal years");
  }
  std::vector<CalendarPeriod> periods;
  for (int i = 0; i < kPartsPerYear[Index(granularity)]; ++i) {
    periods.push_back(Make(year, granularity, i));
  }
  return periods;
}

absl::StatusOr<CalendarPeriod> Calendar::Containing(absl::CivilDay day,
                                                    Granularity granularity) const {
  if (!is_fiscal()) {
    for (const CalendarPeriod& p : custom_) {
      if (p.start <= day && day < p.end) return p;
    }
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no period of the calendar holds ", absl::FormatCivilTime(day)));
  }
  const absl::CivilMonth month(day);
  const int64_t offset = month - absl::CivilMonth(month.year(), first_month_);
  const int64_t year = offset >= 0 ? month.year() : month.year() - 1;
  const int64_t in_year = (offset + 12) % 12;
  return Make(year, granularity, static_cast<int>(in_year / kMonthsPerPart[Index(granularity)]));
}

absl::StatusOr<CalendarPeriod> Calendar::Find(std::string_view id) const {
  if (!is_fiscal()) {
    for (const CalendarPeriod& p : custom_) {
      if (p.id == id) return p;
    }
    return MakeError(ErrorCode::kNotFound, absl::StrCat("no period '", AsAbsl(id), "'"));
  }
  const auto not_found = [&] {
    return MakeError(
        ErrorCode::kNotFound,
        absl::StrCat("'", AsAbsl(id), "' is not a fiscal period (FY2024, FY2024-Q1, FY2024-M01)"));
  };
  if (id.size() < 3 || id.substr(0, 2) != "FY") return not_found();
  const std::string_view rest = id.substr(2);
  const size_t dash = rest.find('-');
  int64_t label = 0;
  if (!ParseNumber(rest.substr(0, dash), &label)) return not_found();
  const int64_t year = named_by_end_year_ ? label - 1 : label;
  if (dash == std::string_view::npos) return Make(year, Granularity::kYear, 0);
  const std::string_view part = rest.substr(dash + 1);
  int64_t n = 0;
  if (part.size() < 2 || !ParseNumber(part.substr(1), &n)) return not_found();
  if (part[0] == 'Q' && n >= 1 && n <= 4) {
    return Make(year, Granularity::kQuarter, static_cast<int>(n - 1));
  }
  if (part[0] == 'M' && part.size() == 3 && n >= 1 && n <= 12) {
    return Make(year, Granularity::kMonth, static_cast<int>(n - 1));
  }
  return not_found();
}

absl::StatusOr<CalendarPeriod> Calendar::Next(const CalendarPeriod& period) const {
  if (!is_fiscal()) {
    for (size_t i = 0; i + 1 < custom_.size(); ++i) {
      if (custom_[i].id == period.id) return custom_[i + 1];
    }
    return MakeError(ErrorCode::kNotFound,
                     absl::StrCat("no period after '", period.id, "' in the calendar"));
  }
  const int64_t months = absl::CivilMonth(period.end) - absl::CivilMonth(period.start);
  const Granularity granularity = months == 12  ? Granularity::kYear
                                  : months == 3 ? Granularity::kQuarter
                                                : Granularity::kMonth;
  return Containing(period.end, granularity);
}

std::vector<CalendarPeriod> Calendar::MonthsOf(const CalendarPeriod& period) const {
  std::vector<CalendarPeriod> months;
  for (absl::CivilMonth m(period.start); absl::CivilDay(m) < period.end; ++m) {
    const absl::CivilDay start = std::max(absl::CivilDay(m), period.start);
    const absl::CivilDay end = std::min(absl::CivilDay(m + 1), period.end);
    months.push_back(CalendarPeriod{
        .id = absl::StrFormat("%04d-%02d", m.year(), m.month()), .start = start, .end = end});
  }
  return months;
}

}  // namespace upkeep::monitor
