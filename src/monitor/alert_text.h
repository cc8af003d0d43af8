// monitor/alert_text.h: the words of an alert (not public).
#ifndef UPKEEP_MONITOR_ALERT_TEXT_H_
#define UPKEEP_MONITOR_ALERT_TEXT_H_

#include <cstdint>
#include <string>

#include "upkeep/currency.h"
#include "upkeep/monitor/alerts.h"

namespace upkeep::monitor::internal {

// "85.25" for 8525 basis points.
std::string Percent(int64_t bp);
// One line with the numbers behind `alert` (its kind, metrics and threshold filled).
std::string AlertMessage(const Alert& alert, const AlertRule& rule, Currency currency);

}  // namespace upkeep::monitor::internal

#endif  // UPKEEP_MONITOR_ALERT_TEXT_H_
