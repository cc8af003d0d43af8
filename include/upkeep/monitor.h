// upkeep/monitor.h: monitoring, forecasts, alerts, period close and rollover, reports (all of
// it; see the headers under upkeep/monitor/ and docs/monitoring.md).
#ifndef UPKEEP_MONITOR_H_
#define UPKEEP_MONITOR_H_

#include "upkeep/monitor/alerts.h"            // IWYU pragma: export
#include "upkeep/monitor/calendar.h"          // IWYU pragma: export
#include "upkeep/monitor/effectiveness.h"     // IWYU pragma: export
#include "upkeep/monitor/facts.h"             // IWYU pragma: export
#include "upkeep/monitor/feedback.h"          // IWYU pragma: export
#include "upkeep/monitor/forecast.h"          // IWYU pragma: export
#include "upkeep/monitor/forecast_control.h"  // IWYU pragma: export
#include "upkeep/monitor/metrics.h"           // IWYU pragma: export
#include "upkeep/monitor/monitor.h"           // IWYU pragma: export
#include "upkeep/monitor/proposal.h"          // IWYU pragma: export
#include "upkeep/monitor/report.h"            // IWYU pragma: export
#include "upkeep/monitor/rollover.h"          // IWYU pragma: export
#include "upkeep/monitor/utilization.h"       // IWYU pragma: export

#endif  // UPKEEP_MONITOR_H_
